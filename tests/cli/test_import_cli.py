"""`register import hatvp|eu|csv` and `register directory duplicates|merge`, run as real
processes as staff run them."""

import asyncio
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from register.domain.calendar_data import Attendee, CalendarData
from register.settings import Settings
from register.store.engine import make_engine, use_engine
from register.store.migrate import migrate
from register.store.repositories import meetings
from register.store.repositories.representatives import representatives_by_id
from tests import factories
from tests.cli.test_cli import run
from tests.databases import fresh_postgres_database
from tests.stored import store_register

DATA = Path(__file__).parent.parent / "data" / "directory"
ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[str]]:
    """Options pointing at a new, empty database of each engine."""
    if request.param == "postgres":
        request.getfixturevalue("postgres_url")
        with fresh_postgres_database("register_import_cli") as url:
            yield ["--data-dir", str(tmp_path / "data"), "--database-url", url]
    else:
        yield ["--data-dir", str(tmp_path / "data")]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """The fixtures, copied where the test may also write broken versions of them."""
    target = tmp_path / "files"
    shutil.copytree(DATA, target)
    return target


def table(stdout: str) -> dict[str, int]:
    """The summary table's counts."""
    return {label: int(n) for label, n in re.findall(r"│ (\w+) +│ +(\d+) │", stdout)}


@pytest.mark.parametrize(
    "command",
    [
        ["import"],
        ["import", "hatvp"],
        ["import", "eu"],
        ["import", "csv"],
        ["directory"],
        ["directory", "duplicates"],
        ["directory", "merge"],
        ["directory", "rule"],
    ],
)
def test_every_directory_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")

    assert result.returncode == 0, result.stderr
    assert f"Usage: register {' '.join(command)}" in result.stdout


def test_imports_then_merge_a_duplicate(database: list[str], files: Path) -> None:
    hatvp = run("import", "hatvp", str(files / "hatvp_sample.json"), *database)
    hatvp_again = run("import", "hatvp", str(files / "hatvp_sample.json"), *database)
    eu = run("import", "eu", str(files / "eu_register_sample.xml"), *database)
    local = run("import", "csv", str(files / "local_organisations.csv"), *database)

    assert hatvp.returncode == 0, hatvp.stderr
    assert hatvp.stdout.startswith(f"HATVP: {files / 'hatvp_sample.json'}\n")
    assert table(hatvp.stdout) == {
        "read": 30,
        "created": 26,
        "updated": 1,
        "unchanged": 0,
        "skipped": 3,
        "warnings": 5,
    }
    assert "Skipped:\n  publication 14: no denomination\n" in hatvp.stdout
    assert hatvp.stdout.endswith("Unpublished meetings classified again: 0 changed.\n")
    assert "classified again" not in hatvp_again.stdout  # nothing changed
    assert "  publication 17: SIREN «91O234567» is not 9 digits: imported without it\n" in (
        hatvp.stdout
    )
    assert table(hatvp_again.stdout)["unchanged"] == 27
    assert eu.returncode == 0, eu.stderr
    assert table(eu.stdout) == {
        "read": 12,
        "created": 9,
        "updated": 0,
        "unchanged": 0,
        "skipped": 3,
        "warnings": 1,
    }
    assert "  record 7 (line 108): no name\n" in eu.stdout
    assert local.returncode == 0, local.stderr
    assert table(local.stdout) == {
        "read": 13,
        "created": 8,
        "updated": 3,
        "unchanged": 0,
        "skipped": 2,
        "warnings": 3,
    }
    assert "  line 10: 12 fields where the header has 10\n" in local.stdout
    assert hatvp.stderr == eu.stderr == local.stderr == ""  # no bar when not on a terminal

    listed = run("directory", "duplicates", *database)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("3 group(s) of possible duplicates:\n")
    eaux = re.search(
        rf"3\. same name: societe des eaux de la vallee verte\n"
        rf"   ({ID})  SOCIETE DES EAUX DE LA VALLEE VERTE  \(HATVP 901234567, SIREN 901234567; "
        rf"0 meeting\(s\)\)\n"
        rf"   ({ID})  Société des Eaux de la Vallée Verte SA  \(EU 902134567812-55; "
        rf"0 meeting\(s\)\)\n",
        listed.stdout,
    )
    assert eaux is not None, listed.stdout
    keep, duplicate = eaux.groups()

    merged = run("directory", "merge", keep, duplicate, *database)
    after = run("directory", "duplicates", *database)
    eu_again = run("import", "eu", str(files / "eu_register_sample.xml"), *database)

    assert merged.returncode == 0, merged.stderr
    assert merged.stdout == (
        "Merged Société des Eaux de la Vallée Verte SA into SOCIETE DES EAUX DE LA VALLEE "
        f"VERTE ({keep}): 0 meeting(s) re-linked.\n"
        "Unpublished meetings classified again: 0 changed.\n"
    )
    assert after.stdout.startswith("2 group(s) of possible duplicates:\n")
    assert "Société des Eaux de la Vallée Verte SA" not in after.stdout
    assert table(eu_again.stdout)["created"] == 0


def test_progress_bar_goes_to_standard_error(tmp_path: Path, files: Path) -> None:
    result = run(
        "import", "hatvp", str(files / "hatvp_sample.json"), "--progress",
        "--data-dir", str(tmp_path / "data"),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "HATVP répertoire" in result.stderr
    assert "74.0/74.0 kB" in result.stderr
    assert "HATVP répertoire" not in result.stdout


def test_a_truncated_file_shows_what_was_imported_and_fails(tmp_path: Path, files: Path) -> None:
    text = (files / "hatvp_sample.json").read_text(encoding="utf-8")
    truncated = files / "truncated.json"
    truncated.write_text(text[: text.index('"denomination": "INSTITUT POUR LA VILLE DURABLE"')])

    result = run("import", "hatvp", str(truncated), "--data-dir", str(tmp_path / "data"))

    assert result.returncode == 1
    assert table(result.stdout)["created"] == 7
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("register: error: the file is not valid JSON after publication 7")


@pytest.mark.parametrize(
    ("command", "content", "message"),
    [
        (
            "hatvp",
            '{"registre": []}',
            "register: error: no publication found: not the HATVP répertoire open-data JSON "
            "({'publications': [...]})",
        ),
        (
            "eu",
            "<html><body>Not found</body></html>",
            "register: error: not an EU Transparency Register export (root <html>)",
        ),
        (
            "csv",
            "nom,siren\nVeolia,403210032\n",
            "register: error: unknown column(s) nom on line 1; the columns are: name, aliases, "
            "acronym, siren, rna, hatvp_id, eu_transparency_id, email_domains, website, category",
        ),
    ],
)
def test_a_file_that_cannot_be_read_fails_in_one_line(
    tmp_path: Path, command: str, content: str, message: str
) -> None:
    path = tmp_path / "register-file"
    path.write_text(content, encoding="utf-8")

    result = run("import", command, str(path), "--data-dir", str(tmp_path / "data"))

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"{message}\n"


def test_a_missing_file_fails_in_one_line(tmp_path: Path) -> None:
    result = run("import", "csv", str(tmp_path / "absent.csv"), "--data-dir", str(tmp_path))

    assert result.returncode == 1
    assert (
        result.stderr == f"register: error: cannot read {tmp_path / 'absent.csv'}: no such file\n"
    )


def test_merge_refusals(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    unknown = "01a227ac-0000-0000-0000-000000000000"

    missing = run("directory", "merge", unknown, "01a227ac-0000-0000-0000-000000000001", *data)
    same = run("directory", "merge", unknown, unknown, *data)
    not_an_id = run("directory", "merge", "veolia", unknown, *data)

    assert (missing.returncode, missing.stderr) == (
        1,
        f"register: error: no organisation {unknown}\n",
    )
    assert (same.returncode, same.stderr) == (
        1,
        "register: error: cannot merge an organisation into itself\n",
    )
    assert not_an_id.returncode == 2
    assert not_an_id.stderr.startswith(
        "register: error: Invalid value for 'KEEP_ID': 'veolia' is not a valid UUID."
    )


def test_no_duplicates_in_an_empty_directory(tmp_path: Path) -> None:
    result = run("directory", "duplicates", "--data-dir", str(tmp_path / "data"))

    assert (result.returncode, result.stdout) == (0, "No possible duplicates.\n")


def test_an_import_classifies_unpublished_meetings_again(tmp_path: Path, files: Path) -> None:
    """A draft meeting with someone from the Régie des Transports (rtk.example), unknown to
    the directory until the local CSV is imported."""
    data = tmp_path / "data"

    async def prepare() -> UUID:
        await migrate(make_engine(Settings(data_dir=data)))
        stored = await store_register()
        calendar = CalendarData(
            summary="Point réseau de bus",
            attendees=(Attendee(email="direction@rtk.example", name="Direction RTK"),),
        )
        meeting = factories.meeting(stored.authority.id, stored.owner.id, calendar=calendar)
        await meetings.add_meeting(meeting)
        return meeting.id

    meeting_id = asyncio.run(prepare())

    result = run("import", "csv", str(files / "local_organisations.csv"), "--data-dir", str(data))

    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("Unpublished meetings classified again: 1 changed.\n")

    async def classified() -> list[str]:
        use_engine(make_engine(Settings(data_dir=data)))
        meeting = await meetings.get_meeting(meeting_id)
        assert meeting is not None
        found = await representatives_by_id(meeting.classification.representative_ids)
        return [rep.name for rep in found.values()]

    assert asyncio.run(classified()) == ["Régie des Transports de Kerlann"]


def test_a_staff_decision_becomes_a_domain_rule(tmp_path: Path) -> None:
    """Nobody knew whose domain batisseurs-val.example was; staff say it is the federation's."""
    data = tmp_path / "data"

    async def prepare() -> tuple[UUID, UUID]:
        await migrate(make_engine(Settings(data_dir=data)))
        stored = await store_register()
        calendar = CalendarData(
            summary="Échange chantier de la gare",
            attendees=(Attendee(email="paul@batisseurs-val.example", name="Paul Lenoir"),),
        )
        meeting = factories.meeting(stored.authority.id, stored.owner.id, calendar=calendar)
        await meetings.add_meeting(meeting)
        return meeting.id, stored.representative.id

    meeting_id, federation_id = asyncio.run(prepare())

    result = run(
        "directory", "rule", "batisseurs-val.example", str(federation_id), "--data-dir", str(data)
    )
    refused = run("directory", "rule", "not a domain", str(federation_id), "--data-dir", str(data))

    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("Unpublished meetings classified again: 1 changed.\n")
    assert (refused.returncode, refused.stderr) == (
        1,
        "register: error: 'not a domain' is not an e-mail domain\n",
    )

    async def classified() -> tuple[UUID, ...]:
        use_engine(make_engine(Settings(data_dir=data)))
        meeting = await meetings.get_meeting(meeting_id)
        assert meeting is not None
        return meeting.classification.representative_ids

    assert asyncio.run(classified()) == (federation_id,)
