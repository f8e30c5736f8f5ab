"""What every read of `/api/v1` does before and after its handler, so that handlers only query:

- the representation: a list answers CSV for `?format=csv` or `Accept: text/csv` (JSON
  otherwise, and for `?format=json`); the `format=csv|json` values are taken out of the query
  string, so that on `/meetings` the remaining `format` is the meeting-format filter that pages
  and feeds read too (`?format=video&format=csv` is the video meetings as CSV);
- strictness: a query parameter that the operation does not document is a 400 problem, so that
  a misspelt filter (`?authorty=…`) is never silently ignored;
- conditional GET (RFC 9110 §13): the ETag is computed before any work, from the register's
  version (the publication log's last entry), the application's version, the representation and
  the request's URL; `If-None-Match` (or, without it, `If-Modified-Since`) answers 304 at the cost
  of one indexed query. The ETag is weak: the gzip content coding changes the bytes, never the
  meaning. A 200 carries `ETag`, `Last-Modified`, `Cache-Control: public, max-age=60` and
  `Vary: Accept`.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from enum import StrEnum
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode

from litestar import Request
from litestar.datastructures import Headers, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import ValidationException
from litestar.middleware import ASGIMiddleware
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    HTTPScope,
    Message,
    Receive,
    Scope,
    Send,
)

from register import __version__
from register.queries import register_version

CSV_OPT = "csv"
"""`opt` key of a handler whose list can be answered as CSV."""
MEETING_FORMAT_OPT = "meeting_format"
"""`opt` key of a handler whose `format` is also the meeting-format filter (`/meetings`)."""

CACHE_CONTROL = "public, max-age=60"
_STATE_KEY = "register_api"


class Representation(StrEnum):
    JSON = "json"
    CSV = "csv"


@dataclass(frozen=True)
class Negotiated:
    """How this request is answered, as the handlers need to know it."""

    representation: Representation
    explicit: bool
    """Whether the query string asked for it (`format=…`), to repeat it in page links."""


def negotiated(request: Request[Any, Any, Any]) -> Negotiated:
    """A Litestar dependency: the representation chosen for this request."""
    found = (request.scope.get("state") or {}).get(_STATE_KEY)
    return found if isinstance(found, Negotiated) else Negotiated(Representation.JSON, False)


def _negotiate(
    query: list[tuple[str, str]], request: Request[Any, Any, Any]
) -> tuple[Negotiated, list[tuple[str, str]]]:
    asked = {value for name, value in query if name == "format" and value in set(Representation)}
    if len(asked) > 1:
        raise ValidationException(
            detail="format: csv and json cannot both be asked for",
            extra=[{"message": "csv and json both asked for", "key": "format", "source": "query"}],
        )
    rest = [(n, v) for n, v in query if not (n == "format" and v in set(Representation))]
    if asked:
        return Negotiated(Representation(asked.pop()), True), rest
    best = request.accept.best_match(["application/json", "text/csv"], default="application/json")
    chosen = Representation.CSV if best == "text/csv" else Representation.JSON
    return Negotiated(chosen, False), rest


def _documented_query(scope: Scope) -> set[str] | None:
    """The query parameters the OpenAPI schema documents for this operation (None: unknown)."""
    paths = scope["litestar_app"].openapi_schema.paths or {}
    item = paths.get(scope.get("path_template", ""))
    operation = getattr(item, "get", None) if item is not None else None
    if operation is None:
        return None
    return {p.name for p in operation.parameters or () if getattr(p, "param_in", "") == "query"}


def _refuse_unknown(scope: Scope, query: list[tuple[str, str]]) -> None:
    documented = _documented_query(scope)
    if documented is None:
        return
    unknown = sorted({name for name, _ in query} - documented)
    if unknown:
        message = f"unknown parameter (accepted here: {', '.join(sorted(documented)) or 'none'})"
        raise ValidationException(
            detail=f"{', '.join(unknown)}: {message}",
            extra=[{"message": message, "key": name, "source": "query"} for name in unknown],
        )


@dataclass(frozen=True)
class Freshness:
    etag: str
    last_modified: datetime | None

    def headers(self) -> dict[str, str]:
        found = {"ETag": self.etag, "Cache-Control": CACHE_CONTROL}
        if self.last_modified is not None:
            found["Last-Modified"] = format_datetime(self.last_modified, usegmt=True)
        return found

    def unchanged_for(self, headers: Headers) -> bool:
        """Whether the client's copy is current (RFC 9110 §13.1.2, §13.1.3)."""
        if_none_match = headers.get("if-none-match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return self.etag.removeprefix("W/") in tags
        if_modified_since = headers.get("if-modified-since")
        if if_modified_since is None or self.last_modified is None:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and self.last_modified.replace(microsecond=0) <= since


async def freshness(scope: Scope, representation: Representation) -> Freshness:
    """The validators of this request's answer, computed before doing any work."""
    version = await register_version()
    headers = Headers.from_scope(scope)
    url = (
        f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"
        f"{scope.get('root_path', '')}{scope['path']}?{scope.get('query_string', b'').decode()}"
    )
    digest = hashlib.sha256(
        "\n".join(
            (
                __version__,
                str(version.last_seq),
                version.last_recorded_at.isoformat() if version.last_recorded_at else "",
                representation.value,
                url,
            )
        ).encode()
    ).hexdigest()
    return Freshness(etag=f'W/"{digest[:32]}"', last_modified=version.last_recorded_at)


class ApiConventions(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if cast("HTTPScope", scope)["method"] not in {"GET", "HEAD"}:
            await next_app(scope, receive, send)
            return
        headers = Headers.from_scope(scope)
        raw_query = scope.get("query_string", b"").decode("latin-1")
        query = parse_qsl(raw_query, keep_blank_values=True)
        chosen = Negotiated(Representation.JSON, False)
        opt = scope["route_handler"].opt
        if opt.get(CSV_OPT):
            chosen, rest = _negotiate(query, Request(scope))
            if not opt.get(MEETING_FORMAT_OPT) and any(name == "format" for name, _ in rest):
                raise ValidationException(
                    detail="format: must be csv or json",
                    extra=[{"message": "must be csv or json", "key": "format", "source": "query"}],
                )
            if len(rest) != len(query):
                query = rest
                scope["query_string"] = urlencode(query).encode()
        _refuse_unknown(scope, query)
        scope.setdefault("state", {})[_STATE_KEY] = chosen

        fresh = await freshness(scope, chosen.representation)
        validators = fresh.headers()
        if fresh.unchanged_for(headers):
            not_modified: HTTPResponseStartEvent = {
                "type": "http.response.start",
                "status": 304,
                "headers": [
                    *((k.lower().encode(), v.encode()) for k, v in validators.items()),
                    (b"vary", b"Accept"),
                ],
            }
            await send(not_modified)
            empty: HTTPResponseBodyEvent = {
                "type": "http.response.body",
                "body": b"",
                "more_body": False,
            }
            await send(empty)
            return

        async def with_validators(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                response_headers = MutableScopeHeaders.from_message(message)
                for name, value in validators.items():
                    response_headers[name] = value
                response_headers.extend_header_value("Vary", "Accept")
            await send(message)

        await next_app(scope, receive, with_validators)
