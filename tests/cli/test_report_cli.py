"""`register report`: compliance figures as a table or CSV, run as a real process."""

import asyncio
import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from register.cli_report import csv_row
from register.domain.collegiality import CollegialityRecord
from register.domain.compliance import ComplianceFigures
from register.domain.kinds import LegalGround
from register.domain.meeting import Meeting, TimeSpan
from register.domain.official import Official
from register.domain.publication import PublicationAction
from register.services.publication import Actor, apply_action
from register.settings import Settings
from register.store.engine import make_engine
from register.store.migrate import migrate
from register.store.repositories import authorities, meetings, officials
from tests import factories
from tests.cli.test_cli import run
from tests.databases import fresh_postgres_database
from tests.stored import StoredRegister, store_register

ACTOR = Actor(label="test-editor")
HEADER = [
    "kind",
    "id",
    "name",
    "authority",
    "interest_meetings",
    "due",
    "published",
    "on_time",
    "on_time_share",
    "median_delay_days",
    "complete_records",
    "complete_share",
    "exemptions_security",
    "exemptions_privacy",
    "exemptions_procurement",
    "exemptions_judicial",
    "exemptions_out_of_scope",
]


def _at(day: int, month: int = 3) -> TimeSpan:
    start = datetime(2025, month, day, 9, 0, tzinfo=UTC)
    return TimeSpan(starts_at=start, ends_at=start + timedelta(hours=1))


async def _add(stored: StoredRegister, owner: Official, **overrides: object) -> Meeting:
    values: dict[str, object] = {
        "record": factories.complete_record(owner, stored.colleague, stored.representative),
        "classification": factories.interest_classification(stored.representative),
    }
    return await meetings.add_meeting(
        factories.meeting(owner.authority_id, owner.id, **(values | overrides))
    )


async def _publish(meeting: Meeting, days_after_end: int) -> None:
    assert meeting.when.ends_at is not None
    moment = meeting.when.ends_at + timedelta(days=days_after_end)
    for action in (PublicationAction.MARK_READY, PublicationAction.PUBLISH):
        await apply_action(meeting.id, action, actor=ACTOR, now=moment)


async def _seed(settings: Settings) -> None:
    """In 2025 (so every deadline has passed): Ville de Test's mayor published one meeting
    after 10 days and one after 20; her director of cabinet has an incomplete draft and a
    meeting exempted for privacy. Métropole du Val has one complete draft."""
    await migrate(make_engine(settings))
    stored = await store_register()
    await _publish(await _add(stored, stored.owner, when=_at(10)), 10)
    await _publish(await _add(stored, stored.owner, when=_at(12)), 20)
    await _add(stored, stored.colleague, when=_at(20), record=CollegialityRecord())
    exempted = await _add(stored, stored.colleague, when=_at(5, month=4))
    await meetings.update_meeting(
        exempted.model_copy(update={"exemption_ground": LegalGround.PRIVACY})
    )
    other = factories.authority(slug="metropole-du-val", name="Métropole du Val")
    await authorities.save_authority(other)
    ana = factories.official(other.id, slug="ana-lima", full_name="Ana Lima")
    await officials.save_official(ana)
    await _add(stored, ana, when=_at(15))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_args(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[str]]:
    """Options pointing at a register of two authorities, on each engine."""
    data_dir = tmp_path / "data"
    if request.param == "postgres":
        request.getfixturevalue("postgres_url")
        with fresh_postgres_database("register_report") as url:
            asyncio.run(_seed(Settings(data_dir=data_dir, database_url=url)))
            yield ["--data-dir", str(data_dir), "--database-url", url]
    else:
        asyncio.run(_seed(Settings(data_dir=data_dir)))
        yield ["--data-dir", str(data_dir)]


def _table_rows(output: str) -> dict[str, list[str]]:
    """The body rows of a rich table, by their first cell."""
    rows: dict[str, list[str]] = {}
    for line in output.splitlines():
        if line.startswith("│"):
            cells = [cell.strip() for cell in line.strip("│").split("│")]
            rows[cells[0]] = cells[1:]
    return rows


def _csv(output: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.reader(io.StringIO(output))
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


def test_the_table_shows_each_authority_figures(database_args: list[str]) -> None:
    result = run("report", *database_args)

    assert result.returncode == 0, result.stderr
    assert "Compliance, all meetings" in result.stdout
    rows = _table_rows(result.stdout)
    assert rows == {
        "Métropole du Val": ["1", "1", "0", "0", "0.0 %", "—", "1", "100.0 %", "—"],
        "Ville de Test": ["3", "3", "2", "1", "33.3 %", "15.0", "2", "66.7 %", "privacy 1"],
    }


def test_the_table_per_official_of_one_authority(database_args: list[str]) -> None:
    result = run("report", *database_args, "--by", "official", "--authority", "ville-test")

    assert result.returncode == 0, result.stderr
    assert _table_rows(result.stdout) == {
        "Marie Durand": [
            "Ville de Test", "2", "2", "2", "1", "50.0 %", "15.0", "2", "100.0 %", "—",
        ],
        "Paul Petit": [
            "Ville de Test", "1", "1", "0", "0", "0.0 %", "—", "0", "0.0 %", "privacy 1",
        ],
    }  # fmt: skip


def test_csv_has_stable_columns_and_one_row_per_official(database_args: list[str]) -> None:
    result = run("report", *database_args, "--by", "official", "--format", "csv")

    assert result.returncode == 0, result.stderr
    header, rows = _csv(result.stdout)
    assert header == HEADER
    assert [(row["kind"], row["name"], row["authority"]) for row in rows] == [
        ("official", "Ana Lima", "Métropole du Val"),
        ("official", "Marie Durand", "Ville de Test"),
        ("official", "Paul Petit", "Ville de Test"),
    ]
    marie, paul = rows[1], rows[2]
    assert {k: marie[k] for k in HEADER[4:12]} == {
        "interest_meetings": "2",
        "due": "2",
        "published": "2",
        "on_time": "1",
        "on_time_share": "0.5000",
        "median_delay_days": "15.0",
        "complete_records": "2",
        "complete_share": "1.0000",
    }
    assert (paul["median_delay_days"], paul["complete_share"], paul["exemptions_privacy"]) == (
        "",
        "0.0000",
        "1",
    )
    assert [row["exemptions_security"] for row in rows] == ["0", "0", "0"]


def test_csv_of_a_period_counts_only_its_meetings(database_args: list[str]) -> None:
    result = run(
        "report", *database_args, "--format", "csv", "--authority", "ville-test",
        "--since", "2025-03-11", "--until", "2025-03-31",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    _, rows = _csv(result.stdout)
    assert len(rows) == 1
    [row] = rows
    assert (row["kind"], row["name"]) == ("authority", "Ville de Test")
    # The late one (12 March) and the incomplete draft (20 March); not 10 March nor April.
    assert (row["interest_meetings"], row["published"], row["on_time"]) == ("2", "1", "0")
    assert (row["median_delay_days"], row["complete_records"]) == ("20.0", "1")
    assert row["exemptions_privacy"] == "0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--since", "2025-13-01"],
            "register: error: Invalid value for '--since': '2025-13-01' does not match the "
            "format '%Y-%m-%d'.",
        ),
        (
            ["--since", "2025-04-01", "--until", "2025-03-01"],
            "register: error: --until must not come before --since",
        ),
        (
            ["--authority", "ville-test", "--authority", "nowhere"],
            "register: error: no authority with the slug 'nowhere'",
        ),
        (["--format", "xlsx"], "register: error: Invalid value for '--format': 'xlsx'"),
    ],
)
def test_bad_arguments_are_one_line_and_status_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    data_dir = tmp_path / "data"
    asyncio.run(_seed(Settings(data_dir=data_dir)))

    result = run("report", "--data-dir", str(data_dir), *args)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message)
    assert result.stdout == ""


def test_report_has_help() -> None:
    result = run("report", "--help")

    assert result.returncode == 0, result.stderr
    assert "Usage: register report" in result.stdout
    assert "--by [authority|official]" in result.stdout


def test_a_name_that_looks_like_a_formula_is_written_as_text() -> None:
    """The CSV report neutralises spreadsheet formulas as the API and the downloads do."""
    figures = ComplianceFigures(
        kind="official",
        id=uuid4(),
        name='=HYPERLINK("http://x")',
        authority_id=uuid4(),
        authority_name="@Ville",
        interest_meetings=1,
        due=0,
        published=0,
        on_time=0,
        on_time_share=None,
        median_delay_days=None,
        complete_records=0,
        complete_share=None,
        exemptions=dict.fromkeys(LegalGround, 0),
    )

    row = csv_row(figures)

    assert row[2:4] == ['\'=HYPERLINK("http://x")', "'@Ville"]
