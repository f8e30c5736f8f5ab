"""Retention: each authority's period, the meetings past it, and purging their private data.

A purged meeting keeps its row (dates, status, classification kind, organisations named by the
classifier, source key and calendar fingerprint), so compliance figures still count it and a
resync of an unchanged event does not bring its text back; what goes is everything personal or
drafted: the calendar's text, organizer and attendees, the classifier's quoted reasons, the
staff's draft record and who was listed as present.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

from register.store.tables import AuditEvent, Authority, Meeting, OfficialPresence
from register.store.tables import RepresentativePresence as PresenceRow
from register.store.transaction import writing

PURGE_ACTION = "retention.purge"


class AuthorityRetention(NamedTuple):
    id: UUID
    slug: str
    retention_days: int | None
    """None: the register's default period."""


async def authority_retention() -> list[AuthorityRetention]:
    rows = await Authority.select(Authority.id, Authority.slug, Authority.retention_days).order_by(
        Authority.slug
    )
    return [AuthorityRetention(r["id"], r["slug"], r["retention_days"]) for r in rows]


async def set_retention_days(slug: str, days: int | None) -> bool:
    """Set an authority's period (None: the default); False if there is no such authority."""
    found = await Authority.exists().where(Authority.slug == slug)
    if found:
        await Authority.update({Authority.retention_days: days}).where(Authority.slug == slug)
    return bool(found)


def _expired(authority_id: UUID, before: datetime) -> Any:
    """Never published, dated before `before`, and not purged since it last changed (a resync
    that brings new calendar text, or a staff edit, makes it due again)."""
    return (
        (Meeting.authority == authority_id)
        & (Meeting.published_version == 0)
        & (Meeting.starts_at < before)
        & (Meeting.purged_at.is_null() | (Meeting.updated_at > Meeting.purged_at))
    )


async def count_expired(authority_id: UUID, before: datetime) -> int:
    return int(await Meeting.count().where(_expired(authority_id, before)))


async def expired_meetings(authority_id: UUID, before: datetime, *, limit: int) -> list[UUID]:
    rows = (
        await Meeting.select(Meeting.id)
        .where(_expired(authority_id, before))
        .order_by(Meeting.starts_at)
        .limit(limit)
    )
    return [row["id"] for row in rows]


async def purge_meetings(
    ids: Sequence[UUID], *, now: datetime, changes: dict[str, Any], actor: str
) -> None:
    """Purge the private data of `ids`, and record it in each meeting's audit trail, in one
    transaction. The lock version moves on, so a back-office form opened before the purge
    cannot write the old draft back."""
    if not ids:
        return
    async with writing():
        await Meeting.update(
            {
                Meeting.summary: "",
                Meeting.calendar: "{}",
                Meeting.classification_reasons: "[]",
                Meeting.subject: "",
                Meeting.policy_area: None,
                Meeting.format: None,
                Meeting.initiative: None,
                Meeting.other_attendees: "[]",
                Meeting.documents: "[]",
                Meeting.purged_at: now,
                Meeting.updated_at: now,
                Meeting.lock_version: Meeting.lock_version + 1,
            }
        ).where(Meeting.id.is_in(list(ids)), Meeting.published_version == 0)
        await OfficialPresence.delete().where(OfficialPresence.meeting.is_in(list(ids)))
        await PresenceRow.delete().where(PresenceRow.meeting.is_in(list(ids)))
        await AuditEvent.insert(
            *(
                AuditEvent(
                    at=now,
                    user=None,
                    actor=actor,
                    action=PURGE_ACTION,
                    entity="meeting",
                    entity_id=str(meeting_id),
                    changes=changes,
                )
                for meeting_id in ids
            )
        )
