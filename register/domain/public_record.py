"""The public version of a meeting: the only shape in which a meeting leaves the register.

Built field by field from an allow-list, so that nothing of the calendar's own text (summary,
description, attendees' e-mail addresses, citizens' names) can reach a page, feed, dump or API
answer by accident. The publication log stores exactly this document.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from register.domain.authority import Authority
from register.domain.kinds import (
    ClassificationKind,
    Initiative,
    LegalGround,
    MeetingFormat,
    MeetingStatus,
    OfficialKind,
    PublicationState,
)
from register.domain.meeting import Meeting
from register.domain.official import Official
from register.domain.representative import InterestRepresentative
from register.domain.text import Message


class PublicAuthority(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    slug: str
    name: str


class PublicOfficial(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    slug: str
    name: str
    role: str
    kind: OfficialKind


class PublicRepresentative(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    name: str
    hatvp_id: str | None
    siren: str | None
    eu_transparency_id: str | None
    hatvp_registered: bool
    people: tuple[str, ...]


class PublicPolicyArea(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    label: Message


class PublicReason(BaseModel):
    """A classification reason as the public sees it: the rule and its explanation, never the
    matched calendar text."""

    model_config = ConfigDict(frozen=True)

    rule: str
    explanation: Message


class PublicRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    authority: PublicAuthority
    official: PublicOfficial
    starts_at: datetime
    ends_at: datetime | None
    timezone: str
    all_day: bool
    status: MeetingStatus
    subject: str
    policy_area: PublicPolicyArea | None
    format: MeetingFormat | None
    initiative: Initiative | None
    officials_present: tuple[PublicOfficial, ...]
    other_attendee_roles: tuple[str, ...]
    representatives: tuple[PublicRepresentative, ...]
    classification: ClassificationKind
    reasons: tuple[PublicReason, ...]
    documents: tuple[str, ...]

    def payload(self) -> dict[str, Any]:
        """The JSON-ready document stored in the publication log."""
        return self.model_dump(mode="json")


def _public_official(official: Official) -> PublicOfficial:
    return PublicOfficial(
        id=official.id,
        slug=official.slug,
        name=official.full_name,
        role=official.role,
        kind=official.kind,
    )


def public_record(
    meeting: Meeting,
    authority: Authority,
    officials: Mapping[UUID, Official],
    representatives: Mapping[UUID, InterestRepresentative],
) -> PublicRecord:
    """The public version of `meeting`; `officials` and `representatives` must hold every one
    the meeting refers to (a KeyError otherwise: publishing a dangling reference is a bug)."""
    if meeting.is_private:
        raise ValueError("a private or confidential event is never published")
    policy = authority.policy
    record = meeting.record
    area = policy.policy_area(record.policy_area) if record.policy_area else None
    return PublicRecord(
        id=meeting.id,
        authority=PublicAuthority(id=authority.id, slug=authority.slug, name=authority.name),
        official=_public_official(officials[meeting.official_id]),
        starts_at=meeting.when.starts_at,
        ends_at=meeting.when.ends_at,
        timezone=meeting.when.timezone,
        all_day=meeting.when.all_day,
        status=meeting.status,
        subject=record.subject.strip(),
        policy_area=PublicPolicyArea(code=area.code, label=area.label) if area else None,
        format=record.format,
        initiative=record.initiative,
        officials_present=tuple(
            _public_official(officials[official_id])
            for official_id in dict.fromkeys(record.officials_present)
        ),
        other_attendee_roles=tuple(attendee.role for attendee in record.other_attendees),
        representatives=tuple(
            PublicRepresentative(
                id=rep.id,
                name=rep.name,
                hatvp_id=rep.hatvp_id,
                siren=rep.siren,
                eu_transparency_id=rep.eu_transparency_id,
                hatvp_registered=rep.hatvp_registered,
                people=presence.people if policy.publish_representative_names else (),
            )
            for presence in record.representatives
            for rep in (representatives[presence.representative_id],)
        ),
        classification=meeting.classification.kind,
        reasons=tuple(
            PublicReason(rule=reason.rule, explanation=reason.explanation)
            for reason in meeting.classification.reasons
        ),
        documents=record.documents,
    )


class Publication(BaseModel):
    """How a public version came to be: its number, state, and public reason."""

    model_config = ConfigDict(frozen=True)

    version: int
    state: PublicationState
    reason: str | None = None
    legal_ground: LegalGround | None = None


class PublishedMeeting(BaseModel):
    """One public version of a meeting, as pages, the API, dumps and feeds show it: the record,
    how it was published, when (`recorded_at`, the log entry's time) and where it stands in the
    publication log (`log_seq`). `first_published_at` is when its first version was published."""

    model_config = ConfigDict(frozen=True)

    record: PublicRecord
    publication: Publication
    recorded_at: datetime
    log_seq: int
    first_published_at: datetime | None = None
