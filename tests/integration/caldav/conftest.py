"""Fixtures of the CalDAV contract suite: every real server we claim to support (started once
per session), a fresh calendar per test, and the connector pointed at it."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from connectors.caldav_source import CalDAVConnector
from connectors.delta import Window
from tests.servers import (
    SERVERS,
    CalDAVServer,
    ServerCalendar,
    started,
)


@pytest.fixture(scope="session", params=sorted(SERVERS))
def caldav_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CalDAVServer]:
    """One real server per kind for the whole session (tests are grouped by server)."""
    name: str = request.param
    with started(SERVERS[name](tmp_path_factory.mktemp(name))) as server:
        yield server


@pytest.fixture
def calendar(caldav_server: CalDAVServer) -> ServerCalendar:
    """A new, empty calendar of the test user's."""
    if not caldav_server.running:  # a failed outage test may have left it stopped
        caldav_server.start()
    return caldav_server.make_calendar(f"agenda-{uuid4().hex[:10]}", "Agenda de Marie Dupont")


@pytest.fixture
def window() -> Window:
    return Window(start=datetime(2026, 12, 1, tzinfo=UTC), end=datetime(2027, 6, 1, tzinfo=UTC))


@pytest.fixture
def connect(caldav_server: CalDAVServer) -> Callable[..., CalDAVConnector]:
    """Makes the connector for a URL of the server, with its user's credentials and timeouts
    short enough for tests."""

    def make(
        url: str,
        *,
        password: str | None = None,
        timeout: float = 5.0,
        retries: int = 1,
        backoff: float = 0.05,
    ) -> CalDAVConnector:
        return CalDAVConnector(
            url,
            caldav_server.username,
            caldav_server.password if password is None else password,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
        )

    return make
