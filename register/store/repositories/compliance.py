"""The meetings that compliance figures count, read in batches so that a large register is
streamed rather than loaded (see `register.domain.compliance` for the definitions)."""

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from register.domain.kinds import ClassificationKind, MeetingStatus, Visibility
from register.domain.meeting import Meeting
from register.store.repositories.meetings import _hydrate
from register.store.tables import Meeting as MeetingRow

BATCH_SIZE = 500

# The calendar's own text is staff-only and can be long; the figures need only its visibility,
# which has a column of its own.
_SKIPPED = frozenset({"calendar", "summary"})
_COLUMNS = [column for column in MeetingRow._meta.columns if column._meta.name not in _SKIPPED]


async def counted_meeting_batches(
    authority_ids: Sequence[UUID],
    *,
    starts_from: datetime | None = None,
    starts_before: datetime | None = None,
    batch_size: int = BATCH_SIZE,
) -> AsyncIterator[list[Meeting]]:
    """The authorities' meetings that may count (interest-representative, public, not
    cancelled, starting in [`starts_from`, `starts_before`)), with their collegiality records,
    `batch_size` at a time in the order of their ids (keyset pagination: each batch starts
    after the last id of the one before, so a batch costs the same however deep it is)."""
    if not authority_ids:
        return
    after: UUID | None = None
    while True:
        query = MeetingRow.select(*_COLUMNS).where(
            MeetingRow.authority.is_in(list(authority_ids)),
            MeetingRow.classification_kind == ClassificationKind.INTEREST_REPRESENTATIVE.value,
            MeetingRow.visibility == Visibility.PUBLIC.value,
            MeetingRow.status != MeetingStatus.CANCELLED.value,
        )
        if starts_from is not None:
            query = query.where(MeetingRow.starts_at >= starts_from)
        if starts_before is not None:
            query = query.where(MeetingRow.starts_at < starts_before)
        if after is not None:
            query = query.where(MeetingRow.id > after)
        rows: list[dict[str, Any]] = (
            await query.order_by(MeetingRow.id).limit(batch_size).output(load_json=True)
        )
        if not rows:
            return
        for row in rows:
            row["calendar"] = {"visibility": row["visibility"]}
        yield await _hydrate(rows)
        if len(rows) < batch_size:
            return
        after = rows[-1]["id"]
