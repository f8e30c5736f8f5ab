"""Calendar credentials never reach a log (issue 8).

A password-protected Radicale is synced through the sync service with every logger at DEBUG (the
register's, httpx's, httpcore's, caldav's, the root logger) and the application's access log
answering requests that carry a password; everything written is then searched for the password,
its `Authorization` header value, that value's base64, the stored ciphertext and the encryption
key. Failures are included: a calendar that does not exist and a password the server refuses.
"""

import base64
import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from piccolo.engine.base import Engine

from register.domain.kinds import SyncRunStatus
from register.logs import configure_logging
from register.services.credentials import key_path
from register.services.sources import SourceError
from register.services.sync import sync_source
from register.settings import Settings
from register.store.repositories.sources import get_source, list_sources
from register.web import create_app
from tests.servers import (
    RadicaleServer,
    started,
)
from tests.stored import store_caldav_source, store_register

NOW = datetime(2027, 1, 10, 8, 0, tzinfo=UTC)
WRONG_PASSWORD = "Pas-le-bon-2027?"
LOGGERS = ("", "register", "httpx", "httpcore", "caldav", "connectors", "register.access")
"""Set to DEBUG here; aiosqlite is left as the register configures it (INFO at least)."""
EVENT = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tests//Agenda//FR",
        "BEGIN:VEVENT",
        "UID:fbv@ville-test.example",
        "DTSTAMP:20261201T090000Z",
        "DTSTART;TZID=Europe/Paris:20270112T143000",
        "DTEND;TZID=Europe/Paris:20270112T153000",
        "SUMMARY:RDV FBV gare",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[RadicaleServer]:
    with started(RadicaleServer(tmp_path / "radicale")) as server:
        yield server


@pytest.fixture
def captured(tmp_path: Path) -> Iterator[io.StringIO]:
    """Everything every logger writes, at DEBUG, through the register's own configuration."""
    root = logging.getLogger()
    saved = (root.handlers[:], {name: logging.getLogger(name).level for name in LOGGERS})
    configure_logging(Settings(data_dir=tmp_path, log_level="DEBUG"))
    text = io.StringIO()
    copy = logging.StreamHandler(text)
    copy.setFormatter(root.handlers[0].formatter)
    root.addHandler(copy)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield text
    root.handlers = saved[0]
    for name, level in saved[1].items():
        logging.getLogger(name).setLevel(level)


def _forbidden(username: str, password: str) -> list[str]:
    pair = base64.b64encode(f"{username}:{password}".encode()).decode()
    return [
        password,
        pair,
        f"Basic {pair}",
        base64.b64encode(password.encode()).decode(),
    ]


@pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)
async def test_a_full_sync_at_debug_level_logs_no_credential(
    db: Engine,
    tmp_path: Path,
    radicale: RadicaleServer,
    captured: io.StringIO,
    capfd: pytest.CaptureFixture[str],
) -> None:
    settings = Settings(data_dir=tmp_path, log_level="DEBUG")
    stored = await store_register()
    calendar = radicale.make_calendar("agenda-marie", "Agenda de Marie")
    calendar.put("fbv.ics", EVENT)
    capfd.readouterr()  # what the test's own client did is not the register's doing
    captured.truncate(0)

    good = await store_caldav_source(
        stored.owner, calendar.url, radicale.username, radicale.password, settings
    )
    missing = await store_caldav_source(
        stored.owner, calendar.url + "absent/", radicale.username, radicale.password, settings
    )
    refused = await store_caldav_source(
        stored.owner, calendar.url, radicale.username, WRONG_PASSWORD, settings
    )
    runs = [
        await sync_source(good, settings, now=NOW),
        await sync_source(good, settings, now=NOW),  # the incremental path too
        await sync_source(missing, settings, now=NOW),
        await sync_source(refused, settings, now=NOW),
    ]
    app = create_app(settings, engine=db)
    pair = base64.b64encode(f"{radicale.username}:{radicale.password}".encode()).decode()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://register.test"
    ) as client:
        await client.get("/api/v1/meetings", headers={"authorization": f"Basic {pair}"})
        await client.post(
            "/staff/login", data={"username": radicale.username, "password": radicale.password}
        )

    assert [run.status for run in runs[:2]] == [SyncRunStatus.SUCCEEDED] * 2
    assert runs[0].counts.new == 1
    assert runs[2].status is SyncRunStatus.FAILED
    assert runs[3].status is SyncRunStatus.FAILED
    output = capfd.readouterr()
    logs = captured.getvalue() + output.out + output.err
    # The capture saw the work at DEBUG: the HTTP exchanges, the sync, the failures.
    assert "HTTP Request" in logs
    assert "debug" in logs.lower()
    assert "register.access" in logs
    source = await get_source(good)
    assert source is not None
    secrets = [
        *_forbidden(radicale.username, radicale.password),
        *_forbidden(radicale.username, WRONG_PASSWORD),
        source[1],  # the stored ciphertext
        key_path(settings).read_text().strip(),  # the encryption key
    ]
    leaked = [secret[:6] + "…" for secret in secrets if secret in logs]
    assert leaked == []


@pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)
async def test_an_address_with_a_password_in_it_is_refused_without_echoing_it(
    db: Engine, tmp_path: Path
) -> None:
    """It would be stored, shown and logged in clear with the address."""
    stored = await store_register()
    password = "S3cret-de-Marie"
    secret_url = f"https://marie:{password}@agenda.example/marie/"

    with pytest.raises(SourceError) as refused:
        await store_caldav_source(stored.owner, secret_url, "", "", Settings(data_dir=tmp_path))

    assert "--username" in str(refused.value)
    assert password not in str(refused.value)
    assert await list_sources() == []
