"""Server behaviours that Radicale and Xandikos do not show, played by a small HTTP server: a
calendar without sync tokens (only a ctag, as old SabreDAV and Exchange gateways), credentials
asked for only by the REPORT, and a REPORT that fails."""

import base64
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import quote, unquote

import pytest

from connectors.caldav_source import CalDAVConnector
from connectors.delta import SourceUnreachableError, Window

CALENDAR = "/marie.dupont/agenda/"
WINDOW = Window(start=datetime(2026, 12, 1, tzinfo=UTC), end=datetime(2027, 6, 1, tzinfo=UTC))
CREDENTIALS = ("marie.dupont", "Cabinet-2026!")


def meeting(uid: str, summary: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTART:20270112T090000Z\r\nDTEND:20270112T100000Z\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


class Calendar(BaseHTTPRequestHandler):
    """One calendar collection with a ctag and no sync token; what it was asked is recorded."""

    objects: ClassVar[dict[str, tuple[str, str]]] = {}
    """file name → (ETag, text)"""
    ctag: ClassVar[str] = "ctag-1"
    asked: ClassVar[list[str]] = []
    """One line a request: method, depth, and `+ctag` when the ctag was asked for."""
    url: ClassVar[str] = ""
    report_status: ClassVar[int] = 207
    report_needs_credentials: ClassVar[bool] = False

    def do_PROPFIND(self) -> None:
        body = self.read_body()
        depth = self.headers.get("Depth", "")
        wants_ctag = "getctag" in body
        self.asked.append(f"PROPFIND {depth}" + (" +ctag" if wants_ctag else ""))
        ctag = f"<CS:getctag>{self.ctag}</CS:getctag>" if wants_ctag else ""
        responses = [
            f"<D:response><D:href>{CALENDAR}</D:href><D:propstat><D:prop>"
            "<D:resourcetype><D:collection/><C:calendar/></D:resourcetype>"
            f'<C:supported-calendar-component-set><C:comp name="VEVENT"/>'
            f"</C:supported-calendar-component-set>{ctag}</D:prop>"
            "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        ]
        if depth == "1":
            responses.extend(
                f"<D:response><D:href>{CALENDAR}{quote(name)}</D:href><D:propstat><D:prop>"
                f"<D:resourcetype/><D:getetag>{etag}</D:getetag></D:prop>"
                "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
                for name, (etag, _) in self.objects.items()
            )
        self.multistatus(responses)

    def do_REPORT(self) -> None:
        body = self.read_body()
        self.asked.append("REPORT " + ("query" if "calendar-query" in body else "multiget"))
        if self.report_needs_credentials and not self.authorised():
            self.answer(401, b"", {"WWW-Authenticate": 'Basic realm="agenda"'})
            return
        if self.report_status != 207:
            self.answer(self.report_status, b"")
            return
        if "calendar-query" in body:
            names = list(self.objects)
        else:
            prefix = re.escape(CALENDAR)
            names = [unquote(name) for name in re.findall(f"{prefix}([^<]+)</D:href>", body)]
        self.multistatus([self.object_response(name) for name in names])

    def object_response(self, name: str) -> str:
        href = f"<D:href>{CALENDAR}{quote(name)}</D:href>"
        if name not in self.objects:
            return f"<D:response>{href}<D:status>HTTP/1.1 404 Not Found</D:status></D:response>"
        etag, text = self.objects[name]
        return (
            f"<D:response>{href}<D:propstat><D:prop><D:getetag>{etag}</D:getetag>"
            f"<C:calendar-data>{text}</C:calendar-data></D:prop>"
            "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        )

    def authorised(self) -> bool:
        expected = base64.b64encode(":".join(CREDENTIALS).encode()).decode()
        return self.headers.get("Authorization", "") == f"Basic {expected}"

    def read_body(self) -> str:
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length).decode("utf-8")

    def multistatus(self, responses: list[str]) -> None:
        text = (
            '<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:"'
            ' xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/">'
            + "".join(responses)
            + "</D:multistatus>"
        )
        self.answer(207, text.encode(), {"Content-Type": "application/xml; charset=utf-8"})

    def answer(self, status: int, content: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent."""


@pytest.fixture
def server() -> Iterator[type[Calendar]]:
    """The calendar's handler class, fresh for each test, holding two meetings."""
    handler: type[Calendar] = type("TestCalendar", (Calendar,), {})
    handler.objects = {
        "rdv-ffb@ville-bellerive.fr.ics": ('"1"', meeting("rdv-ffb", "Rencontre avec la FFB")),
        "veolia.ics": ('"1"', meeting("rdv-veolia", "Entretien avec Veolia Eau")),
    }
    handler.asked = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    handler.url = f"http://127.0.0.1:{httpd.server_address[1]}{CALENDAR}"
    yield handler
    httpd.shutdown()
    httpd.server_close()


async def test_a_calendar_without_sync_tokens_is_followed_by_its_ctag(
    server: type[Calendar],
) -> None:
    source = CalDAVConnector(server.url, retries=0)

    first = await source.sync({}, WINDOW)

    assert server.asked == ["PROPFIND 0", "PROPFIND 0 +ctag", "REPORT query"]
    assert {change.href for change in first.changed} == {
        f"{CALENDAR}rdv-ffb@ville-bellerive.fr.ics",
        f"{CALENDAR}veolia.ics",
    }
    [stored] = first.state["calendars"].values()
    assert (stored["sync_token"], stored["ctag"]) == (None, "ctag-1")

    server.asked.clear()
    quiet = await source.sync(first.state, WINDOW)
    assert server.asked == ["PROPFIND 0 +ctag"]
    assert (quiet.changed, quiet.unchanged, quiet.requests) == ((), 2, 1)

    server.asked.clear()
    server.objects["veolia.ics"] = ('"2"', meeting("rdv-veolia", "Entretien reporté"))
    server.ctag = "ctag-2"
    delta = await source.sync(quiet.state, WINDOW)
    assert server.asked == ["PROPFIND 0 +ctag", "PROPFIND 1 +ctag", "REPORT multiget"]
    [change] = delta.changed
    assert change.href == f"{CALENDAR}veolia.ics"
    assert [event.summary for event in change.events] == ["Entretien reporté"]
    assert delta.state["calendars"][CALENDAR]["ctag"] == "ctag-2"


async def test_credentials_asked_for_only_by_the_report_are_given_once(
    server: type[Calendar],
) -> None:
    server.report_needs_credentials = True
    source = CalDAVConnector(server.url, *CREDENTIALS, retries=0)

    first = await source.sync({}, WINDOW)

    assert server.asked == ["PROPFIND 0", "PROPFIND 0 +ctag", "REPORT query", "REPORT query"]
    assert (len(first.changed), first.requests) == (2, 4)
    assert first.state["auth_scheme"] == "basic"


@pytest.mark.parametrize(
    ("status", "message", "reports"),
    [
        (500, "answered HTTP 500 while loading the events", 2),  # retried once
        (403, "refused access (HTTP 403) while loading the events", 1),
        (404, "Nothing was found at", 1),
    ],
)
async def test_a_failed_report_fails_the_sync_with_its_reason(
    server: type[Calendar], status: int, message: str, reports: int
) -> None:
    server.report_status = status
    source = CalDAVConnector(server.url, retries=1, backoff=0.01)

    with pytest.raises(SourceUnreachableError) as refused:
        await source.sync({}, WINDOW)

    assert message in str(refused.value)
    assert server.asked.count("REPORT query") == reports
