"""Bringing a database's schema up to date with the register's migrations."""

import contextlib
import io
from typing import Any

import asyncpg
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from register.store.engine import prepare_engine, use_engine
from register.store.piccolo_app import APP_CONFIG


class MigrationError(RuntimeError):
    """A migration did not apply; the database keeps its previous schema."""


async def applied_migrations() -> list[str]:
    if not await Migration.table_exists().run():
        return []
    return list(await Migration.get_migrations_which_ran(app_name=APP_CONFIG.app_name))


def known_migrations() -> list[str]:
    """The ids of the migrations shipped with this version, oldest first."""
    manager = BaseMigrationManager()
    modules = manager.get_migration_modules(APP_CONFIG.resolved_migrations_folder_path)
    return manager.get_migration_ids(modules)


async def pending_migrations() -> list[str]:
    done = set(await applied_migrations())
    return [migration_id for migration_id in known_migrations() if migration_id not in done]


_MIGRATION_LOCK = 7_402_118


async def migrate(engine: Engine[Any]) -> list[str]:
    """Apply the pending migrations to `engine` and return their ids (none when up to date).

    Piccolo's runner prints as it goes; its output is kept and shown only if it fails.
    """
    use_engine(engine)
    await prepare_engine(engine)
    if not await pending_migrations():
        return []
    if isinstance(engine, PostgresEngine):
        # Several servers and workers may start at once: one migrates, the others wait for it
        # (a session lock, on a connection of its own, released when it closes).
        lock = await asyncpg.connect(**engine.config)
        try:
            await lock.execute(f"SELECT pg_advisory_lock({_MIGRATION_LOCK})")
            return await _migrate()
        finally:
            await lock.close()
    return await _migrate()


async def _migrate() -> list[str]:
    pending = await pending_migrations()
    if not pending:
        return []
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        result = await run_forwards(app_name=APP_CONFIG.app_name)
    if not result.success:
        raise MigrationError(f"{result.message}\n{output.getvalue()}".strip())
    # A database published before the public register's projection existed gets it filled in.
    from register.store.repositories.public_register import (
        public_register_is_current,
        rebuild_public_register,
    )

    if not await public_register_is_current():
        await rebuild_public_register()
    return pending
