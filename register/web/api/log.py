"""`/api/v1/log`: the publication log as JSON Lines, for anyone to verify the chain.

Each line is `register.domain.publication_log.entry_line`: the entry's columns and the exact
body that was hashed, so `scripts/verify_log.py` (standard library only) checks a copy.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, get
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, Operation, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import QueryParameter
from litestar.response import Stream

from register.domain.publication_log import LogEntry, entry_line
from register.store.repositories.publication_log import iter_entries
from register.web.api.openapi import READ_HEADERS, responses
from register.web.api.streams import primed

JSON_LINES = "application/jsonl"
MAX_SEQ = 2**31 - 1
"""Entry numbers are 32-bit integers in the database."""

_LINE_SCHEMA = Schema(
    type=OpenAPIType.STRING,
    description="One JSON object per line: `seq`, `meeting_id`, `version`, `action` (publish, "
    "correct, withdraw), `recorded_at`, `body` (the hashed canonical JSON, whose `payload` is "
    "the published record), `previous_hash`, `hash` (SHA-256 of the previous hash, a newline "
    "and the body; 64 zeros before the first entry).",
)


@dataclass
class _LogOperation(Operation):
    def __post_init__(self) -> None:
        ok = (self.responses or {}).get("200")
        if isinstance(ok, OpenAPIResponse):
            ok.content = {JSON_LINES: OpenAPIMediaType(schema=_LINE_SCHEMA)}


async def _lines(entries: AsyncIterator[LogEntry]) -> AsyncIterator[str]:
    async for entry in entries:
        yield entry_line(entry) + "\n"


class LogController(Controller):
    path = "/log"
    tags = ("publication log",)

    @get(
        "/",
        summary="The publication log, as JSON Lines",
        description="Every published version of every meeting, in order, each entry chained to "
        "the previous one by its hash. From the first entry (the default), the lines verify "
        "with `scripts/verify_log.py`; `after` continues a copy already checked.",
        media_type=JSON_LINES,
        operation_class=_LogOperation,
        responses=responses(),
        response_headers=READ_HEADERS,
    )
    async def log(
        self,
        after: Annotated[
            int,
            QueryParameter(ge=0, le=MAX_SEQ, description="Only the entries after this `seq`."),
        ] = 0,
    ) -> Stream:
        entries = await primed(iter_entries(after_seq=after))
        return Stream(_lines(entries), media_type=JSON_LINES)
