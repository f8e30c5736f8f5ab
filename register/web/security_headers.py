"""Security headers on every answer: pages, back office, API (errors included), feeds, downloads,
static files, 404s and 405s.

An ASGI wrapper rather than Litestar middleware, so that answers produced before routing (404,
405) and by exception handlers get the headers too.

- `Content-Security-Policy`: everything from the register's own origin, nothing inline (no
  inline script, no `on…=` attribute, no `style=`; the templates, the SVG charts and
  `/static/staff.js` need none), no plug-ins, no framing (`frame-ancestors 'none'`, with
  `X-Frame-Options: DENY` for older browsers). The OpenAPI description is served as JSON only
  (`/schema/openapi.json`), so no documentation page needs a CDN's script.
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: strict-origin-when-cross-origin` (other
  sites see the origin, never a path with its query).
- `Strict-Transport-Security` only on answers to requests that arrived over TLS (RFC 6797
  §7.2: a browser ignores it over plain HTTP): `scope["scheme"] == "https"`, which uvicorn sets
  from `X-Forwarded-Proto` when the proxy is trusted (`FORWARDED_ALLOW_IPS`).
"""

from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)


def _with_headers(message: HTTPResponseStartEvent, tls: bool) -> HTTPResponseStartEvent:
    headers = list(message.get("headers", []))
    present = {bytes(name).lower() for name, _ in headers}
    headers += [(name, value) for name, value in SECURITY_HEADERS if name not in present]
    if tls and b"strict-transport-security" not in present:
        headers.append((b"strict-transport-security", HSTS.encode()))
    return {**message, "headers": headers}


def security_headers_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        tls = scope.get("scheme") == "https"

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = _with_headers(message, tls)
            await send(message)

        await app(scope, receive, send_wrapper)

    return middleware
