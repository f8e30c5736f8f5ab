"""What the calendar sync reads and writes: leases on sources, the occurrences a source already
has, and the calendar-owned columns of meetings (never what staff entered)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from piccolo.columns import Column

from register.domain.classification import Classification
from register.domain.kinds import ClassificationKind, Decider, MeetingStatus
from register.domain.meeting import Meeting
from register.domain.source import SourceHealth
from register.store.repositories.meetings import (
    calendar_values,
    classification_values,
    name_of,
    new_meeting_values,
)
from register.store.tables import Authority as AuthorityRow
from register.store.tables import CalendarSource as SourceRow
from register.store.tables import Meeting as MeetingRow


@dataclass(frozen=True)
class KnownOccurrence:
    """An occurrence the register already holds for a source, with what the sync compares."""

    meeting_id: UUID
    uid: str
    recurrence_id: str
    href: str
    fingerprint: str
    status: MeetingStatus
    starts_at: datetime
    decided_by: Decider
    classification_kind: ClassificationKind


async def acquire_lease(source_id: UUID, worker: str, now: datetime, until: datetime) -> bool:
    """Take the source for `worker` unless another worker holds an unexpired lease.

    One conditional UPDATE, so two workers racing for the same source cannot both win, on
    SQLite or PostgreSQL. A worker that dies loses its lease when it expires.
    """
    taken = (
        await SourceRow.update({SourceRow.lease_owner: worker, SourceRow.lease_expires_at: until})
        .where(
            SourceRow.id == source_id,
            (SourceRow.lease_owner.is_null())
            | (SourceRow.lease_expires_at.is_null())
            | (SourceRow.lease_expires_at < now)
            | (SourceRow.lease_owner == worker),
        )
        .returning(SourceRow.id)
    )
    return bool(taken)


async def release_lease(source_id: UUID, worker: str) -> None:
    await SourceRow.update({SourceRow.lease_owner: None, SourceRow.lease_expires_at: None}).where(
        SourceRow.id == source_id, SourceRow.lease_owner == worker
    )


async def store_sync_outcome(
    source_id: UUID,
    worker: str,
    *,
    health: SourceHealth,
    state: dict[str, Any] | None,
    next_sync_at: datetime | None,
) -> bool:
    """Record the sync's health (and its new state, unless None) and release the lease, only if
    `worker` still holds it; False means another worker took over and this outcome is stale."""
    values: dict[Column | str, Any] = {
        SourceRow.last_success_at: health.last_success_at,
        SourceRow.last_error_at: health.last_error_at,
        SourceRow.last_error: health.last_error,
        SourceRow.consecutive_failures: health.consecutive_failures,
        SourceRow.next_sync_at: next_sync_at,
        SourceRow.lease_owner: None,
        SourceRow.lease_expires_at: None,
    }
    if state is not None:
        values[SourceRow.sync_state] = state
    updated = (
        await SourceRow.update(values)
        .where(SourceRow.id == source_id, SourceRow.lease_owner == worker)
        .returning(SourceRow.id)
    )
    return bool(updated)


async def known_occurrences(source_id: UUID) -> dict[tuple[str, str], KnownOccurrence]:
    """Every occurrence the register holds for a source, by (UID, recurrence id)."""
    rows = await MeetingRow.select(
        MeetingRow.id,
        MeetingRow.source_uid,
        MeetingRow.recurrence_id,
        MeetingRow.source_href,
        MeetingRow.calendar_fingerprint,
        MeetingRow.status,
        MeetingRow.starts_at,
        MeetingRow.classification_decided_by,
        MeetingRow.classification_kind,
    ).where(MeetingRow.source == source_id)
    return {
        (row["source_uid"], row["recurrence_id"]): KnownOccurrence(
            meeting_id=row["id"],
            uid=row["source_uid"],
            recurrence_id=row["recurrence_id"],
            href=row["source_href"],
            fingerprint=row["calendar_fingerprint"],
            status=MeetingStatus(row["status"]),
            starts_at=row["starts_at"],
            decided_by=Decider(row["classification_decided_by"]),
            classification_kind=ClassificationKind(row["classification_kind"]),
        )
        for row in rows
    }


async def insert_synced(meetings: Sequence[tuple[Meeting, str, str]]) -> None:
    """New meetings from the calendar, each with its object's href and its fingerprint."""
    if not meetings:
        return
    rows = []
    for meeting, href, fingerprint in meetings:
        values = new_meeting_values(meeting)
        values[MeetingRow.source_href] = href
        values[MeetingRow.calendar_fingerprint] = fingerprint
        values[MeetingRow.calendar_changed_at] = None
        rows.append(MeetingRow(id=meeting.id, **{name_of(c): v for c, v in values.items()}))
    for start in range(0, len(rows), 500):
        await MeetingRow.insert(*rows[start : start + 500])


async def update_from_calendar(
    meeting_id: UUID,
    meeting: Meeting,
    *,
    href: str,
    fingerprint: str,
    now: datetime,
    reclassified: Classification | None = None,
) -> None:
    """Write the calendar-owned columns only: the collegiality record, a classification decided
    by staff and the publication state stay as staff left them. `reclassified` replaces a
    classification that a rule made (never one that staff decided: the caller checks)."""
    values = calendar_values(meeting)
    if reclassified is not None:
        values.update(classification_values(reclassified))
    values[MeetingRow.source_href] = href
    values[MeetingRow.calendar_fingerprint] = fingerprint
    values[MeetingRow.calendar_changed_at] = now
    await MeetingRow.update(values).where(MeetingRow.id == meeting_id)


async def cancel_occurrences(meeting_ids: Iterable[UUID], now: datetime) -> None:
    """The calendar no longer has these occurrences: they become cancelled, never vanish."""
    ids = list(meeting_ids)
    for start in range(0, len(ids), 500):
        await MeetingRow.update(
            {
                MeetingRow.status: MeetingStatus.CANCELLED.value,
                MeetingRow.calendar_fingerprint: "",
                MeetingRow.calendar_changed_at: now,
                MeetingRow.updated_at: now,
            }
        ).where(MeetingRow.id.is_in(ids[start : start + 500]))


async def source_owner(source_id: UUID) -> tuple[UUID, UUID, str] | None:
    """The official a source belongs to, their authority, and the authority's time zone."""
    row = (
        await SourceRow.select(SourceRow.official, SourceRow.official.authority)
        .where(SourceRow.id == source_id)
        .first()
    )
    if row is None:
        return None
    authority = (
        await AuthorityRow.select(AuthorityRow.timezone)
        .where(AuthorityRow.id == row["official.authority"])
        .first()
    )
    timezone = authority["timezone"] if authority else "Europe/Paris"
    return row["official"], row["official.authority"], timezone


async def due_sources(now: datetime) -> list[UUID]:
    """Enabled sources whose next sync is due (or never happened), oldest first."""
    rows = (
        await SourceRow.select(SourceRow.id)
        .where(
            SourceRow.enabled == True,  # noqa: E712 - a SQL comparison, not a Python one
            (SourceRow.next_sync_at.is_null()) | (SourceRow.next_sync_at <= now),
        )
        .order_by(SourceRow.next_sync_at)
    )
    return [row["id"] for row in rows]
