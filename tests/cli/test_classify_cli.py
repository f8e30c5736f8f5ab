"""`register classify FILE.ics`: one JSON object per occurrence, nothing stored."""

import asyncio
import json
from pathlib import Path

from register.settings import Settings
from register.store.engine import make_engine, use_engine
from register.store.migrate import migrate
from register.store.repositories.authorities import get_authority_by_slug
from register.store.repositories.meetings import count_meetings
from tests.cli.test_cli import run
from tests.stored import store_register

CALENDAR = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tests//Agenda//FR",
        "BEGIN:VEVENT",
        "UID:visite@ville-test.example",
        "DTSTAMP:20261201T090000Z",
        "DTSTART:20261215T130000Z",
        "DTEND:20261215T140000Z",
        "SUMMARY:Visite de chantier",
        "ATTENDEE;CN=Jean Martin:mailto:jean.martin@fbv.example",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:hebdo@ville-test.example",
        "DTSTAMP:20261201T090000Z",
        "DTSTART:20261214T080000Z",
        "DTEND:20261214T090000Z",
        "RRULE:FREQ=WEEKLY;COUNT=2",
        "SUMMARY:Point hebdo cabinet",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:broken@ville-test.example",
        "DTSTAMP:20261201T090000Z",
        "DTSTART:2026-99-99",
        "SUMMARY:Cassé",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


def _register(data: Path) -> None:
    async def prepare() -> None:
        await migrate(make_engine(Settings(data_dir=data)))
        await store_register()

    asyncio.run(prepare())


def test_each_occurrence_is_one_json_line_with_its_verdict(tmp_path: Path) -> None:
    _register(tmp_path / "data")
    calendar = tmp_path / "agenda.ics"
    calendar.write_text(CALENDAR, encoding="utf-8")

    result = run(
        "classify", "--data-dir", str(tmp_path / "data"), str(calendar),
        "--from", "2026-12-01", "--to", "2027-01-31",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["uid"], line["recurrence_id"], line["kind"]) for line in lines] == [
        ("visite@ville-test.example", "", "interest_representative"),
        ("hebdo@ville-test.example", "20261214T080000Z", "internal"),
        ("hebdo@ville-test.example", "20261221T080000Z", "internal"),
    ]
    assert lines[0]["organisations"][0]["name"] == "Fédération des bâtisseurs du Val"
    assert lines[0]["reasons"][0]["rule"] == "email_domain"
    assert lines[0]["start"] == "2026-12-15T13:00:00+00:00"
    assert result.stderr.startswith("uid:broken@ville-test.example: ")

    async def stored() -> int:
        use_engine(make_engine(Settings(data_dir=tmp_path / "data")))
        authority = await get_authority_by_slug("ville-test")
        assert authority is not None
        return sum((await count_meetings(authority.id)).values())

    assert asyncio.run(stored()) == 0


def test_a_file_that_is_not_icalendar_is_one_line_and_status_1(tmp_path: Path) -> None:
    _register(tmp_path / "data")
    page = tmp_path / "page.ics"
    page.write_text("<html>not a calendar</html>", encoding="utf-8")

    result = run("classify", "--data-dir", str(tmp_path / "data"), str(page))

    assert result.returncode == 1
    assert result.stderr.startswith(f"register: error: {page} is not an iCalendar file: ")
