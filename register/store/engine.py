"""Choosing and binding the database engine: SQLite by default, PostgreSQL by `DATABASE_URL`."""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

from register.settings import Settings
from register.store.sqlite_busy import PatientSQLiteEngine

POSTGRES_SCHEMES = frozenset({"postgres", "postgresql"})
POSTGRES_CONNECT_TIMEOUT = 10.0


class ConfigurationError(ValueError):
    """A setting that cannot work, with a message saying how to fix it."""


def make_engine(settings: Settings) -> Engine[Any]:
    """The engine the settings ask for; SQLite creates its data directory on first use."""
    if settings.database_url:
        scheme = urlsplit(settings.database_url).scheme.split("+")[0]
        if scheme not in POSTGRES_SCHEMES:
            raise ConfigurationError(
                f"DATABASE_URL must start with postgresql:// (got {scheme or 'no scheme'}://); "
                "leave it unset to use the embedded SQLite database."
            )
        # A bounded connection timeout: with the server unreachable, requests get their 503
        # within seconds instead of asyncpg's default minute.
        return PostgresEngine(
            config={"dsn": settings.database_url, "timeout": POSTGRES_CONNECT_TIMEOUT},
            log_queries=False,
        )
    return PatientSQLiteEngine(path=str(settings.sqlite_path))


def engine_name(engine: Engine[Any]) -> str:
    return str(engine.engine_type)


def use_engine(engine: Engine[Any]) -> None:
    """Point every table, and Piccolo's migration runner, at `engine`.

    Piccolo binds tables to an engine when their module is imported; rebinding lets the CLI's
    `--data-dir` and the tests (which run the same tests on SQLite and PostgreSQL) choose the
    database after import.
    """
    from register.store import conf
    from register.store.piccolo_app import APP_CONFIG

    conf.DB = engine
    tables: list[type[Table]] = [*APP_CONFIG.table_classes, Migration]
    for table in tables:
        table._meta.db = engine


async def prepare_engine(engine: Engine[Any]) -> None:
    """Before first use: create SQLite's data directory, and turn on WAL mode (it persists in
    the file) so that readers never wait for a writer."""
    if isinstance(engine, SQLiteEngine):
        directory = Path(engine.path).parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigurationError(
                f"cannot create the data directory {directory}: {error.strerror}"
            ) from error
        await engine.run_ddl("PRAGMA journal_mode=WAL")
