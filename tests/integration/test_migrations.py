"""The migrations build the same schema from empty on SQLite and PostgreSQL, and run again as a
no-op; they also run backwards to an empty database."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from piccolo.apps.migrations.commands.backwards import run_backwards
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

from register.settings import Settings
from register.store.engine import make_engine
from register.store.migrate import applied_migrations, known_migrations, migrate
from register.store.tables import TABLES
from tests.databases import (
    fresh_postgres_database,
    postgres_unavailable_reason,
    skip_or_fail_without_postgres,
)

EXPECTED_UNIQUE_INDEXES = {
    "meeting_source_event_key",
    "official_authority_slug_key",
    "official_presence_key",
    "representative_presence_key",
    "staff_membership_key",
    "publication_entry_meeting_version_key",
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A brand-new, empty database of each engine."""
    if request.param == "postgres":
        request.getfixturevalue("postgres_url")  # skips, or fails under CI, without PostgreSQL
        with fresh_postgres_database("register_migrations") as url:
            yield make_engine(Settings(data_dir=tmp_path, database_url=url))
    else:
        yield make_engine(Settings(data_dir=tmp_path))


async def _columns(engine: Engine) -> dict[str, set[str]]:
    """Every table of the register with its column names, as the database reports them."""
    found: dict[str, set[str]] = {}
    for table in TABLES:
        name = table._meta.tablename
        if isinstance(engine, PostgresEngine):
            rows = await engine.run_querystring(
                QueryString(
                    "SELECT column_name AS name FROM information_schema.columns "
                    "WHERE table_name = {}",
                    name,
                )
            )
        else:
            rows = await engine.run_ddl(f"PRAGMA table_info({name})")
        found[name] = {row["name"] for row in rows}
    return found


async def _unique_indexes(engine: Engine) -> set[str]:
    if isinstance(engine, PostgresEngine):
        rows = await engine.run_ddl(
            "SELECT indexname AS name FROM pg_indexes WHERE indexdef LIKE 'CREATE UNIQUE%'"
        )
    else:
        rows = await engine.run_ddl(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE 'CREATE UNIQUE%'"
        )
    return {row["name"] for row in rows}


async def test_migrations_from_empty_create_every_table_and_column(empty_engine: Engine) -> None:
    applied = await migrate(empty_engine)

    assert applied == known_migrations()
    assert len(applied) >= 2
    expected = {
        table._meta.tablename: {column._meta.db_column_name for column in table._meta.columns}
        for table in TABLES
    }
    assert await _columns(empty_engine) == expected
    assert await _unique_indexes(empty_engine) >= EXPECTED_UNIQUE_INDEXES


async def test_migrating_twice_is_a_no_op(empty_engine: Engine) -> None:
    await migrate(empty_engine)

    assert await migrate(empty_engine) == []
    assert await applied_migrations() == known_migrations()


async def test_migrations_run_backwards_to_an_empty_schema(empty_engine: Engine) -> None:
    await migrate(empty_engine)

    result = await run_backwards(app_name="register", migration_id="all", auto_agree=True)

    assert result.success, result.message
    assert await applied_migrations() == []
    assert await _columns(empty_engine) == {table._meta.tablename: set() for table in TABLES}
    assert await migrate(empty_engine) == known_migrations()


async def test_sqlite_database_uses_write_ahead_logging(tmp_path: Path) -> None:
    engine = make_engine(Settings(data_dir=tmp_path / "nested" / "data"))
    await migrate(engine)

    rows = await engine.run_ddl("PRAGMA journal_mode")
    assert rows == [{"journal_mode": "wal"}]
    assert (tmp_path / "nested" / "data" / "register.sqlite3").is_file()


async def test_processes_starting_together_migrate_once(tmp_path: Path) -> None:
    """Servers and workers started at once on a new PostgreSQL database: one migrates while
    the others wait on the lock, then find nothing left to do."""
    reason = postgres_unavailable_reason()
    if reason:
        skip_or_fail_without_postgres(reason)
    with fresh_postgres_database() as url:
        engines = [make_engine(Settings(data_dir=tmp_path, database_url=url)) for _ in range(3)]
        results = await asyncio.gather(*(migrate(engine) for engine in engines))
        applied = [ids for ids in results if ids]
        assert len(applied) == 1
        assert applied[0] == known_migrations()
