"""`register backup` and `register restore` through the command line's own entry point: a SQLite
register moves to PostgreSQL with a log that verifies; a truncated backup is refused in one
line. (That every row comes back value for value is tested on both engines in
tests/integration/test_backup.py.)

The commands run in this process (`register.cli.main`, exactly what the `register` script
calls), which saves starting an interpreter per command; the environment, the cached settings
and the tables' engine they change are put back afterwards.
"""

import asyncio
import gzip
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
import structlog

from register.cli import main
from register.settings import Settings, get_settings
from register.store import conf
from register.store.engine import use_engine
from tests.cli.test_log_cli import _publish_three_entries
from tests.databases import fresh_postgres_database


class Outcome(NamedTuple):
    status: int
    stdout: str
    stderr: str


Invoke = Callable[..., Outcome]


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Invoke]:
    """Run `register ARGS…` in this process; returns its exit status and output."""
    for variable in ("DATABASE_URL", "REGISTER_DATA_DIR"):
        # Set, then removed: monkeypatch then removes what the command sets, at the end.
        monkeypatch.setenv(variable, "")
        monkeypatch.delenv(variable)
    engine = conf.DB
    root = logging.getLogger()
    handlers, level, logs = root.handlers[:], root.level, structlog.get_config()

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main(list(args))
        output = capsys.readouterr()
        return Outcome(int(exited.value.code or 0), output.out, output.err)

    yield run
    get_settings.cache_clear()
    use_engine(engine)
    # A command may configure logging (to the standard error captured for this test only).
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.configure(**logs)


@pytest.mark.postgres
def test_a_sqlite_register_moves_to_postgresql_and_its_log_verifies(
    postgres_url: str, tmp_path: Path, invoke: Invoke
) -> None:
    sqlite = ["--data-dir", str(tmp_path / "data")]
    asyncio.run(_publish_three_entries(Settings(data_dir=tmp_path / "data")))
    from_sqlite = tmp_path / "from-sqlite.backup"
    truncated = tmp_path / "truncated.backup"

    with fresh_postgres_database("register_backup_cli") as url:
        postgres = ["--data-dir", str(tmp_path / "pg"), "--database-url", url]
        backed_up = invoke("backup", str(from_sqlite), *sqlite)
        restored = invoke("restore", str(from_sqlite), *postgres)
        truncated.write_bytes(from_sqlite.read_bytes()[:-40])
        refused = invoke("restore", str(truncated), "--force", *postgres)

    assert backed_up.status == 0, backed_up.stderr
    assert backed_up.stdout.startswith("Backed up ")
    assert "publication log: 3 entries, head " in backed_up.stdout
    assert not list(tmp_path.glob(".*.partial"))
    assert b'"engine":"sqlite"' in gzip.decompress(from_sqlite.read_bytes()).split(b"\n")[0]
    assert restored.status == 0, restored.stderr
    assert " on sqlite); 2 meetings in the public register." in restored.stdout
    assert "The publication log verifies: 3 entries, head " in restored.stdout
    assert refused.status == 1
    assert refused.stderr.startswith(f"register: error: {truncated} is truncated: ")
    assert refused.stderr.count("\n") == 1
