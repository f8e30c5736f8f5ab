"""Compliance figures: how well an authority, and each of its officials, keeps the register.

The charters signed with Transparency International France commit an authority to publish every
meeting with an interest representative, within its policy's deadline, with a complete
collegiality record. These figures measure that, per official and per authority, for staff (issue
5) and for the public (issue 6). The definitions, exactly:

- **Counted meetings** are those classified `interest_representative`, not private or
  confidential, not cancelled, whose start falls within the period asked (inclusive dates, in the
  authority's time zone; no bound means everything).
- **Exempted** counted meetings (an `exemption_ground` is set) are counted only under
  `exemptions` (per legal ground); every other figure is over the counted meetings that are not
  exempted, `interest_meetings`.
- **Published**: `first_published_at` is set (a meeting since corrected or withdrawn was
  published). **On time**: published no later than `Meeting.publication_due` under the
  authority's `Policy.publication_deadline_days`.
- **Due**: the meetings that should be public by `now`, that is whose deadline has passed at
  `now` or which are already published; `on_time_share = on_time / due`, None when `due` is 0.
- **Median publication delay**, in days: from the meeting's end (its start when it has no end) to
  `first_published_at`, over the published meetings (negative when published before the meeting
  ended); None when none is published.
- **Complete record**: the meeting is published (its record was complete when published), or
  `publication_violations(meeting, policy)` is empty; `complete_share = complete_records /
  interest_meetings`, None when there are none.

Folding is streaming: each group keeps counters and its publication delays (one float per
published meeting, for the median), never the meetings themselves.
"""

import statistics
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from register.domain.kinds import LegalGround, MeetingStatus
from register.domain.meeting import Meeting
from register.domain.policy import Policy
from register.domain.readiness import publication_violations

_SECONDS_PER_DAY = 86_400

GroupKind = Literal["authority", "official"]


class Period(BaseModel):
    """The days whose meetings are counted: `since` and `until` included, either open."""

    model_config = ConfigDict(frozen=True)

    since: date | None = None
    until: date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> "Period":
        if self.since and self.until and self.until < self.since:
            raise ValueError("the period ends before it starts")
        return self

    def bounds(self, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
        """The period in UTC for an authority in `zone`: first instant included, first instant
        after the period excluded."""
        start = (
            datetime.combine(self.since, time(), tzinfo=zone).astimezone(UTC)
            if self.since
            else None
        )
        end = (
            datetime.combine(self.until + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)
            if self.until
            else None
        )
        return start, end

    def contains(self, moment: datetime, zone: ZoneInfo) -> bool:
        start, end = self.bounds(zone)
        return (start is None or start <= moment) and (end is None or moment < end)


EVERYTHING = Period()


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    """What the figures need to know of one counted meeting, computed once at `now`."""

    authority_id: UUID
    official_id: UUID
    exemption_ground: LegalGround | None
    due: bool
    published: bool
    on_time: bool
    delay_days: float | None
    complete: bool


def is_counted(meeting: Meeting) -> bool:
    """Whether `meeting` enters the figures at all (the period aside)."""
    return (
        meeting.classification.is_interest_meeting
        and not meeting.is_private
        and meeting.status is not MeetingStatus.CANCELLED
    )


def meeting_facts(
    meeting: Meeting,
    policy: Policy,
    *,
    now: datetime,
    period: Period = EVERYTHING,
    zone: ZoneInfo | None = None,
) -> MeetingFacts | None:
    """The facts of `meeting` under its authority's `policy` at `now`, or None when it is not
    counted. `zone` is the authority's time zone, in which the period's days are read (the
    meeting's own zone when not given)."""
    if not is_counted(meeting):
        return None
    if not period.contains(meeting.when.starts_at, zone or ZoneInfo(meeting.when.timezone)):
        return None
    due_at = meeting.publication_due(policy.publication_deadline_days)
    published_at = meeting.first_published_at
    published = published_at is not None
    delay_days = (
        (published_at - (meeting.when.ends_at or meeting.when.starts_at)).total_seconds()
        / _SECONDS_PER_DAY
        if published_at is not None
        else None
    )
    return MeetingFacts(
        authority_id=meeting.authority_id,
        official_id=meeting.official_id,
        exemption_ground=meeting.exemption_ground,
        due=published or now > due_at,
        published=published,
        on_time=published_at is not None and published_at <= due_at,
        delay_days=delay_days,
        complete=published or not publication_violations(meeting, policy),
    )


def published_facts(
    *,
    authority_id: UUID,
    official_id: UUID,
    exemption_ground: LegalGround | None,
    starts_at: datetime,
    ends_at: datetime | None,
    first_published_at: datetime,
    policy: Policy,
) -> MeetingFacts:
    """The facts of a counted meeting already published, from its dates alone: what
    `meeting_facts` gives for it (a published meeting is due, and its record was complete when
    published, whatever `now`), without reading the whole meeting. A large register's meetings
    are mostly published, so the figures read six columns of them and hydrate only the rest."""
    end = ends_at or starts_at
    return MeetingFacts(
        authority_id=authority_id,
        official_id=official_id,
        exemption_ground=exemption_ground,
        due=True,
        published=True,
        on_time=first_published_at <= end + timedelta(days=policy.publication_deadline_days),
        delay_days=(first_published_at - end).total_seconds() / _SECONDS_PER_DAY,
        complete=True,
    )


class ComplianceFigures(BaseModel):
    """The figures of one group (an authority, or an official of it), with its label."""

    model_config = ConfigDict(frozen=True)

    kind: GroupKind
    id: UUID
    name: str
    authority_id: UUID
    authority_name: str
    interest_meetings: int = Field(ge=0, description="Counted meetings, exemptions aside.")
    due: int = Field(ge=0, description="Meetings past their deadline at `now`, or published.")
    published: int = Field(ge=0)
    on_time: int = Field(ge=0)
    on_time_share: float | None = Field(description="on_time / due; None when due is 0.")
    median_delay_days: float | None
    complete_records: int = Field(ge=0)
    complete_share: float | None = Field(description="complete_records / interest_meetings.")
    exemptions: dict[LegalGround, int] = Field(description="Every ground, zero included.")


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class ComplianceTally:
    """The accumulator of one group: counters, and the delays for the median."""

    interest_meetings: int = 0
    due: int = 0
    published: int = 0
    on_time: int = 0
    complete_records: int = 0
    delays: "array[float]" = field(default_factory=lambda: array("d"))
    exemptions: dict[LegalGround, int] = field(
        default_factory=lambda: dict.fromkeys(LegalGround, 0)
    )

    def add(self, facts: MeetingFacts) -> None:
        if facts.exemption_ground is not None:
            self.exemptions[facts.exemption_ground] += 1
            return
        self.interest_meetings += 1
        self.due += facts.due
        self.published += facts.published
        self.on_time += facts.on_time
        self.complete_records += facts.complete
        if facts.delay_days is not None:
            self.delays.append(facts.delay_days)

    def figures(
        self, *, kind: GroupKind, group_id: UUID, name: str, authority_id: UUID, authority_name: str
    ) -> ComplianceFigures:
        """The figures so far, labelled."""
        return ComplianceFigures(
            kind=kind,
            id=group_id,
            name=name,
            authority_id=authority_id,
            authority_name=authority_name,
            interest_meetings=self.interest_meetings,
            due=self.due,
            published=self.published,
            on_time=self.on_time,
            on_time_share=_share(self.on_time, self.due),
            median_delay_days=statistics.median(self.delays) if self.delays else None,
            complete_records=self.complete_records,
            complete_share=_share(self.complete_records, self.interest_meetings),
            exemptions=dict(self.exemptions),
        )


@dataclass
class ComplianceTallies:
    """One accumulator per authority and one per official, fed one meeting at a time."""

    authorities: dict[UUID, ComplianceTally] = field(default_factory=dict)
    officials: dict[UUID, ComplianceTally] = field(default_factory=dict)

    def add(self, facts: MeetingFacts) -> None:
        # Looked up before being made: `setdefault` would build (and drop) two accumulators
        # per meeting, a fifth of the whole register's compliance figures at a million meetings.
        by_authority = self.authorities.get(facts.authority_id)
        if by_authority is None:
            by_authority = self.authorities[facts.authority_id] = ComplianceTally()
        by_official = self.officials.get(facts.official_id)
        if by_official is None:
            by_official = self.officials[facts.official_id] = ComplianceTally()
        by_authority.add(facts)
        by_official.add(facts)

    def authority(self, authority_id: UUID) -> ComplianceTally:
        """The authority's accumulator; an empty one (all zeros) when nothing was counted."""
        return self.authorities.get(authority_id) or ComplianceTally()

    def official(self, official_id: UUID) -> ComplianceTally:
        return self.officials.get(official_id) or ComplianceTally()


def fold_compliance(facts: Iterable[MeetingFacts | None]) -> ComplianceTallies:
    """Fold a stream of meetings' facts (None for meetings not counted) into tallies."""
    tallies = ComplianceTallies()
    for one in facts:
        if one is not None:
            tallies.add(one)
    return tallies


class ComplianceReport(BaseModel):
    """The figures per authority and per official over a period, as they stood at `now`.

    Authorities are sorted by name; officials by their authority's name, then their own; every
    official of a reported authority appears, with zeros when none of their meetings counted.
    """

    model_config = ConfigDict(frozen=True)

    since: date | None
    until: date | None
    now: datetime
    authorities: list[ComplianceFigures]
    officials: list[ComplianceFigures]
