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


async def acquire_lease(
    source_id: UUID, holder: str, now: datetime, until: datetime, *, only_if_due: bool = False
) -> bool:
    """Take the source for `holder` unless another holder has an unexpired lease on it (and,
    with `only_if_due`, unless its next sync is not due yet: another worker synced it since
    it was found due).

    One conditional UPDATE, so two workers racing for the same source cannot both win, on
    SQLite (one writer at a time) or PostgreSQL (the second UPDATE waits for the first's row
    lock, then evaluates its condition again on the committed row). A worker that dies loses
    its lease when it expires.
    """
    condition = (SourceRow.id == source_id) & (
        (SourceRow.lease_owner.is_null())
        | (SourceRow.lease_expires_at.is_null())
        | (SourceRow.lease_expires_at < now)
    )
    if only_if_due:
        condition &= (SourceRow.next_sync_at.is_null()) | (SourceRow.next_sync_at <= now)
    taken = (
        await SourceRow.update({SourceRow.lease_owner: holder, SourceRow.lease_expires_at: until})
        .where(condition)
        .returning(SourceRow.id)
    )
    return bool(taken)


async def renew_lease(source_id: UUID, holder: str, until: datetime) -> bool:
    """Move the lease's expiry to `until` if `holder` still has it; False when it was lost."""
    renewed = (
        await SourceRow.update({SourceRow.lease_expires_at: until})
        .where(SourceRow.id == source_id, SourceRow.lease_owner == holder)
        .returning(SourceRow.id)
    )
    return bool(renewed)


async def release_lease(source_id: UUID, holder: str) -> None:
    await SourceRow.update({SourceRow.lease_owner: None, SourceRow.lease_expires_at: None}).where(
        SourceRow.id == source_id, SourceRow.lease_owner == holder
    )


@dataclass(frozen=True)
class LeaseState:
    """Why a lease was refused: who holds the source and until when, and when it is due."""

    lease_owner: str | None
    lease_expires_at: datetime | None
    next_sync_at: datetime | None


async def lease_state(source_id: UUID) -> LeaseState | None:
    row = (
        await SourceRow.select(
            SourceRow.lease_owner, SourceRow.lease_expires_at, SourceRow.next_sync_at
        )
        .where(SourceRow.id == source_id)
        .first()
    )
    return LeaseState(**row) if row else None


async def store_sync_outcome(
    source_id: UUID,
    holder: str,
    *,
    health: SourceHealth,
    state: dict[str, Any] | None,
    next_sync_at: datetime | None,
) -> bool:
    """Record the sync's health (and its new state, unless None) and release the lease, only if
    `holder` still has it; False means another worker took over and this outcome is stale."""
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
        .where(SourceRow.id == source_id, SourceRow.lease_owner == holder)
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
    """Enabled sources whose next sync is due (or never happened) and that no worker holds,
    oldest first. A source whose worker died is due again once its lease has expired."""
    rows = (
        await SourceRow.select(SourceRow.id)
        .where(
            SourceRow.enabled == True,  # noqa: E712 - a SQL comparison, not a Python one
            (SourceRow.next_sync_at.is_null()) | (SourceRow.next_sync_at <= now),
            (SourceRow.lease_expires_at.is_null()) | (SourceRow.lease_expires_at < now),
        )
        .order_by(SourceRow.next_sync_at)
    )
    return [row["id"] for row in rows]
