"""Fixtures shared by every test: the databases (SQLite and PostgreSQL) and a clean register."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from register.settings import Settings
from register.store.engine import make_engine, use_engine
from register.store.migrate import migrate
from register.store.tables import TABLES
from tests.databases import (
    fresh_postgres_database,
    postgres_unavailable_reason,
    skip_or_fail_without_postgres,
)

ENGINES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session."""
    reason = postgres_unavailable_reason()
    if reason:
        skip_or_fail_without_postgres(reason)
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sqlite")


@pytest.fixture(scope="session", params=ENGINES)
async def migrated_engine(
    request: pytest.FixtureRequest, sqlite_dir: Path
) -> AsyncIterator[Engine]:
    """One migrated database per engine for the session; tests are grouped by engine."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        settings = Settings(data_dir=sqlite_dir, database_url=url)
    else:
        settings = Settings(data_dir=sqlite_dir)
    engine = make_engine(settings)
    await migrate(engine)
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=8)
    yield engine
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


async def _empty_tables(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        names = ", ".join(f'"{table._meta.tablename}"' for table in TABLES)
        await engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        return
    for table in reversed(TABLES):
        await table.delete(force=True)


@pytest.fixture
async def db(migrated_engine: Engine) -> Engine:
    """The session's database for the current engine, empty at the start of each test."""
    use_engine(migrated_engine)
    await _empty_tables(migrated_engine)
    return migrated_engine


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep each `xdist_group` in one worker under pytest 9 (`--dist loadgroup`): pytest-xdist
    3.8 marks a grouped test by renaming `item._nodeid`, which pytest 9 no longer reads, so the
    browser tests would start the demo in both workers and the fault tests two CalDAV servers.
    Does nothing where pytest-xdist's own renaming took effect."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import coerce_node_id  # pytest 9's node ids (private, as xdist's use)

    for item in items:
        names = sorted(
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        )
        suffix = "@" + "_".join(dict.fromkeys(names))
        if names and not item.nodeid.endswith(suffix):
            item._id = coerce_node_id(item.nodeid + suffix)
