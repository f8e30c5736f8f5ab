"""What the OpenAPI schema says beyond the handlers' signatures: the error answers (RFC 9457
problem details), 304, the CSV twin of every list, and the response headers of a read."""

from collections.abc import Sequence
from dataclasses import dataclass

from litestar.datastructures import ResponseHeader
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Operation, Parameter, Schema
from litestar.openapi.spec.enums import OpenAPIType

from register.domain.kinds import MeetingFormat
from register.open_data import CsvColumn
from register.web.api.conventions import CACHE_CONTROL
from register.web.api.schemas import Problem
from register.web.problems import PROBLEM_MEDIA_TYPE

_PROBLEMS = {
    400: "A parameter is invalid or unknown (bad date, unknown filter value, limit out of "
    "range, bad cursor), or the URL is not well-formed percent-encoded UTF-8: a problem "
    "document names each one.",
    404: "No published meeting, official or organisation has this id.",
    414: "The path is longer than 2,048 bytes or the query string longer than 4,096.",
    429: "Too many requests from this address: wait for `Retry-After` seconds.",
    503: "The database is unavailable for a moment: retry after `Retry-After` seconds.",
}


def responses(*statuses: int) -> dict[int, ResponseSpec]:
    """304 and the problem answers `statuses` (plus 400, 414, 429 and 503, which any read may
    give)."""
    found: dict[int, ResponseSpec] = {
        304: ResponseSpec(
            data_container=None,
            description="Not modified: the copy named by `If-None-Match` (or dated by "
            "`If-Modified-Since`) is current.",
            generate_examples=False,
        )
    }
    for status in sorted({400, 414, 429, 503, *statuses}):
        found[status] = ResponseSpec(
            data_container=Problem,
            description=_PROBLEMS[status],
            media_type=PROBLEM_MEDIA_TYPE,
            generate_examples=False,
        )
    return found


READ_HEADERS = [
    ResponseHeader(
        name="ETag",
        description="Weak validator of this answer: send it back in `If-None-Match`.",
        documentation_only=True,
    ),
    ResponseHeader(
        name="Last-Modified",
        description="When the register last changed (its last publication-log entry).",
        documentation_only=True,
    ),
    ResponseHeader(name="Cache-Control", description=CACHE_CONTROL, documentation_only=True),
]

LIST_HEADERS = [
    *READ_HEADERS,
    ResponseHeader(
        name="Link",
        description='`<…>; rel="next"`: the next page, when there is one.',
        documentation_only=True,
    ),
]


def _csv_description(columns: Sequence[CsvColumn]) -> str:
    listed = "\n".join(f"- `{column.name}`: {column.description}" for column in columns)
    return (
        "CSV (RFC 4180, UTF-8, header row), for `format=csv` or `Accept: text/csv`; without "
        f"`limit`, every match. Columns, in this order:\n\n{listed}"
    )


def list_operation(columns: Sequence[CsvColumn]) -> type[Operation]:
    """The operation class of a list answered as JSON or CSV: documents the CSV content and the
    `format` parameter (on `/meetings`, `format` also takes the meeting-format filter values)."""

    @dataclass
    class ListOperation(Operation):
        def __post_init__(self) -> None:
            ok = (self.responses or {}).get("200")
            if isinstance(ok, OpenAPIResponse):
                ok.content = {
                    **(ok.content or {}),
                    "text/csv": OpenAPIMediaType(
                        schema=Schema(
                            type=OpenAPIType.STRING, description=_csv_description(columns)
                        )
                    ),
                }
            parameters = [
                p
                for p in self.parameters or []
                if not (isinstance(p, Parameter) and p.name == "format" and p.param_in == "query")
            ]
            filters_format = len(parameters) != len(self.parameters or [])
            values = [*(kind.value for kind in MeetingFormat)] if filters_format else []
            description = (
                "`csv` or `json`: the answer's format (JSON by default, or as `Accept` asks)."
            )
            if filters_format:
                description += (
                    " `in_person`, `video` or `phone`: only meetings of this format. Give it "
                    "twice for both (`format=video&format=csv`)."
                )
            parameters.append(
                Parameter(
                    name="format",
                    param_in="query",
                    required=False,
                    description=description,
                    schema=Schema(
                        type=OpenAPIType.ARRAY if filters_format else OpenAPIType.STRING,
                        items=Schema(type=OpenAPIType.STRING, enum=[*values, "csv", "json"])
                        if filters_format
                        else None,
                        enum=None if filters_format else ["csv", "json"],
                        max_items=2 if filters_format else None,
                    ),
                    explode=True if filters_format else None,
                )
            )
            self.parameters = parameters

    return ListOperation
