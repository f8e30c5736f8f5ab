"""`bench.generate`: a synthetic register written in bulk, exactly as the application would
have written it (the log verifies, the public outputs agree with the working tables), with a
plausible calendar, and the same register for the same seed."""

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from bench.generate import Options, generate, main
from register.domain.kinds import PublicationState
from register.domain.public_record import public_record
from register.domain.publication_log import make_entry
from register.queries import MeetingFilter, count_meetings, published_meeting, search_meetings
from register.settings import Settings
from register.store.engine import use_engine
from register.store.repositories.authorities import list_authorities
from register.store.repositories.meetings import meetings_by_id
from register.store.repositories.officials import officials_by_id
from register.store.repositories.publication_log import iter_entries, verify_log
from register.store.repositories.representatives import representatives_by_id
from register.store.tables import (
    TABLES,
    Meeting,
    Official,
    PublicMeeting,
    PublicMeetingOrganisation,
    RepresentativePresence,
)
from tests.cli.test_cli import run

SMALL = Options(meetings=2000, officials=300, organisations=2000, workers=0)


def _settings(engine: Engine) -> Settings:
    if isinstance(engine, PostgresEngine):
        return Settings(database_url=engine.config["dsn"])
    return Settings(data_dir=Path(engine.path).parent)


@pytest.fixture
async def generated(db: Engine) -> Engine:
    """The session's empty database of each engine, holding a small generated register."""
    summary = await generate(_settings(db), SMALL, progress=lambda _: None)
    use_engine(db)  # `generate` bound the tables to an engine of its own
    assert summary.tally.rows["meeting"] == SMALL.meetings
    return db


async def _indexes(engine: Engine) -> list[tuple[str, str]]:
    if isinstance(engine, PostgresEngine):
        query = (
            "SELECT indexname AS name, indexdef AS sql FROM pg_indexes "
            "WHERE schemaname = current_schema() ORDER BY indexname"
        )
    else:
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    return [(row["name"], row["sql"]) for row in await Meeting.raw(query)]


async def test_the_schema_is_the_migrations_own_with_statistics_for_the_planner(
    db: Engine,
) -> None:
    """Secondary indexes are dropped during the load and made again with the same statements."""
    before = await _indexes(db)

    await generate(_settings(db), SMALL, progress=lambda _: None)
    use_engine(db)

    assert await _indexes(db) == before
    if isinstance(db, PostgresEngine):
        rows = await Meeting.raw("SELECT reltuples FROM pg_class WHERE relname = 'meeting'")
        assert rows[0]["reltuples"] == pytest.approx(SMALL.meetings, rel=0.1)
    else:
        rows = await Meeting.raw("SELECT COUNT(*) AS n FROM sqlite_stat1 WHERE tbl = 'meeting'")
        assert rows[0]["n"] > 0


async def test_the_log_verifies_and_each_entry_is_the_one_make_entry_chains(
    generated: Engine,
) -> None:
    checked, problems = await verify_log()

    assert problems == []
    assert checked > 0.8 * SMALL.meetings
    previous = None
    async for entry in iter_entries():
        expected = make_entry(
            previous,
            meeting_id=entry.meeting_id,
            version=entry.version,
            action=entry.action,
            recorded_at=entry.recorded_at,
            payload=json.loads(entry.body)["payload"],
        )
        assert (entry.body, entry.hash) == (expected.body, expected.hash)
        previous = entry


async def test_searches_count_what_the_projection_and_the_working_tables_hold(
    generated: Engine,
) -> None:
    published = await Meeting.count().where(Meeting.published_version > 0)
    withdrawn = await Meeting.count().where(
        Meeting.publication_state == PublicationState.WITHDRAWN.value
    )

    assert await PublicMeeting.count() == published
    assert await count_meetings(MeetingFilter()) == published
    assert (await search_meetings(MeetingFilter(), limit=10)).total == published
    assert await count_meetings(MeetingFilter(state=PublicationState.WITHDRAWN)) == withdrawn
    assert 0.8 * SMALL.meetings < published < SMALL.meetings


async def test_every_public_page_shows_the_public_record_of_its_working_row(
    generated: Engine,
) -> None:
    ids = [row["id"] for row in await PublicMeeting.select(PublicMeeting.id)]
    meetings = await meetings_by_id(ids)
    authorities = {authority.id: authority for authority in await list_authorities()}
    officials = await officials_by_id(
        {o for m in meetings.values() for o in (m.official_id, *m.record.officials_present)}
    )
    representatives = await representatives_by_id(
        {p.representative_id for m in meetings.values() for p in m.record.representatives}
    )
    states: Counter[PublicationState] = Counter()
    for meeting_id in ids:
        meeting = meetings[meeting_id]
        shown = await published_meeting(meeting_id)
        assert shown is not None
        expected = public_record(
            meeting, authorities[meeting.authority_id], officials, representatives
        )
        assert shown.record == expected
        assert shown.publication.version == meeting.published_version
        assert shown.publication.state is meeting.publication_state
        assert shown.first_published_at == meeting.first_published_at
        states[meeting.publication_state] += 1
    assert states[PublicationState.CORRECTED] > 0
    assert states[PublicationState.WITHDRAWN] > 0


async def test_the_projection_names_the_organisations_present(generated: Engine) -> None:
    named = await PublicMeetingOrganisation.count()
    present = await RepresentativePresence.count().where(
        RepresentativePresence.meeting.is_in(PublicMeeting.select(PublicMeeting.id))
    )

    assert named == present > 0


async def test_the_calendar_is_plausible(generated: Engine) -> None:
    """Working days and hours, a quiet August, everyday states, heavy-tailed organisations."""
    rows = await Meeting.select(
        Meeting.starts_at, Meeting.timezone, Meeting.publication_state, Meeting.exemption_ground
    )
    local = [row["starts_at"].astimezone(ZoneInfo(row["timezone"])) for row in rows]
    weekdays = sum(moment.weekday() < 5 for moment in local)
    office_hours = sum(8 <= moment.hour < 19 for moment in local)
    august = sum(moment.month == 8 for moment in local) / 31
    rest = sum(moment.month in {3, 4, 5, 6, 9, 10} for moment in local) / 183
    states = Counter(row["publication_state"] for row in rows)
    presence = Counter(
        row["representative"]
        for row in await RepresentativePresence.select(RepresentativePresence.representative)
    )
    busiest = sum(n for _, n in presence.most_common(len(presence) // 10))

    assert weekdays > 0.95 * len(rows)
    assert office_hours == len(rows)
    assert august < 0.6 * rest
    assert states["published"] > 0.8 * len(rows)
    assert states["draft"] > 0
    assert any(row["exemption_ground"] for row in rows)
    assert busiest > 0.3 * sum(presence.values())  # a tenth of them hold a third of meetings
    assert await Official.count() == pytest.approx(SMALL.officials, rel=0.25)


def _digest(path: Path) -> str:
    """Every row of every table of a SQLite register, in a stable order."""
    import sqlite3

    digest = hashlib.sha256()
    with sqlite3.connect(path) as connection:
        for table in TABLES:
            name = table._meta.tablename
            for row in connection.execute(f'SELECT * FROM "{name}" ORDER BY 1'):  # noqa: S608
                digest.update(repr(row).encode())
    return digest.hexdigest()


def _generate(directory: Path, *extra: str) -> dict[str, Any]:
    report = directory / "report.json"
    arguments = ["--meetings", "600", "--officials", "200", "--organisations", "800"]
    status = main([*arguments, "--data-dir", str(directory), "--json", str(report), *extra])
    assert status == 0
    return dict(json.loads(report.read_text()))


def test_the_same_seed_gives_the_same_register_whatever_the_workers(tmp_path: Path) -> None:
    first = _generate(tmp_path / "first", "--workers", "0")
    again = _generate(tmp_path / "again", "--workers", "2")
    other = _generate(tmp_path / "other", "--workers", "0", "--seed", "7")

    assert first["log_head"] == again["log_head"] != other["log_head"]
    assert _digest(tmp_path / "first" / "register.sqlite3") == _digest(
        tmp_path / "again" / "register.sqlite3"
    )


def test_register_verify_passes_and_a_second_run_refuses_a_full_database(tmp_path: Path) -> None:
    _generate(tmp_path, "--workers", "0")

    verified = run("verify", "--data-dir", str(tmp_path))
    refused = main(["--meetings", "10", "--data-dir", str(tmp_path), "--workers", "0"])

    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "no problem" in verified.stdout
    assert refused == 2
