"""A fault-injecting HTTP proxy for tests: a real TCP listener on 127.0.0.1 that forwards each
request to a real server (Radicale) and, while a fault is switched on, misbehaves the way real
servers and the networks in front of them do.

Each request is read whole, forwarded with plain httpx, and the answer written back with
`Connection: close`; a fault applies to the requests it matches (by method, path or a word of
the request's body) for as many requests as it is told, or until it is cleared. Only the answer
of the matched requests is altered: everything else is the real server's.
"""

import asyncio
import re
import socket
import struct
import threading
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

import httpx

T = TypeVar("T")

HUGE_BYTES = 50 * 1024 * 1024
"""The size of the event the HUGE_EVENT fault serves."""

HUGE_NAME = "enorme.ics"
"""The file name of the calendar object the HUGE_EVENT fault adds to a calendar."""

TRICKLE_BYTES = 8
TRICKLE_PAUSE = 0.25
"""A trickled answer: 8 bytes every quarter of a second, 32 bytes a second."""

STALL_SECONDS = 30.0
"""How long a stalled answer waits at most, unless the client gives up first."""

_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "transfer-encoding",
        "content-length",
        "content-encoding",
        "proxy-connection",
        "te",
        "upgrade",
        "host",
        "accept-encoding",
    }
)
_CALENDAR_DATA = re.compile(
    rb"(<(?:[A-Za-z]+:)?calendar-data[^>]*>)(.*?)(</(?:[A-Za-z]+:)?calendar-data>)", re.DOTALL
)
_MULTISTATUS_OPEN = re.compile(rb"<(?:[A-Za-z]+:)?multistatus[^>]*>")


class FaultKind(StrEnum):
    RESET = "reset"
    """Half the answer, then a TCP reset."""
    STALL = "stall"
    """The request is read and never answered."""
    SERVER_ERROR = "server-error"
    """503 Service Unavailable, with an HTML body, without asking the server."""
    TRUNCATE = "truncate"
    """The first half of the answer's body, sent as if whole (its Content-Length says so)."""
    CORRUPT = "corrupt"
    """The answer with a stray closing tag in its middle: XML that is not well-formed."""
    NOT_ICALENDAR = "not-icalendar"
    """Calendar data that is not iCalendar: each calendar-data of a CalDAV answer, or the
    whole body of a GET, replaced by an HTML error page."""
    HUGE_EVENT = "huge-event"
    """A 50 MB calendar object added to the calendar: listed with its ETag by PROPFIND and
    sync-collection, its data streamed (generated, never held) in calendar-query and
    calendar-multiget answers, and a GET's body padded to 50 MB."""
    TRICKLE = "trickle"
    """The real answer, a few bytes at a time: never silent long enough for a read timeout."""
    LOGIN_PAGE = "login-page"
    """200 OK with a well-formed XHTML log-in page, as a single sign-on gateway answers."""


@dataclass(frozen=True)
class Fault:
    """A fault, and which requests it hits."""

    kind: FaultKind
    method: str | None = None
    path: str | None = None
    """Only requests whose path starts with this."""
    body_contains: str | None = None
    """Only requests whose body contains this (e.g. "calendar-multiget")."""
    times: int | None = None
    """How many matching requests it hits; None: until cleared."""

    def matches(self, method: str, path: str, body: bytes) -> bool:
        return (
            (self.method is None or method == self.method)
            and (self.path is None or path.startswith(self.path))
            and (self.body_contains is None or self.body_contains.encode() in body)
        )


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes
    headers: dict[str, str]


@dataclass
class Seen:
    """What the proxy was asked, and which fault it answered with."""

    method: str
    path: str
    fault: FaultKind | None


@dataclass
class _Faults:
    active: list[tuple[Fault, list[int]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, method: str, path: str, body: bytes) -> Fault | None:
        with self.lock:
            for fault, used in self.active:
                if fault.matches(method, path, body) and (
                    fault.times is None or used[0] < fault.times
                ):
                    used[0] += 1
                    return fault
        return None


class FaultProxy:
    """A proxy in front of `upstream` (scheme and host, e.g. http://127.0.0.1:5232), serving
    on its own port from a thread of its own."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.port = 0
        self.seen: list[Seen] = []
        self._faults = _Faults()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._client: httpx.AsyncClient | None = None
        self._stalled = asyncio.Event()
        self.huge_sent: list[int] = []
        """Bytes of each 50 MB answer sent before the client stopped reading."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FaultProxy":
        self._thread.start()
        self._run(self._listen())
        return self

    def stop(self) -> None:
        self._run(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def inject(self, fault: Fault) -> None:
        with self._faults.lock:
            self._faults.active.append((fault, [0]))

    def clear(self) -> None:
        with self._faults.lock:
            self._faults.active.clear()
        self._loop.call_soon_threadsafe(self._stalled.set)

    @contextmanager
    def faulty(self, fault: Fault) -> Iterator[None]:
        self.inject(fault)
        try:
            yield
        finally:
            self.clear()

    @contextmanager
    def refusing(self) -> Iterator[None]:
        """No listener on the proxy's port: connections are refused (ECONNREFUSED)."""
        self._run(self._unlisten())
        try:
            yield
        finally:
            self._run(self._listen())

    def faults_served(self) -> int:
        return sum(1 for seen in self.seen if seen.fault is not None)

    def _run(self, work: Awaitable[T]) -> T:
        async def wrapped() -> T:
            return await work

        return asyncio.run_coroutine_threadsafe(wrapped(), self._loop).result(timeout=30)

    async def _listen(self) -> None:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=30)
        self._server = await asyncio.start_server(
            self._serve, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _unlisten(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _close(self) -> None:
        self._stalled.set()
        await self._unlisten()
        if self._client is not None:
            await self._client.aclose()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await _read_request(reader)
            if request is None:
                return
            fault = self._faults.take(request.method, request.path, request.body)
            self.seen.append(Seen(request.method, request.path, fault.kind if fault else None))
            await self._answer(request, fault, reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client gave up: what a client does
        finally:
            writer.close()

    async def _answer(
        self,
        request: Request,
        fault: Fault | None,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> None:
        kind = fault.kind if fault else None
        if kind is not None and await self._answer_alone(kind, request, reader, writer):
            return
        try:
            response = await self._forward(request)
        except httpx.HTTPError as failure:
            page = f"the proxy could not reach the server: {failure!r}".encode()
            await _write(writer, 502, "Bad Gateway", {"Content-Type": "text/plain"}, page)
            return
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in _HOP_BY_HOP
        }
        status, reason, body = response.status_code, response.reason_phrase, response.content
        if kind is FaultKind.RESET:
            await _reset(writer, status, reason, headers, body)
        elif kind is FaultKind.TRICKLE:
            await self._trickle(writer, _head(status, reason, headers, len(body)) + body)
        else:
            await _write(writer, status, reason, headers, _altered(kind, request, body, headers))

    async def _answer_alone(
        self,
        kind: FaultKind,
        request: Request,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        """Answer a fault that needs no answer of the server's; False for the others."""
        if kind is FaultKind.STALL:
            self._stalled.clear()
            closed = asyncio.ensure_future(reader.read())
            await asyncio.wait(
                [closed, asyncio.ensure_future(self._stalled.wait())],
                timeout=STALL_SECONDS,
                return_when=asyncio.FIRST_COMPLETED,
            )
            closed.cancel()
        elif kind is FaultKind.SERVER_ERROR:
            page = b"<html><body><h1>503 Service Unavailable</h1></body></html>"
            await _write(writer, 503, "Service Unavailable", {"Content-Type": "text/html"}, page)
        elif kind is FaultKind.LOGIN_PAGE:
            page = (
                b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
                b"<form><p>Connexion au portail</p></form></body></html>"
            )
            await _write(writer, 200, "OK", {"Content-Type": "text/html"}, page)
        elif kind is FaultKind.HUGE_EVENT and _streams_data(request):
            await self._huge_answer(request, writer)
        else:
            return False
        return True

    async def _trickle(self, writer: asyncio.StreamWriter, answer: bytes) -> None:
        self._stalled.clear()
        for start in range(0, len(answer), TRICKLE_BYTES):
            if self._stalled.is_set():
                return
            writer.write(answer[start : start + TRICKLE_BYTES])
            await writer.drain()
            await asyncio.sleep(TRICKLE_PAUSE)

    async def _forward(self, request: Request) -> httpx.Response:
        assert self._client is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        return await self._client.request(
            request.method,
            self.upstream + request.path,
            content=request.body,
            headers=headers,
        )

    async def _huge_answer(self, request: Request, writer: asyncio.StreamWriter) -> None:
        """The real answer with the huge object's response first, chunked, generated as it is
        sent: the proxy never holds 50 MB."""
        real = await self._forward(request)
        head = _MULTISTATUS_OPEN.search(real.content)
        if request.method == "GET":
            opening, rest = real.content.split(b"BEGIN:VEVENT", 1)
            prefix = opening
            suffix = b"BEGIN:VEVENT" + rest
            content_type = "text/calendar; charset=utf-8"
        else:
            assert head is not None, real.content[:200]
            prefix = real.content[: head.end()]
            suffix = real.content[head.end() :]
            content_type = "application/xml; charset=utf-8"
        calendar = _calendar_path(request.path)
        lines = [
            f"HTTP/1.1 {real.status_code} {real.reason_phrase}",
            f"Content-Type: {content_type}",
            "Transfer-Encoding: chunked",
            "Connection: close",
        ]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.huge_sent.append(0)
        try:
            for piece in _huge_object(request.method, calendar, prefix, suffix):
                writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                await writer.drain()
                self.huge_sent[-1] += len(piece)
            writer.write(b"0\r\n\r\n")
            await writer.drain()
        except ConnectionError:
            pass  # the client stopped reading: what it should do


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, path, _ = request_line.split(" ", 2)
    headers: dict[str, str] = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip()] = value.strip()
    length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
    body = await reader.readexactly(length) if length else b""
    return Request(method, path, body, headers)


async def _write(
    writer: asyncio.StreamWriter, status: int, reason: str, headers: dict[str, str], body: bytes
) -> None:
    writer.write(_head(status, reason, headers, len(body)) + body)
    await writer.drain()


def _head(status: int, reason: str, headers: dict[str, str], length: int) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines += [f"Content-Length: {length}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _reset(
    writer: asyncio.StreamWriter, status: int, reason: str, headers: dict[str, str], body: bytes
) -> None:
    """The head and half the body, then a reset (SO_LINGER 0): the client reads an answer
    that stops with ECONNRESET."""
    writer.write(_head(status, reason, headers, len(body)) + body[: len(body) // 2])
    await writer.drain()
    await asyncio.sleep(0.05)
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _altered(
    kind: FaultKind | None, request: Request, body: bytes, headers: dict[str, str]
) -> bytes:
    """The server's answer as the fault alters it."""
    if kind is FaultKind.TRUNCATE:
        return body[: len(body) // 2]
    if kind is FaultKind.CORRUPT:
        middle = len(body) // 2
        return body[:middle] + b"</pas-une-balise>" + body[middle:]
    if kind is FaultKind.NOT_ICALENDAR:
        return _not_icalendar(request, body, headers)
    if kind is FaultKind.HUGE_EVENT:
        return _listed_huge(request, body)
    return body


def _not_icalendar(request: Request, body: bytes, headers: dict[str, str]) -> bytes:
    page = b"&lt;html&gt;&lt;body&gt;Erreur interne&lt;/body&gt;&lt;/html&gt;"
    if request.method == "GET":
        headers["Content-Type"] = "text/html"
        return b"<html><body>Erreur interne du serveur de calendriers</body></html>"
    return _CALENDAR_DATA.sub(lambda match: match[1] + page + match[3], body)


def _streams_data(request: Request) -> bool:
    if request.method == "GET":
        return True
    return request.method == "REPORT" and (
        b"calendar-query" in request.body
        or (b"calendar-multiget" in request.body and HUGE_NAME.encode() in request.body)
    )


def _calendar_path(path: str) -> str:
    return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"


def _member(calendar: str) -> bytes:
    return (
        f'<D:response xmlns:D="DAV:"><D:href>{calendar}{HUGE_NAME}</D:href><D:propstat>'
        '<D:prop><D:getetag>"enorme-1"</D:getetag></D:prop>'
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    ).encode()


def _listed_huge(request: Request, body: bytes) -> bytes:
    """PROPFIND Depth 1 and sync-collection answers name the huge object too."""
    wants_members = (request.method == "PROPFIND" and request.headers.get("Depth") == "1") or (
        request.method == "REPORT" and b"sync-collection" in request.body
    )
    head = _MULTISTATUS_OPEN.search(body)
    if not wants_members or head is None:
        return body
    return body[: head.end()] + _member(_calendar_path(request.path)) + body[head.end() :]


def _huge_object(method: str, calendar: str, prefix: bytes, suffix: bytes) -> Iterator[bytes]:
    """The answer's opening, the 50 MB object, then the rest of the real answer."""
    uid = "enorme@ville-test.example"
    event = (
        "BEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261201T090000Z\r\n"
        "DTSTART:20270112T090000Z\r\nDTEND:20270112T100000Z\r\nSUMMARY:Pièce jointe\r\n"
        "DESCRIPTION:"
    ).encode()
    yield prefix
    if method == "GET":
        yield event
    else:
        yield (
            f'<D:response xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            f"<D:href>{calendar}{HUGE_NAME}</D:href><D:propstat><D:prop>"
            '<D:getetag>"enorme-1"</D:getetag><C:calendar-data>'
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//EN\r\n"
        ).encode() + event
    line = b"A" * 73 + b"\r\n "
    block = line * (64 * 1024 // len(line))
    for _ in range(HUGE_BYTES // len(block)):
        yield block
    yield b"\r\nEND:VEVENT\r\n"
    if method != "GET":
        yield (
            b"END:VCALENDAR\r\n</C:calendar-data></D:prop>"
            b"<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        )
    yield suffix
