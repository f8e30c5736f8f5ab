"""ICS subscriptions against a real HTTP server on 127.0.0.1: conditional GET, per-event change
detection, removals, and the answers that must become clear errors."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import formatdate
from hashlib import sha256
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from connectors.delta import SourceUnreachableError, Window
from connectors.ics_source import ICSConnector, http_url

FEED = (Path(__file__).parents[1] / "data" / "calendars" / "multi_uid_feed.ics").read_bytes()
WINDOW = Window(start=datetime(2025, 6, 1, tzinfo=UTC), end=datetime(2026, 12, 1, tzinfo=UTC))


@dataclass
class Published:
    """What the test server publishes, and what it was asked."""

    body: bytes = FEED
    status: int = 200
    requests: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def feed_server() -> Iterator[tuple[str, Published]]:
    published = Published()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            published.requests.append(dict(self.headers))
            if published.status != 200:
                self.send_response(published.status)
                self.end_headers()
                return
            etag = '"' + sha256(published.body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(usegmt=True))
            self.send_header("Content-Length", str(len(published.body)))
            self.end_headers()
            self.wfile.write(published.body)

        def log_message(self, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/agenda.ics", published
    server.shutdown()
    server.server_close()


async def test_first_fetch_reports_every_event_of_the_feed(
    feed_server: tuple[str, Published],
) -> None:
    url, published = feed_server

    delta = await ICSConnector(url).sync({}, WINDOW)

    assert delta.full is True
    assert delta.requests == 1
    hrefs = sorted(change.href for change in delta.changed)
    assert hrefs == [
        "uid:bureau-communautaire@cc-val-de-loire.example",
        "uid:visio-guyane-2026-03@cc-val-de-loire.example",
        "uid:visite-ademe-2026-02@cc-val-de-loire.example",
    ]
    assert all(change.events for change in delta.changed)
    assert published.requests[0].get("If-None-Match") is None


async def test_unchanged_feed_costs_one_304(feed_server: tuple[str, Published]) -> None:
    url, published = feed_server
    connector = ICSConnector(url)
    first = await connector.sync({}, WINDOW)

    again = await connector.sync(first.state, WINDOW)

    assert (again.changed, again.removed, again.failed) == ((), (), ())
    assert again.requests == 1
    assert again.unchanged == 3
    assert published.requests[1]["If-None-Match"] == first.state["etag"]


async def test_only_the_changed_event_is_reported_and_a_vanished_one_removed(
    feed_server: tuple[str, Published],
) -> None:
    url, published = feed_server
    connector = ICSConnector(url)
    first = await connector.sync({}, WINDOW)
    text = FEED.decode()
    start = text.index("BEGIN:VEVENT\r\nUID:visio-guyane")
    end = text.index("END:VEVENT\r\n", start) + len("END:VEVENT\r\n")
    published.body = (
        (text[:start] + text[end:]).replace("Rencontre avec", "Rencontre reportée avec").encode()
    )

    delta = await connector.sync(first.state, WINDOW)

    assert delta.removed == ("uid:visio-guyane-2026-03@cc-val-de-loire.example",)
    assert [change.href for change in delta.changed] == [
        "uid:visite-ademe-2026-02@cc-val-de-loire.example"
    ]
    assert delta.unchanged == 1
    assert delta.full is False


async def test_a_body_that_is_not_icalendar_is_a_clear_error(
    feed_server: tuple[str, Published],
) -> None:
    url, published = feed_server
    published.body = b"<html><body>Session expired</body></html>"

    with pytest.raises(SourceUnreachableError, match="did not return an iCalendar feed"):
        await ICSConnector(url).sync({}, WINDOW)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "was not found \\(HTTP 404\\)"),
        (401, "refused the credentials \\(HTTP 401\\)"),
        (503, "after 2 attempt\\(s\\): the server answered 503"),
    ],
)
async def test_error_answers_are_clear_errors(
    feed_server: tuple[str, Published], status: int, message: str
) -> None:
    url, published = feed_server
    published.status = status

    with pytest.raises(SourceUnreachableError, match=message):
        await ICSConnector(url, retries=1).sync({}, WINDOW)


async def test_a_closed_port_is_unreachable_after_retries() -> None:
    with pytest.raises(SourceUnreachableError, match="after 2 attempt"):
        await ICSConnector("http://127.0.0.1:9/agenda.ics", retries=1, timeout=2).sync({}, WINDOW)


def test_webcal_addresses_are_fetched_over_https() -> None:
    assert http_url("webcal://calendar.example/secret.ics") == "https://calendar.example/secret.ics"
    assert http_url("WEBCALS://calendar.example/a") == "https://calendar.example/a"
    assert http_url("http://127.0.0.1/a.ics") == "http://127.0.0.1/a.ics"
