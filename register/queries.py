"""The one read path for the public register: pages, API, dumps and feeds all call these
functions, so a filter means the same thing everywhere.

Only published versions are read: the public projection (`public_meeting`, written with each
publication-log entry from the same public payload) and the log itself, never the meetings'
working rows. A list is ordered with the meeting's id as the last key, so that pagination by
cursor (keyset) is stable while new meetings are published.
"""

import base64
import binascii
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, NamedTuple
from uuid import UUID
from zoneinfo import ZoneInfo

from piccolo.columns.combination import Where, WhereRaw
from piccolo.query.functions.aggregate import Count
from piccolo.query.mixins import OrderByRaw
from pydantic import BaseModel, ConfigDict, Field, model_validator

from register.domain.kinds import LogAction, MeetingFormat, PublicationState
from register.domain.normalise import tokens
from register.domain.public_record import Publication, PublicRecord, PublishedMeeting
from register.store.tables import PublicationEntry, PublicMeeting, PublicMeetingOrganisation
from register.store.transaction import reading
from register.store.values import as_aware

REGISTER_ZONE = ZoneInfo("Europe/Paris")
"""Dates in filters (`since`, `until`) are days in this zone, the zone of French authorities."""

MAX_LIMIT = 500


class InvalidCursorError(ValueError):
    """A pagination cursor that this register did not hand out (or for another sort)."""


class MeetingSort(StrEnum):
    """Orders of a list of meetings; each ends with the meeting's id, so it is total."""

    NEWEST = "-date"
    OLDEST = "date"
    RECENTLY_PUBLISHED = "-published"


class MeetingFilter(BaseModel):
    """What a search asks for; every field is optional and they combine with AND."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    q: str | None = Field(
        default=None,
        max_length=200,
        description="Words to find in the subject, organisations, official and authority "
        "(case and accents ignored; every word must match the start of a word).",
    )
    authority: UUID | None = Field(default=None, description="An authority's id.")
    official: UUID | None = Field(
        default=None, description="The id of the official whose diary holds the meeting."
    )
    organisation: UUID | None = Field(default=None, description="An organisation's id.")
    policy_area: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        max_length=60,
        description="A policy area's code.",
    )
    format: MeetingFormat | None = None
    since: date | None = Field(default=None, description="First day (Paris time), inclusive.")
    until: date | None = Field(default=None, description="Last day (Paris time), inclusive.")
    hatvp_registered: bool | None = Field(
        default=None,
        description="true: at least one organisation is in the HATVP register; false: none is.",
    )
    state: PublicationState | None = Field(
        default=None,
        description="published, corrected or withdrawn (a withdrawal stays public).",
    )

    @model_validator(mode="after")
    def _period_in_order(self) -> "MeetingFilter":
        if self.since and self.until and self.until < self.since:
            raise ValueError("until is before since")
        if self.state in {PublicationState.DRAFT, PublicationState.READY}:
            raise ValueError("state must be published, corrected or withdrawn")
        return self

    def params(self) -> dict[str, str]:
        """The filter as query parameters, for shareable URLs and feed links."""
        found: dict[str, str] = {}
        for name, value in self.model_dump(mode="json", exclude_none=True).items():
            found[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
        return found

    @property
    def is_empty(self) -> bool:
        return not self.params()


class MeetingPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    items: list[PublishedMeeting]
    total: int
    next_cursor: str | None


class StoredVersion(NamedTuple):
    """One public version as the register stores it: its payload (the public record, with
    `publication`) as canonical JSON, validated when it was published, and when it was
    published. The API writes it out without validating it again; `published()` makes it a
    `PublishedMeeting` for pages and feeds."""

    body: str
    recorded_at: datetime
    log_seq: int
    first_published_at: datetime


class StoredPage(NamedTuple):
    items: list[StoredVersion]
    total: int
    next_cursor: str | None


class RegisterSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    published_meetings: int
    organisations: int
    officials: int
    log_entries: int


class RegisterVersion(BaseModel):
    """The log's last entry: anything public changes only when it does (ETags, caches)."""

    model_config = ConfigDict(frozen=True)

    last_seq: int
    last_recorded_at: datetime | None
    last_hash: str = ""
    """The chain's head: it names the whole log's content, whatever database it is in."""


def published(stored: StoredVersion) -> PublishedMeeting:
    """The stored version as the domain's validated model."""
    payload = json.loads(stored.body)
    publication = Publication.model_validate(payload.pop("publication"))
    return PublishedMeeting(
        record=PublicRecord.model_validate(payload),
        publication=publication,
        recorded_at=stored.recorded_at,
        log_seq=stored.log_seq,
        first_published_at=stored.first_published_at,
    )


def _stored(row: dict[str, Any]) -> StoredVersion:
    return StoredVersion(
        body=row["body"],
        recorded_at=as_aware(row["published_at"]),
        log_seq=row["log_seq"],
        first_published_at=as_aware(row["first_published_at"]),
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=REGISTER_ZONE).astimezone(UTC)


def _words_condition(words: list[str]) -> list[Any]:
    """Every word starts a word of the search text, as a prefix query of the full-text index
    (whose tokens are exactly the normalised words): on SQLite `public_meeting_fts`, on
    PostgreSQL a GIN index of `to_tsvector('simple', search_text)`. Words are [0-9a-z]+:
    nothing to escape in either query language."""
    if str(PublicMeeting._meta.db.engine_type) == "sqlite":
        query = " ".join(f'"{word}"*' for word in words)
        return [
            WhereRaw(
                "public_meeting.rowid IN (SELECT rowid FROM public_meeting_fts "
                "WHERE public_meeting_fts MATCH {})",
                query,
            )
        ]
    return [
        WhereRaw(
            "to_tsvector('simple', public_meeting.search_text) @@ to_tsquery('simple', {})",
            " & ".join(f"{word}:*" for word in words),
        )
    ]


def filter_conditions(filters: MeetingFilter) -> list[Where | WhereRaw | Any]:
    found: list[Any] = []
    words = tokens(filters.q or "")[:12]
    if words:
        found.extend(_words_condition(words))
    if filters.authority:
        found.append(PublicMeeting.authority == filters.authority)
    if filters.official:
        found.append(PublicMeeting.official == filters.official)
    if filters.organisation:
        found.append(
            PublicMeeting.id.is_in(
                PublicMeetingOrganisation.select(PublicMeetingOrganisation.meeting).where(
                    PublicMeetingOrganisation.organisation == filters.organisation
                )
            )
        )
    if filters.policy_area:
        found.append(PublicMeeting.policy_area == filters.policy_area)
    if filters.format:
        found.append(PublicMeeting.format == filters.format.value)
    if filters.since:
        found.append(PublicMeeting.starts_at >= _day_start(filters.since))
    if filters.until:
        found.append(PublicMeeting.starts_at < _day_start(filters.until + timedelta(days=1)))
    if filters.hatvp_registered is not None:
        found.append(PublicMeeting.hatvp_registered == filters.hatvp_registered)
    if filters.state:
        found.append(PublicMeeting.state == filters.state.value)
    return found


_SORT_COLUMN = {
    MeetingSort.NEWEST: PublicMeeting.starts_at,
    MeetingSort.OLDEST: PublicMeeting.starts_at,
    MeetingSort.RECENTLY_PUBLISHED: PublicMeeting.published_at,
}


def _cursor(sort: MeetingSort, row: dict[str, Any]) -> str:
    column = _SORT_COLUMN[sort]._meta.name
    document = {"s": sort.value, "k": as_aware(row[column]).isoformat(), "id": str(row["id"])}
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")


def _after(sort: MeetingSort, cursor: str) -> Any:
    """The condition "after the row this cursor names" in `sort`'s order."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        document = json.loads(base64.urlsafe_b64decode(padded.encode()))
        key = as_aware(datetime.fromisoformat(document["k"]))
        last_id = UUID(document["id"])
        if document["s"] != sort.value:
            raise InvalidCursorError("the cursor belongs to another sort order")
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError) as error:
        if isinstance(error, InvalidCursorError):
            raise
        raise InvalidCursorError("the cursor is not one this register handed out") from error
    column = _SORT_COLUMN[sort]
    if sort is MeetingSort.OLDEST:
        return (column > key) | ((column == key) & (PublicMeeting.id > last_id))
    return (column < key) | ((column == key) & (PublicMeeting.id < last_id))


def _ordered(query: Any, sort: MeetingSort) -> Any:
    ascending = sort is MeetingSort.OLDEST
    return query.order_by(_SORT_COLUMN[sort], PublicMeeting.id, ascending=ascending)


async def count_meetings(filters: MeetingFilter) -> int:
    query = PublicMeeting.count()
    for condition in filter_conditions(filters):
        query = query.where(condition)
    return int(await query)


_PAGE_COLUMNS = (
    PublicMeeting.id,
    PublicMeeting.starts_at,
    PublicMeeting.published_at,
    PublicMeeting.first_published_at,
    PublicMeeting.log_seq,
    PublicMeeting.body,
)
"""What a list reads: the payload, its publication times, and the keys of the sort orders."""


def _matching(filters: MeetingFilter, sort: MeetingSort, cursor: str | None) -> Any:
    query = PublicMeeting.select(*_PAGE_COLUMNS)
    for condition in filter_conditions(filters):
        query = query.where(condition)
    if cursor:
        query = query.where(_after(sort, cursor))
    return _ordered(query, sort)


async def search_stored(
    filters: MeetingFilter,
    *,
    sort: MeetingSort = MeetingSort.NEWEST,
    limit: int = 50,
    cursor: str | None = None,
) -> StoredPage:
    """One page of the published meetings that match, as stored, and how many match in all."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    query = _matching(filters, sort, cursor).limit(limit + 1)  # a bad cursor fails here
    async with reading():
        rows = await query
        total = await count_meetings(filters)
    more = len(rows) > limit
    rows = rows[:limit]
    return StoredPage(
        items=[_stored(row) for row in rows],
        total=total,
        next_cursor=_cursor(sort, rows[-1]) if more and rows else None,
    )


async def search_meetings(
    filters: MeetingFilter,
    *,
    sort: MeetingSort = MeetingSort.NEWEST,
    limit: int = 50,
    cursor: str | None = None,
) -> MeetingPage:
    """One page of the published meetings that match, and how many match in all."""
    page = await search_stored(filters, sort=sort, limit=limit, cursor=cursor)
    return MeetingPage(
        items=[published(item) for item in page.items],
        total=page.total,
        next_cursor=page.next_cursor,
    )


async def iter_stored(
    filters: MeetingFilter, *, sort: MeetingSort = MeetingSort.NEWEST, batch: int = 1000
) -> AsyncIterator[StoredVersion]:
    """Every matching meeting as stored, a batch at a time (flat memory for exports)."""
    cursor = None
    while True:
        rows = await _matching(filters, sort, cursor).limit(batch)
        for row in rows:
            yield _stored(row)
        if len(rows) < batch:
            return
        cursor = _cursor(sort, rows[-1])


async def iter_meetings(
    filters: MeetingFilter, *, sort: MeetingSort = MeetingSort.NEWEST, batch: int = 1000
) -> AsyncIterator[PublishedMeeting]:
    """Every matching meeting, a batch at a time (flat memory for exports, dumps and feeds)."""
    async for stored in iter_stored(filters, sort=sort, batch=batch):
        yield published(stored)


async def stored_meeting(meeting_id: UUID) -> StoredVersion | None:
    """The current public version of a meeting as stored, or None if it was never published."""
    row = await PublicMeeting.select(*_PAGE_COLUMNS).where(PublicMeeting.id == meeting_id).first()
    return None if row is None else _stored(row)


async def published_meeting(meeting_id: UUID) -> PublishedMeeting | None:
    """The current public version of a meeting, or None if it was never published."""
    stored = await stored_meeting(meeting_id)
    return None if stored is None else published(stored)


def _logged(row: dict[str, Any], first_published_at: Any) -> StoredVersion:
    """The version a publication-log entry published."""
    return StoredVersion(
        body=json.dumps(json.loads(row["body"])["payload"]),
        recorded_at=as_aware(row["recorded_at"]),
        log_seq=row["seq"],
        first_published_at=as_aware(first_published_at),
    )


async def stored_history(meeting_id: UUID) -> list[StoredVersion]:
    """Every public version of a meeting as stored, oldest first, from the publication log."""
    current = (
        await PublicMeeting.select(PublicMeeting.first_published_at)
        .where(PublicMeeting.id == meeting_id)
        .first()
    )
    if current is None:
        return []
    rows = (
        await PublicationEntry.select(
            PublicationEntry.seq, PublicationEntry.recorded_at, PublicationEntry.body
        )
        .where(PublicationEntry.meeting == meeting_id)
        .order_by(PublicationEntry.seq)
    )
    return [_logged(row, current["first_published_at"]) for row in rows]


async def meeting_history(meeting_id: UUID) -> list[PublishedMeeting]:
    """Every public version of a meeting, oldest first, from the publication log."""
    return [published(stored) for stored in await stored_history(meeting_id)]


async def log_entries(filters: MeetingFilter, *, limit: int = 50) -> list[PublishedMeeting]:
    """The latest publications, corrections and withdrawals of matching meetings, newest first:
    each is the version that log entry published (for RSS and Atom)."""
    meetings = PublicMeeting.select(PublicMeeting.id)
    for condition in filter_conditions(filters):
        meetings = meetings.where(condition)
    query = PublicationEntry.select(
        PublicationEntry.seq,
        PublicationEntry.recorded_at,
        PublicationEntry.body,
        PublicationEntry.meeting,
    )
    if not filters.is_empty:
        query = query.where(PublicationEntry.meeting.is_in(meetings))
    rows = await query.order_by(PublicationEntry.seq, ascending=False).limit(limit)
    firsts = {
        row["id"]: row["first_published_at"]
        for row in await PublicMeeting.select(
            PublicMeeting.id, PublicMeeting.first_published_at
        ).where(PublicMeeting.id.is_in([row["meeting"] for row in rows] or [None]))
    }
    return [published(_logged(row, firsts.get(row["meeting"], row["recorded_at"]))) for row in rows]


def log_action(meeting: PublishedMeeting) -> LogAction:
    """Which kind of log entry published this version."""
    if meeting.publication.state is PublicationState.WITHDRAWN:
        return LogAction.WITHDRAW
    return LogAction.PUBLISH if meeting.publication.version == 1 else LogAction.CORRECT


async def register_version() -> RegisterVersion:
    row = (
        await PublicationEntry.select(
            PublicationEntry.seq, PublicationEntry.recorded_at, PublicationEntry.hash
        )
        .order_by(PublicationEntry.seq, ascending=False)
        .first()
    )
    if row is None:
        return RegisterVersion(last_seq=0, last_recorded_at=None)
    return RegisterVersion(
        last_seq=row["seq"], last_recorded_at=as_aware(row["recorded_at"]), last_hash=row["hash"]
    )


async def latest_published(
    *, authority_id: UUID | None = None, limit: int = 20
) -> list[PublishedMeeting]:
    """The current public versions, most recent meeting first."""
    found: list[PublishedMeeting] = []
    async for meeting in iter_meetings(
        MeetingFilter(authority=authority_id), batch=min(limit, MAX_LIMIT)
    ):
        found.append(meeting)
        if len(found) == limit:
            break
    return found


async def register_summary() -> RegisterSummary:
    """Headline figures of the public register."""
    organisations = await PublicMeetingOrganisation.select(
        PublicMeetingOrganisation.organisation
    ).distinct()
    officials = await PublicMeeting.select(PublicMeeting.official).distinct()
    return RegisterSummary(
        published_meetings=await PublicMeeting.count(),
        organisations=len(organisations),
        officials=len(officials),
        log_entries=await PublicationEntry.count(),
    )


async def meetings_per_organisation(
    filters: MeetingFilter, *, limit: int = 10
) -> list[tuple[UUID, str, int]]:
    """The organisations met most often among matching meetings: (id, name, meetings)."""
    meetings = PublicMeeting.select(PublicMeeting.id)
    for condition in filter_conditions(filters):
        meetings = meetings.where(condition)
    query = PublicMeetingOrganisation.select(
        PublicMeetingOrganisation.organisation,
        PublicMeetingOrganisation.name,
        Count(alias="n"),
    )
    if not filters.is_empty:
        query = query.where(PublicMeetingOrganisation.meeting.is_in(meetings))
    rows = (
        await query.group_by(PublicMeetingOrganisation.organisation, PublicMeetingOrganisation.name)
        .order_by(OrderByRaw("n"), ascending=False)
        .order_by(PublicMeetingOrganisation.name)
        .limit(limit)
    )
    return [(row["organisation"], row["name"], row["n"]) for row in rows]
