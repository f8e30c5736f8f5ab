"""Requests refused before any handler reads them: too long a path or query string (414), a
declared body over the limit (413), and URLs or form bodies that are not well-formed
percent-encoded UTF-8 (400, RFC 3986 §2.1, WHATWG URL: application/x-www-form-urlencoded).

The standard parsers read such input "leniently": `%zz` is kept as typed and invalid UTF-8
becomes U+FFFD, so a handler would search, log or store text the client never sent. Refusing it
here gives one precise answer for the API, the public pages and the back office alike: the
exception is answered by the application's handlers, as problem details or an HTML error page.

The body limit itself is Litestar's `request_max_body_size` (`MAX_BODY_BYTES`), which also
stops a body sent without a Content-Length once it passes the limit; a Content-Length over it
is refused here without reading anything.
"""

import re

from litestar.enums import ScopeType
from litestar.exceptions import ClientException, HTTPException
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

MAX_PATH_BYTES = 2048
"""The longest path, as sent: the register's longest is under 150 bytes."""

MAX_QUERY_BYTES = 4096
"""The longest query string, as sent: every filter of the API and pages together fits in
less than a kilobyte."""

MAX_BODY_BYTES = 1_000_000
"""The largest request body: the back office's biggest form (a meeting's record, forty rows of
attendees and representatives, 10,000 characters of documents) is under 100 kB."""

MAX_FORM_FIELDS = 1000
"""The most fields in a form body: the record form has fewer than 200."""

_FORM = "application/x-www-form-urlencoded"
_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")


class URITooLongError(HTTPException):
    """414: RFC 9110 §15.5.15."""

    status_code = 414


def _percent_decoded(raw: bytes) -> bytes:
    return _ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), raw.replace(b"+", b" "))


def well_formed(raw: bytes) -> str | None:
    """What is wrong with percent-encoded `raw` (a path, a query string, a form body), or None:
    a `%` not followed by two hexadecimal digits, escapes that decode to invalid UTF-8, or a NUL
    character (no text holds one, and PostgreSQL refuses it: a 500 found by the back office's
    fuzz test)."""
    bad = _BAD_ESCAPE.search(raw)
    if bad:
        return f"a '%' at byte {bad.start()} is not followed by two hexadecimal digits"
    decoded = _percent_decoded(raw)
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"the percent-encoded bytes are not UTF-8 (byte {error.start} after decoding)"
    if b"\x00" in decoded:
        return "it holds a NUL character (%00), which is not text"
    return None


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


def check_url(scope: Scope) -> None:
    """Refuse a path or query string that is too long or not well-formed."""
    path = scope.get("raw_path") or str(scope.get("path", "")).encode()
    query = bytes(scope.get("query_string", b""))
    if len(path) > MAX_PATH_BYTES:
        raise URITooLongError(detail=f"the path is longer than {MAX_PATH_BYTES} bytes")
    if len(query) > MAX_QUERY_BYTES:
        raise URITooLongError(detail=f"the query string is longer than {MAX_QUERY_BYTES} bytes")
    for part, raw in (("path", path), ("query string", query)):
        wrong = well_formed(raw)
        if wrong:
            raise ClientException(detail=f"the {part} is not well-formed: {wrong}")


def _declared_length(scope: Scope) -> int | None:
    written = _header(scope, b"content-length")
    if written is None:
        return None
    try:
        return int(written)
    except ValueError as error:
        raise ClientException(detail="the Content-Length header is not a number") from error


async def _checked_form(receive: Receive) -> Receive:
    """Read a form body (under the size limit), check it, and hand the same messages on."""
    messages: list[ReceiveMessage] = []
    body = b""
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        if len(body) > MAX_BODY_BYTES:
            raise ClientException(status_code=413, detail=_too_large())
        if not message.get("more_body", False):
            break
    wrong = well_formed(body)
    if wrong:
        raise ClientException(detail=f"the form body is not well-formed: {wrong}")
    if body.count(b"&") >= MAX_FORM_FIELDS:
        raise ClientException(detail=f"the form has more than {MAX_FORM_FIELDS} fields")

    async def replay() -> ReceiveMessage:
        return messages.pop(0) if messages else await receive()

    return replay


def _too_large() -> str:
    return f"the request body is larger than {MAX_BODY_BYTES} bytes"


def request_limits(app: ASGIApp) -> ASGIApp:
    """The middleware: checks each HTTP request's URL, declared size and form body."""

    async def limited(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            check_url(scope)
            length = _declared_length(scope)
            if length is not None and length > MAX_BODY_BYTES:
                raise ClientException(status_code=413, detail=_too_large())
            kind = (_header(scope, b"content-type") or b"").split(b";")[0].strip().lower()
            if kind == _FORM.encode() and scope.get("method") not in {"GET", "HEAD"}:
                receive = await _checked_form(receive)
        await app(scope, receive, send)

    return limited
