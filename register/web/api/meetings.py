"""`/api/v1/meetings`: the published meetings, searched with the filters that pages and feeds
read (`register.web.filters`), and one meeting with every version it had."""

from collections.abc import AsyncIterator
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter

from register.domain.public_record import PublishedMeeting
from register.open_data import MEETING_COLUMNS, meeting_row
from register.queries import (
    MAX_LIMIT,
    InvalidCursorError,
    MeetingFilter,
    MeetingSort,
    iter_meetings,
    meeting_history,
    published_meeting,
    search_meetings,
)
from register.settings import Settings
from register.web.api.conventions import (
    CSV_OPT,
    MEETING_FORMAT_OPT,
    Negotiated,
    Representation,
)
from register.web.api.csv_output import csv_response
from register.web.api.openapi import LIST_HEADERS, READ_HEADERS, list_operation, responses
from register.web.api.pagination import (
    DEFAULT_LIMIT,
    Cursor,
    Limit,
    bad_cursor,
    next_link,
    page_url,
)
from register.web.api.schemas import Links, Meeting, MeetingList, MeetingWithVersions
from register.web.api.streams import primed
from register.web.filters import meeting_filter

Sort = Annotated[
    MeetingSort,
    QueryParameter(
        description="`-date`: latest meetings first (default); `date`: earliest first; "
        "`-published`: most recently published or corrected first. Ties are broken by id, so "
        "pages never overlap."
    ),
]


async def _rows(
    first: list[PublishedMeeting],
    filters: MeetingFilter,
    sort: MeetingSort,
    cursor: str | None,
) -> AsyncIterator[PublishedMeeting]:
    for meeting in first:
        yield meeting
    while cursor:
        page = await search_meetings(filters, sort=sort, limit=MAX_LIMIT, cursor=cursor)
        for meeting in page.items:
            yield meeting
        cursor = page.next_cursor


class MeetingsController(Controller):
    path = "/meetings"
    tags = ("meetings",)

    @get(
        "/",
        summary="Search the published meetings",
        description="The published meetings that match every filter given, one page at a time "
        "(`next_cursor`, `links.next` and the `Link` header lead to the next page), with how "
        "many match in all. Withdrawn meetings stay listed, with their withdrawal (`state` "
        "keeps one publication state).",
        dependencies={"filters": Provide(meeting_filter, sync_to_thread=False)},
        opt={CSV_OPT: True, MEETING_FORMAT_OPT: True},
        operation_class=list_operation(MEETING_COLUMNS),
        responses=responses(),
        response_headers=LIST_HEADERS,
    )
    async def list_meetings(
        self,
        *,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        negotiated: NamedDependency[Negotiated],
        filters: NamedDependency[MeetingFilter],
        sort: Sort = MeetingSort.NEWEST,
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> Response[MeetingList]:
        as_csv = negotiated.representation is Representation.CSV
        if as_csv and limit is None and cursor is None:
            everything = await primed(iter_meetings(filters, sort=sort))
            return csv_response("meetings", MEETING_COLUMNS, everything, meeting_row)
        try:
            page = await search_meetings(
                filters,
                sort=sort,
                limit=limit or (MAX_LIMIT if as_csv else DEFAULT_LIMIT),
                cursor=cursor,
            )
        except InvalidCursorError as error:
            raise bad_cursor(error) from error
        following = None
        if page.next_cursor and (limit or not as_csv):
            following = page_url(request, settings, negotiated, page.next_cursor)
        if as_csv:
            rows = _rows(page.items, filters, sort, None if limit else page.next_cursor)
            return csv_response(
                "meetings", MEETING_COLUMNS, rows, meeting_row, headers=next_link(following)
            )
        return Response(
            MeetingList(
                items=[Meeting.of(meeting) for meeting in page.items],
                total=page.total,
                next_cursor=page.next_cursor,
                links=Links(next=following),
            ),
            headers=next_link(following),
        )

    @get(
        "/{meeting_id:uuid}",
        summary="One published meeting, with every version",
        description="The meeting's current public version, and in `versions` every version the "
        "register published, oldest first: what each correction changed, and why.",
        responses=responses(404),
        response_headers=READ_HEADERS,
    )
    async def get_meeting(self, meeting_id: FromPath[UUID]) -> MeetingWithVersions:
        current = await published_meeting(meeting_id)
        if current is None:
            raise NotFoundException(detail=f"no published meeting has the id {meeting_id}")
        versions = await meeting_history(meeting_id)
        return MeetingWithVersions(
            **Meeting.of(current).model_dump(),
            versions=[Meeting.of(version) for version in versions],
        )
