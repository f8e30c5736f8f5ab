"""HEAD answered as GET without its body (RFC 9110 §9.3.2), on every page, API route, feed and
download: link checkers, feed readers and `curl -I` ask HEAD first, and Litestar's GET handlers
do not answer it (405). The status and headers are the GET's, `Content-Length` and `ETag`
included, so a conditional HEAD answers 304 like a conditional GET."""

from typing import cast

from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send


def head_as_get(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "HEAD":
            await app(scope, receive, send)
            return
        as_get = cast("HTTPScope", {**scope, "method": "GET"})
        finished = False

        async def without_body(message: Message) -> None:
            nonlocal finished
            if message["type"] != "http.response.body":
                await send(message)
            elif not finished:  # one empty body ends the answer; the GET's later ones are dropped
                finished = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await app(as_get, receive, without_body)

    return middleware
