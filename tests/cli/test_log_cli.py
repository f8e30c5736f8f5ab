"""`register log export`, `register verify` and `scripts/verify_log.py`, run as real processes:
a copy of the log can be checked with nothing but Python, and a tampered entry is named."""

import asyncio
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from register.domain.kinds import PublicationState
from register.domain.publication import PublicationAction
from register.services.publication import Actor, apply_action
from register.settings import Settings
from register.store.engine import make_engine
from register.store.migrate import migrate
from register.store.repositories import meetings
from tests import factories
from tests.cli.test_cli import run
from tests.databases import fresh_postgres_database
from tests.stored import store_register

ROOT = Path(__file__).parents[2]
SCRIPT = ROOT / "scripts" / "verify_log.py"
FIELDS = ["seq", "meeting_id", "version", "action", "recorded_at", "body", "previous_hash", "hash"]
NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


async def _publish_three_entries(settings: Settings) -> None:
    """Two meetings published, then the first one corrected: log entries 1, 2 and 3."""
    await migrate(make_engine(settings))
    stored = await store_register()
    actor = Actor(label="test-editor")
    published = []
    for subject in (
        "Révision du plan local d'urbanisme, secteur gare",
        "Tarification sociale de l'eau potable",
    ):
        record = factories.complete_record(
            stored.owner, stored.colleague, stored.representative, subject=subject
        )
        meeting = await meetings.add_meeting(
            factories.meeting(
                stored.authority.id,
                stored.owner.id,
                record=record,
                classification=factories.interest_classification(stored.representative),
            )
        )
        await apply_action(meeting.id, PublicationAction.MARK_READY, actor=actor, now=NOW)
        state = await apply_action(meeting.id, PublicationAction.PUBLISH, actor=actor, now=NOW)
        assert state is PublicationState.PUBLISHED
        published.append(meeting.id)
    first = await meetings.get_meeting(published[0])
    assert first is not None
    await meetings.update_meeting(
        first.model_copy(
            update={"record": first.record.model_copy(update={"subject": "Révision du PLU, nord"})}
        )
    )
    await apply_action(
        first.id,
        PublicationAction.CORRECT,
        actor=actor,
        reason="Objet précisé",
        now=NOW + timedelta(days=1),
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def published(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[str]]:
    """Options pointing at a register of each engine whose log holds three entries."""
    data = tmp_path / "data"
    if request.param == "postgres":
        request.getfixturevalue("postgres_url")
        with fresh_postgres_database("register_log_cli") as url:
            asyncio.run(_publish_three_entries(Settings(data_dir=data, database_url=url)))
            yield ["--data-dir", str(data), "--database-url", url]
    else:
        asyncio.run(_publish_three_entries(Settings(data_dir=data)))
        yield ["--data-dir", str(data)]


@pytest.fixture
def published_sqlite(tmp_path: Path) -> Path:
    """The SQLite database file of a register whose log holds three entries."""
    data = tmp_path / "data"
    asyncio.run(_publish_three_entries(Settings(data_dir=data)))
    return data / "register.sqlite3"


def verify_copy(path: Path) -> subprocess.CompletedProcess[str]:
    """The independent script, run as anyone would run it."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def export(database: list[str], target: Path) -> list[str]:
    exported = run("log", "export", *database, "--output", str(target))
    assert exported.returncode == 0, exported.stderr
    assert exported.stderr == "Exported 3 publication log entries.\n"
    return target.read_text(encoding="ascii").split("\n")[:-1]


@pytest.mark.parametrize("command", [["log"], ["log", "export"], ["verify"], ["verify-log"]])
def test_every_log_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")

    assert result.returncode == 0, result.stderr
    assert f"Usage: register {' '.join(command)}" in result.stdout


def test_verify_log_is_a_hidden_alias_of_verify() -> None:
    listed = run("--help")

    assert re.search(r"^  verify +Recompute", listed.stdout, re.MULTILINE)
    assert "verify-log" not in listed.stdout


def test_an_exported_log_verifies_with_the_independent_script(
    published: list[str], tmp_path: Path
) -> None:
    lines = export(published, tmp_path / "log.jsonl")
    to_stdout = run("log", "export", *published)
    checked = verify_copy(tmp_path / "log.jsonl")
    verified = run("verify", *published)
    verified_by_old_name = run("verify-log", *published)

    entries = [json.loads(line) for line in lines]
    assert [list(entry) for entry in entries] == [FIELDS] * 3
    assert [(e["seq"], e["version"], e["action"]) for e in entries] == [
        (1, 1, "publish"),
        (2, 1, "publish"),
        (3, 2, "correct"),
    ]
    assert entries[0]["meeting_id"] == entries[2]["meeting_id"]
    assert entries[0]["recorded_at"] == "2026-03-20T09:00:00+00:00"
    assert json.loads(entries[2]["body"])["payload"]["subject"] == "Révision du PLU, nord"
    assert to_stdout.stdout == "\n".join(lines) + "\n"
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == (
        f"The publication log verifies: 3 entries; the last hash is {entries[2]['hash']}.\n"
    )
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout == "The publication log verifies: 3 entries, no problem.\n"
    assert verified_by_old_name.returncode == 0, verified_by_old_name.stderr
    assert verified_by_old_name.stdout == verified.stdout


def _altered_body(lines: list[str]) -> list[str]:
    return [lines[0], lines[1].replace("Tarification sociale", "Tarification"), lines[2]]


def _removed(lines: list[str]) -> list[str]:
    return [lines[0], lines[2]]


def _swapped(lines: list[str]) -> list[str]:
    return [lines[0], lines[2], lines[1]]


def _relabelled(lines: list[str]) -> list[str]:
    return [lines[0], lines[1].replace('"action":"publish"', '"action":"withdraw"'), lines[2]]


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_altered_body, "2 (line 2): its body does not match its hash (the entry was altered)"),
        (_removed, "3 (line 2): it does not link to the previous entry"),
        (_swapped, "3 (line 2): it does not link to the previous entry"),
        (_relabelled, "2 (line 2): its columns do not match its body"),
    ],
)
def test_the_script_names_the_first_broken_entry_of_a_tampered_copy(
    published_sqlite: Path,
    tmp_path: Path,
    tamper: Callable[[list[str]], list[str]],
    message: str,
) -> None:
    lines = export(["--data-dir", str(published_sqlite.parent)], tmp_path / "log.jsonl")
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("".join(f"{line}\n" for line in tamper(lines)), encoding="ascii")

    checked = verify_copy(tampered)

    assert checked.returncode == 1
    assert checked.stdout == ""
    assert checked.stderr.startswith(f"FIRST BROKEN ENTRY: {message}")


def test_verify_names_the_entry_altered_in_the_database(
    published_sqlite: Path, tmp_path: Path
) -> None:
    """What someone with write access to the SQLite file could do: the trigger refuses the
    change, so they drop it first."""
    database = ["--data-dir", str(published_sqlite.parent)]
    with sqlite3.connect(published_sqlite) as connection:
        with pytest.raises(sqlite3.IntegrityError, match="the publication log is append-only"):
            connection.execute("UPDATE publication_entry SET body = '{}' WHERE seq = 2")
        connection.execute("DROP TRIGGER publication_entry_append_only")
        connection.execute(
            "UPDATE publication_entry"
            " SET body = replace(body, 'Tarification sociale', 'Tarification') WHERE seq = 2"
        )
    connection.close()

    verified = run("verify", *database)
    exported = run("log", "export", *database, "--output", str(tmp_path / "log.jsonl"))
    checked = verify_copy(tmp_path / "log.jsonl")

    assert verified.returncode == 1
    assert verified.stdout == (
        "FIRST BROKEN ENTRY: 2\n  The entry's content does not match its hash.\n"
    )
    assert verified.stderr == (
        "register: error: the publication log does not verify: 1 problem(s) in 3 entries, "
        "the first at entry 2\n"
    )
    assert exported.returncode == 0, exported.stderr
    assert checked.returncode == 1
    assert checked.stderr.startswith("FIRST BROKEN ENTRY: 2 (line 2): its body does not match")


def test_verify_lists_every_problem_after_the_first_broken_entry(
    published_sqlite: Path,
) -> None:
    with sqlite3.connect(published_sqlite) as connection:
        connection.execute("DROP TRIGGER publication_entry_append_only")
        connection.execute("UPDATE publication_entry SET body = body || ' ' WHERE seq >= 2")
        connection.execute("UPDATE publication_entry SET seq = 5 WHERE seq = 3")
    connection.close()

    verified = run("verify", "--data-dir", str(published_sqlite.parent))

    assert verified.returncode == 1
    assert verified.stdout == (
        "FIRST BROKEN ENTRY: 2\n"
        "  The entry's content does not match its hash.\n"
        "Further problems (2):\n"
        "  entry 5: Expected entry 3, found entry 5.\n"
        "  entry 5: The entry's content does not match its hash.\n"
    )


def test_the_readme_shows_the_script_as_it_is() -> None:
    """The README's copy of the script cannot drift from the file people run."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Verifying the publication log\n", 1)[1]
    shown = re.search(r"\n```python\n(.*?)```\n", section, re.DOTALL)

    assert shown is not None
    assert shown.group(1) == SCRIPT.read_text(encoding="utf-8")
