"""`/api/v1/meetings`: the published meetings, searched with the filters that pages and feeds
read (`register.web.filters`), and one meeting with every version it had."""

from collections.abc import AsyncIterator
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter

from register.open_data import MEETING_COLUMNS, meeting_row
from register.queries import (
    MAX_LIMIT,
    InvalidCursorError,
    MeetingFilter,
    MeetingSort,
    StoredVersion,
    iter_stored,
    search_stored,
    stored_history,
    stored_meeting,
)
from register.settings import Settings
from register.store.transaction import reading
from register.web.api.conventions import (
    CSV_OPT,
    MEETING_FORMAT_OPT,
    Negotiated,
    Representation,
)
from register.web.api.csv_output import csv_response
from register.web.api.documents import as_mapping, meeting_document
from register.web.api.openapi import LIST_HEADERS, READ_HEADERS, list_operation, responses
from register.web.api.pagination import (
    DEFAULT_LIMIT,
    Cursor,
    Limit,
    bad_cursor,
    next_link,
    page_url,
)
from register.web.api.schemas import MeetingList, MeetingWithVersions
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
    first: list[StoredVersion],
    filters: MeetingFilter,
    sort: MeetingSort,
    cursor: str | None,
) -> AsyncIterator[StoredVersion]:
    for meeting in first:
        yield meeting
    while cursor:
        page = await search_stored(filters, sort=sort, limit=MAX_LIMIT, cursor=cursor)
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
            everything = await primed(iter_stored(filters, sort=sort))
            return csv_response("meetings", MEETING_COLUMNS, everything, meeting_row)
        if not as_csv:
            return await _json_page(
                request,
                settings=settings,
                negotiated=negotiated,
                filters=filters,
                sort=sort,
                limit=limit,
                cursor=cursor,
            )
        try:
            page = await search_stored(
                filters,
                sort=sort,
                limit=limit or MAX_LIMIT,
                cursor=cursor,
            )
        except InvalidCursorError as error:
            raise bad_cursor(error) from error
        following = None
        if page.next_cursor and limit:
            following = page_url(request, settings, negotiated, page.next_cursor)
        rows = _rows(page.items, filters, sort, None if limit else page.next_cursor)
        return csv_response(
            "meetings", MEETING_COLUMNS, rows, meeting_row, headers=next_link(following)
        )

    @get(
        "/{meeting_id:uuid}",
        summary="One published meeting, with every version",
        description="The meeting's current public version, and in `versions` every version the "
        "register published, oldest first: what each correction changed, and why.",
        responses=responses(404),
        response_headers=READ_HEADERS,
    )
    async def get_meeting(self, meeting_id: FromPath[UUID]) -> Response[MeetingWithVersions]:
        async with reading():
            current = await stored_meeting(meeting_id)
            versions = await stored_history(meeting_id)
        if current is None:
            raise NotFoundException(detail=f"no published meeting has the id {meeting_id}")
        document = {
            **as_mapping(meeting_document(current)),
            "versions": [meeting_document(version) for version in versions],
        }
        return Response(_as_documented(document))


async def _json_page(
    request: Request[Any, Any, Any],
    *,
    settings: Settings,
    negotiated: Negotiated,
    filters: MeetingFilter,
    sort: MeetingSort,
    limit: int | None,
    cursor: str | None,
) -> Response[MeetingList]:
    """A page as `MeetingList`'s JSON, written from the stored payloads (`documents`)."""
    try:
        page = await search_stored(filters, sort=sort, limit=limit or DEFAULT_LIMIT, cursor=cursor)
    except InvalidCursorError as error:
        raise bad_cursor(error) from error
    following = None
    if page.next_cursor:
        following = page_url(request, settings, negotiated, page.next_cursor)
    document: dict[str, Any] = {
        "items": [meeting_document(item) for item in page.items],
        "total": page.total,
        "next_cursor": page.next_cursor,
        "links": {"next": following},
    }
    return Response(_as_documented(document), headers=next_link(following))


def _as_documented(document: dict[str, Any]) -> Any:
    """A document written with the JSON shape of the handler's documented model (which the
    OpenAPI schema shows, and the schemathesis tests check answers against)."""
    return document
