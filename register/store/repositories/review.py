"""What the review queue reads: only the meetings that may need an editor's action, never an
authority's whole history.

Two kinds of meeting can be in the queue (see `register.services.review`): unpublished, public,
held, unexempted meetings classified as with an interest representative or unknown; and
published meetings whose calendar event changed after their last public version (the sync sets
`calendar_changed_at` on every change and cancellation).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Max

from register.domain.calendar_data import CalendarData
from register.domain.classification import Classification
from register.domain.kinds import (
    ClassificationKind,
    Decider,
    LegalGround,
    MeetingStatus,
    PublicationState,
    Visibility,
)
from register.domain.meeting import Meeting, TimeSpan
from register.store.tables import Meeting as MeetingRow
from register.store.tables import PublicationEntry
from register.store.values import as_aware

_UNPUBLISHED = [PublicationState.DRAFT.value, PublicationState.READY.value]
_PUBLISHED = [PublicationState.PUBLISHED.value, PublicationState.CORRECTED.value]
_TO_REVIEW_KINDS = [
    ClassificationKind.INTEREST_REPRESENTATIVE.value,
    ClassificationKind.UNKNOWN.value,
]

_CHANGED_AFTER_PUBLICATION = WhereRaw(
    "meeting.calendar_changed_at > (SELECT MAX(publication_entry.recorded_at) "
    "FROM publication_entry WHERE publication_entry.meeting = meeting.id)"
)


@dataclass(frozen=True)
class QueueCandidate:
    """A meeting that may be in the queue. `meeting` holds what the queue needs (times, status,
    classification, publication, exemption, and of the calendar only the summary and
    visibility), not the collegiality record: load the meeting for that."""

    meeting: Meeting
    official_name: str
    authority_name: str
    calendar_changed_at: datetime | None
    last_published_at: datetime | None


_COLUMNS = (
    MeetingRow.id,
    MeetingRow.authority,
    MeetingRow.official,
    MeetingRow.starts_at,
    MeetingRow.ends_at,
    MeetingRow.timezone,
    MeetingRow.all_day,
    MeetingRow.status,
    MeetingRow.visibility,
    MeetingRow.summary,
    MeetingRow.classification_kind,
    MeetingRow.classification_confidence,
    MeetingRow.classification_decided_by,
    MeetingRow.publication_state,
    MeetingRow.published_version,
    MeetingRow.exemption_ground,
    MeetingRow.lock_version,
    MeetingRow.calendar_changed_at,
    MeetingRow.official.full_name.as_alias("official_name"),
    MeetingRow.authority.name.as_alias("authority_name"),
)


def _timestamp(value: Any) -> datetime | None:
    """A timestamp from an aggregate, which SQLite returns as text."""
    if value is None or isinstance(value, datetime):
        return value
    return as_aware(str(value))


def _meeting(row: dict[str, Any]) -> Meeting:
    return Meeting(
        id=row["id"],
        authority_id=row["authority"],
        official_id=row["official"],
        when=TimeSpan(
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            timezone=row["timezone"],
            all_day=row["all_day"],
        ),
        status=MeetingStatus(row["status"]),
        calendar=CalendarData(summary=row["summary"], visibility=Visibility(row["visibility"])),
        classification=Classification(
            kind=ClassificationKind(row["classification_kind"]),
            confidence=row["classification_confidence"],
            decided_by=Decider(row["classification_decided_by"]),
        ),
        publication_state=PublicationState(row["publication_state"]),
        published_version=row["published_version"],
        exemption_ground=LegalGround(row["exemption_ground"]) if row["exemption_ground"] else None,
        lock_version=row["lock_version"],
    )


async def _last_published(ids: Sequence[UUID], batch: int = 500) -> dict[UUID, datetime | None]:
    found: dict[UUID, datetime | None] = {}
    for start in range(0, len(ids), batch):
        rows = (
            await PublicationEntry.select(
                PublicationEntry.meeting, Max(PublicationEntry.recorded_at, alias="last")
            )
            .where(PublicationEntry.meeting.is_in(list(ids[start : start + batch])))
            .group_by(PublicationEntry.meeting)
        )
        found.update((row["meeting"], _timestamp(row["last"])) for row in rows)
    return found


async def queue_candidates(
    *,
    authority_ids: Sequence[UUID] | None,
    official_id: UUID | None = None,
    state: PublicationState | None = None,
    starts_from: datetime | None = None,
    starts_before: datetime | None = None,
) -> list[QueueCandidate]:
    """The meetings that may be in the queue, of these authorities (None: all) and this
    official (None: all), in this state, starting in [`starts_from`, `starts_before`)."""
    if authority_ids is not None and not authority_ids:
        return []
    unpublished = (
        MeetingRow.publication_state.is_in(_UNPUBLISHED)
        & MeetingRow.exemption_ground.is_null()
        & (MeetingRow.visibility == Visibility.PUBLIC.value)
        & (MeetingRow.status != MeetingStatus.CANCELLED.value)
        & MeetingRow.classification_kind.is_in(_TO_REVIEW_KINDS)
    )
    changed = (
        MeetingRow.publication_state.is_in(_PUBLISHED)
        & MeetingRow.calendar_changed_at.is_not_null()
        & _CHANGED_AFTER_PUBLICATION
    )
    query = MeetingRow.select(*_COLUMNS).where(unpublished | changed)
    if authority_ids is not None:
        query = query.where(MeetingRow.authority.is_in(list(authority_ids)))
    if official_id is not None:
        query = query.where(MeetingRow.official == official_id)
    if state is not None:
        query = query.where(MeetingRow.publication_state == state.value)
    if starts_from is not None:
        query = query.where(MeetingRow.starts_at >= starts_from)
    if starts_before is not None:
        query = query.where(MeetingRow.starts_at < starts_before)
    rows = await query
    published = [row["id"] for row in rows if row["publication_state"] in _PUBLISHED]
    last = await _last_published(published) if published else {}
    return [
        QueueCandidate(
            meeting=_meeting(row),
            official_name=row["official_name"],
            authority_name=row["authority_name"],
            calendar_changed_at=row["calendar_changed_at"],
            last_published_at=last.get(row["id"]),
        )
        for row in rows
    ]
