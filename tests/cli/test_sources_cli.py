"""`register source add`, `register source list` and `register sync`, run as real processes
against a real Radicale server."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from register.settings import Settings
from register.store.engine import make_engine
from register.store.migrate import migrate
from tests.cli.test_cli import run
from tests.servers import RadicaleServer, ServerCalendar, started
from tests.stored import store_register

EVENT = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tests//Agenda//FR",
        "BEGIN:VEVENT",
        "UID:fbv@ville-test.example",
        "DTSTAMP:20261201T090000Z",
        "DTSTART:20261215T130000Z",
        "DTEND:20261215T140000Z",
        "SUMMARY:Rendez-vous FBV",
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
def data_dir(tmp_path: Path) -> Path:
    """A migrated register holding the authority "ville-test" and its official "marie-durand"."""
    data = tmp_path / "data"

    async def prepare() -> None:
        await migrate(make_engine(Settings(data_dir=data)))
        await store_register()

    asyncio.run(prepare())
    return data


def test_add_a_calendar_sync_it_and_see_its_health(
    radicale: RadicaleServer, data_dir: Path
) -> None:
    calendar: ServerCalendar = radicale.make_calendar("agenda-marie", "Agenda de Marie Durand")
    calendar.put("fbv.ics", EVENT)
    data = ["--data-dir", str(data_dir)]
    password = {"REGISTER_SOURCE_PASSWORD": radicale.password}

    added = run(
        "source", "add", *data, "--official", "marie-durand", "--kind", "caldav",
        "--url", calendar.url, "--username", radicale.username, env=password,
    )  # fmt: skip
    synced = run("sync", *data)
    listed = run("source", "list", *data)

    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Added caldav source ")
    assert radicale.password not in (data_dir / "register.sqlite3").read_bytes().decode("latin-1")
    assert synced.returncode == 0, synced.stderr
    assert "succeeded" in synced.stdout
    assert " 1 " in synced.stdout  # one new meeting in the summary table
    assert listed.returncode == 0, listed.stderr
    assert "Marie Durand" in listed.stdout
    assert " ok " in listed.stdout
    assert "succeeded" in listed.stdout


def test_sync_exits_1_when_a_source_fails_and_says_why(
    radicale: RadicaleServer, data_dir: Path
) -> None:
    calendar = radicale.make_calendar("agenda-marie", "Agenda de Marie Durand")
    data = ["--data-dir", str(data_dir)]
    run(
        "source", "add", *data, "--official", "marie-durand", "--url", calendar.url,
        "--username", radicale.username, env={"REGISTER_SOURCE_PASSWORD": "wrong password"},
    )  # fmt: skip

    result = run("sync", *data)

    assert result.returncode == 1
    assert "failed" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "register: error: 1 of 1 source(s) failed"
    listed = run("source", "list", *data)
    assert "failing ×1" in listed.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--official", "nobody", "--url", "https://cal.example/"],
            "register: error: no official with the slug 'nobody'",
        ),
        (
            ["--official", "marie-durand", "--url", "ftp://cal.example/"],
            "register: error: 'ftp://cal.example/' is not a caldav address",
        ),
        (
            [
                "--official",
                "marie-durand",
                "--authority",
                "ailleurs",
                "--url",
                "https://c.example/",
            ],
            "register: error: no authority with the slug 'ailleurs'",
        ),
    ],
)
def test_source_add_refuses_what_cannot_work(data_dir: Path, args: list[str], message: str) -> None:
    result = run("source", "add", "--data-dir", str(data_dir), *args)

    assert result.returncode == 1
    assert result.stderr.startswith(message)


def test_sync_of_an_unknown_source_is_an_error(data_dir: Path) -> None:
    missing = run("sync", "--data-dir", str(data_dir), "01a2f3c4-0000-4000-8000-000000000000")
    malformed = run("sync", "--data-dir", str(data_dir), "not-a-uuid")

    assert missing.returncode == 1
    assert missing.stderr.startswith("register: error: no calendar source 01a2f3c4-")
    assert malformed.returncode == 2
    assert malformed.stderr.startswith("register: error: not a source id")
