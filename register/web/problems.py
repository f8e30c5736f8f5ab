"""Errors as RFC 9457 problem details (application/problem+json), or an HTML page for browsers.

Every refusal says what was wrong in a stable `type`, a `title`, a `detail` and, for bad input,
the list of `errors`; an unexpected failure is logged with its traceback and answered with a
500 that reveals nothing of the internals.
"""

import sqlite3
import traceback
from socket import gaierror
from typing import Any

import structlog
from asyncpg.exceptions import (
    InternalClientError,
    OperatorInterventionError,
    PostgresConnectionError,
    TooManyConnectionsError,
)
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "/problems/"

_log = structlog.get_logger("register.web")

_TITLES: dict[int, str] = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    414: "URI too long",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}

_TYPES: dict[int, str] = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    414: "uri-too-long",
    415: "unsupported-media-type",
    422: "invalid",
    429: "rate-limited",
    500: "internal-error",
    503: "unavailable",
}


def problem(
    request: Request[Any, Any, Any],
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    kind: str | None = None,
) -> Response[Any]:
    """A problem-details answer, or the HTML error page when a browser asked for a page."""
    title = _TITLES.get(status, "Error")
    if wants_html(request):
        return Template(
            template_name="error.html",
            context={"status": status, "title": title, "detail": detail},
            status_code=status,
            headers=headers,
            media_type=MediaType.HTML,
        )
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (kind or _TYPES.get(status, "error")),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = errors
    return Response(
        content=body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def wants_html(request: Request[Any, Any, Any]) -> bool:
    if request.url.path.startswith(("/api/", "/health", "/schema")):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept


def http_exception_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    errors: list[dict[str, Any]] | None = None
    detail = exc.detail
    if isinstance(exc, ValidationException):
        errors = [
            {
                "message": str(item.get("message", "")),
                "parameter": item.get("key"),
                "source": item.get("source"),
            }
            for item in (exc.extra if isinstance(exc.extra, list) else [])
            if isinstance(item, dict)
        ]
        detail = (
            "; ".join(
                f"{e['parameter']}: {e['message']}" if e["parameter"] else e["message"]
                for e in errors
            )
            or detail
        )
    return problem(request, exc.status_code, detail, errors=errors, headers=exc.headers)


_UNAVAILABLE = (
    PostgresConnectionError,  # refused, reset, closed in the middle of a query
    OperatorInterventionError,  # "the database system is starting up / shutting down"
    TooManyConnectionsError,
    # A pooled connection whose server went away while it was idle fails its next query with
    # "cannot switch to state …; another operation is in progress"; the pool then replaces it.
    InternalClientError,
)
_NETWORK = (ConnectionError, TimeoutError, gaierror)
"""Failures of any connection: the database's only when raised inside its driver."""
_DRIVERS = ("/asyncpg/", "/aiosqlite/", "/piccolo/engine/")
_SQLITE_UNAVAILABLE = ("database is locked", "database table is locked", "unable to open")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` (or what caused it) means the database cannot answer right now, which
    is worth a retry later, rather than a bug."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, _UNAVAILABLE):
            return True
        if isinstance(error, _NETWORK) and _raised_in_driver(error):
            return True
        if isinstance(error, sqlite3.OperationalError) and str(error).startswith(
            _SQLITE_UNAVAILABLE
        ):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _raised_in_driver(error: BaseException) -> bool:
    frames = traceback.extract_tb(error.__traceback__)
    return any(part in frame.filename for frame in frames for part in _DRIVERS)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if database_unavailable(exc):
        return database_unavailable_handler(request, exc)
    _log.error("unhandled error", path=request.url.path, method=request.method, exc_info=exc)
    return problem(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        "The server failed to answer this request; the failure has been logged.",
    )


def database_unavailable_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """The database did not answer: a 503 the client may retry, not a 500."""
    _log.warning("database unavailable", path=request.url.path, error=str(exc)[:300])
    return problem(
        request,
        503,
        "The database is unavailable right now; try again in a few seconds.",
        headers={"Retry-After": "5"},
        kind="database-unavailable",
    )
