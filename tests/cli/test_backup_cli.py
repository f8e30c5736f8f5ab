"""`register backup` and `register restore` as real processes: a SQLite register moves to
PostgreSQL row for row with a log that verifies; a truncated backup is refused in one line."""

import asyncio
import gzip
from pathlib import Path

import pytest

from register.settings import Settings
from tests.cli.test_cli import run
from tests.cli.test_log_cli import _publish_three_entries
from tests.databases import fresh_postgres_database

pytestmark = pytest.mark.postgres


def test_a_sqlite_register_moves_to_postgresql_and_its_log_verifies(
    postgres_url: str, tmp_path: Path
) -> None:
    sqlite = ["--data-dir", str(tmp_path / "data")]
    asyncio.run(_publish_three_entries(Settings(data_dir=tmp_path / "data")))
    from_sqlite = tmp_path / "from-sqlite.backup"
    from_postgres = tmp_path / "from-postgres.backup"
    truncated = tmp_path / "truncated.backup"

    with fresh_postgres_database("register_backup_cli") as url:
        postgres = ["--data-dir", str(tmp_path / "pg"), "--database-url", url]
        backed_up = run("backup", str(from_sqlite), *sqlite)
        restored = run("restore", str(from_sqlite), *postgres)
        backed_up_again = run("backup", str(from_postgres), *postgres)
        truncated.write_bytes(from_sqlite.read_bytes()[:-40])
        refused = run("restore", str(truncated), "--force", *postgres)

    assert backed_up.returncode == 0, backed_up.stderr
    assert backed_up.stdout.startswith("Backed up ")
    assert "publication log: 3 entries, head " in backed_up.stdout
    assert not list(tmp_path.glob(".*.partial"))
    assert restored.returncode == 0, restored.stderr
    assert "written " in restored.stdout
    assert " on sqlite); 2 public meetings rebuilt." in restored.stdout
    assert "The publication log verifies: 3 entries, head " in restored.stdout
    assert backed_up_again.returncode == 0, backed_up_again.stderr
    sqlite_lines = gzip.decompress(from_sqlite.read_bytes()).splitlines()
    postgres_lines = gzip.decompress(from_postgres.read_bytes()).splitlines()
    assert b'"engine":"postgres"' in postgres_lines[0]
    assert postgres_lines[1:-1] == sqlite_lines[1:-1]  # every row, value for value
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"register: error: {truncated} is truncated: ")
    assert refused.stderr.count("\n") == 1
