"""The meetings that compliance figures count, read in batches so that a large register is
streamed rather than loaded (see `register.domain.compliance` for the definitions)."""

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

from piccolo.query import Select
from piccolo.query.functions.aggregate import Count, Max

from register.domain.kinds import ClassificationKind, LegalGround, MeetingStatus, Visibility
from register.domain.meeting import Meeting
from register.store.repositories.meetings import _hydrate
from register.store.tables import Meeting as MeetingRow
from register.store.values import as_aware, as_uuid

BATCH_SIZE = 500

# The calendar's own text is staff-only and can be long; the figures need only its visibility,
# which has a column of its own.
_SKIPPED = frozenset({"calendar", "summary"})
_COLUMNS = [column for column in MeetingRow._meta.columns if column._meta.name not in _SKIPPED]


def _counted(
    query: "Select[MeetingRow]",
    authority_ids: Sequence[UUID],
    starts_from: datetime | None,
    starts_before: datetime | None,
) -> "Select[MeetingRow]":
    """`query` kept to the meetings that may count (see `counted_meeting_batches`)."""
    query = query.where(
        MeetingRow.authority.is_in(list(authority_ids)),
        MeetingRow.classification_kind == ClassificationKind.INTEREST_REPRESENTATIVE.value,
        MeetingRow.visibility == Visibility.PUBLIC.value,
        MeetingRow.status != MeetingStatus.CANCELLED.value,
    )
    if starts_from is not None:
        query = query.where(MeetingRow.starts_at >= starts_from)
    if starts_before is not None:
        query = query.where(MeetingRow.starts_at < starts_before)
    return query


class PublishedRow(NamedTuple):
    """What the figures need of a counted meeting already published."""

    authority_id: UUID
    official_id: UUID
    exemption_ground: LegalGround | None
    starts_at: datetime
    ends_at: datetime | None
    first_published_at: datetime


async def published_meeting_rows(
    authority_ids: Sequence[UUID],
    *,
    starts_from: datetime | None = None,
    starts_before: datetime | None = None,
    batch_size: int = 20 * BATCH_SIZE,
) -> AsyncIterator[list[PublishedRow]]:
    """The counted meetings already published (the rest of `counted_meeting_batches`), as six
    columns each rather than whole meetings, `batch_size` at a time by id (keyset)."""
    if not authority_ids:
        return
    after: UUID | None = None
    while True:
        query = _counted(
            MeetingRow.select(
                MeetingRow.id,
                MeetingRow.authority,
                MeetingRow.official,
                MeetingRow.exemption_ground,
                MeetingRow.starts_at,
                MeetingRow.ends_at,
                MeetingRow.first_published_at,
            ),
            authority_ids,
            starts_from,
            starts_before,
        ).where(MeetingRow.first_published_at.is_not_null())
        if after is not None:
            query = query.where(MeetingRow.id > after)
        rows: list[dict[str, Any]] = await query.order_by(MeetingRow.id).limit(batch_size)
        if not rows:
            return
        yield [
            PublishedRow(
                authority_id=as_uuid(row["authority"]),
                official_id=as_uuid(row["official"]),
                exemption_ground=LegalGround(row["exemption_ground"])
                if row["exemption_ground"]
                else None,
                starts_at=as_aware(row["starts_at"]),
                ends_at=as_aware(row["ends_at"]) if row["ends_at"] is not None else None,
                first_published_at=as_aware(row["first_published_at"]),
            )
            for row in rows
        ]
        if len(rows) < batch_size:
            return
        after = rows[-1]["id"]


async def counted_meeting_batches(
    authority_ids: Sequence[UUID],
    *,
    starts_from: datetime | None = None,
    starts_before: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    unpublished_only: bool = False,
) -> AsyncIterator[list[Meeting]]:
    """The authorities' meetings that may count (interest-representative, public, not
    cancelled, starting in [`starts_from`, `starts_before`)), with their collegiality records,
    `batch_size` at a time in the order of their ids (keyset pagination: each batch starts
    after the last id of the one before, so a batch costs the same however deep it is);
    `unpublished_only` keeps those never published."""
    if not authority_ids:
        return
    after: UUID | None = None
    while True:
        query = _counted(MeetingRow.select(*_COLUMNS), authority_ids, starts_from, starts_before)
        if unpublished_only:
            query = query.where(MeetingRow.first_published_at.is_null())
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


async def meetings_stamp(authority_ids: Sequence[UUID] | None) -> tuple[int, str]:
    """How many meetings the authorities (all by default) have and when one last changed:
    a key under which compliance figures can be kept, since any change to a meeting moves it."""
    query = MeetingRow.select(Count(alias="n"), Max(MeetingRow.updated_at, alias="last"))
    if authority_ids is not None:
        query = query.where(MeetingRow.authority.is_in(list(authority_ids)))
    row = (await query)[0]
    return int(row["n"]), str(row["last"])
