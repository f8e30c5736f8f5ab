"""Page parameters and page links shared by the API's paginated lists."""

from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from litestar import Request
from litestar.exceptions import ValidationException
from litestar.params import QueryParameter

from register.queries import MAX_LIMIT, InvalidCursorError
from register.settings import Settings
from register.web.api.conventions import Negotiated

DEFAULT_LIMIT = 50

Limit = Annotated[
    int | None,
    QueryParameter(
        ge=1,
        le=MAX_LIMIT,
        description=f"Items per page, 1 to {MAX_LIMIT}; {DEFAULT_LIMIT} by default. A CSV "
        "answer without `limit` holds every match.",
    ),
]
Cursor = Annotated[
    str | None,
    QueryParameter(
        max_length=1000,
        description="Where the page starts: the `next_cursor` of the previous page (opaque).",
    ),
]


def bad_cursor(error: InvalidCursorError) -> ValidationException:
    return ValidationException(
        detail=f"cursor: {error}",
        extra=[{"message": str(error), "key": "cursor", "source": "query"}],
    )


def page_url(
    request: Request[Any, Any, Any], settings: Settings, negotiated: Negotiated, cursor: str
) -> str:
    """The address of the page that starts at `cursor`, with the request's other parameters
    (absolute, on `REGISTER_BASE_URL` when it is set)."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "cursor"]
    if negotiated.explicit:
        params.append(("format", negotiated.representation.value))
    params.append(("cursor", cursor))
    base = (settings.base_url or f"{request.url.scheme}://{request.url.netloc}").rstrip("/")
    return f"{base}{request.url.path}?{urlencode(params)}"


def next_link(url: str | None) -> dict[str, str]:
    """The `Link` header of a page that has a next one (RFC 8288)."""
    return {"Link": f'<{url}>; rel="next"'} if url else {}
