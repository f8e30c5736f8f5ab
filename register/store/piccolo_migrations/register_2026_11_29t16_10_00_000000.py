"""The publication log is append-only in the database too: a trigger refuses to change its rows.

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE only: the tests empty SQLite tables
with DELETE between tests (on PostgreSQL they TRUNCATE, which a row trigger does not see), and a
deleted entry is still caught by `register verify` as a gap in the chain.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-11-29T16:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "publication_entry: append-only trigger"

TRIGGER = "publication_entry_append_only"

POSTGRES_FORWARDS = [
    f"""
    CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the publication log is append-only: entry % cannot be %',
            OLD.seq, lower(TG_OP) || 'd'
            USING HINT = 'Publish a correction or a withdrawal: it appends a new entry.';
    END
    $$
    """,
    f"""
    CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON publication_entry
    FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()
    """,
]
POSTGRES_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON publication_entry",
    f"DROP FUNCTION IF EXISTS {TRIGGER}()",
]
SQLITE_FORWARDS = [
    f"""
    CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON publication_entry
    BEGIN
        SELECT RAISE(ABORT, 'the publication log is append-only: an entry cannot be updated');
    END
    """,
]
SQLITE_BACKWARDS = [f"DROP TRIGGER IF EXISTS {TRIGGER}"]


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="register", description=DESCRIPTION
    )

    async def create_trigger() -> None:
        engine = engine_finder()
        sqlite = isinstance(engine, SQLiteEngine)
        for statement in SQLITE_FORWARDS if sqlite else POSTGRES_FORWARDS:
            await engine.run_ddl(statement)

    async def drop_trigger() -> None:
        engine = engine_finder()
        sqlite = isinstance(engine, SQLiteEngine)
        for statement in SQLITE_BACKWARDS if sqlite else POSTGRES_BACKWARDS:
            await engine.run_ddl(statement)

    manager.add_raw(create_trigger)
    manager.add_raw_backwards(drop_trigger)

    return manager
