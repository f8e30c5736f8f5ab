"""Multi-column uniqueness, as unique indexes (the same DDL on SQLite and PostgreSQL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T13:04:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "multi-column unique indexes"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="register", description=DESCRIPTION
    )

    async def create_unique_indexes() -> None:
        # Multi-column uniqueness as unique indexes: the same DDL works on SQLite and PostgreSQL.
        statements = [
            "CREATE UNIQUE INDEX meeting_source_event_key"
            " ON meeting (source, source_uid, recurrence_id)",
            "CREATE UNIQUE INDEX official_authority_slug_key ON official (authority, slug)",
            "CREATE UNIQUE INDEX official_presence_key ON official_presence (meeting, official)",
            "CREATE UNIQUE INDEX representative_presence_key"
            " ON representative_presence (meeting, representative)",
            'CREATE UNIQUE INDEX staff_membership_key ON staff_membership ("user", authority)',
            "CREATE UNIQUE INDEX publication_entry_meeting_version_key"
            " ON publication_entry (meeting, version)",
        ]
        engine = engine_finder()
        for statement in statements:
            await engine.run_ddl(statement)

    async def drop_unique_indexes() -> None:
        engine = engine_finder()
        for name in (
            "meeting_source_event_key",
            "official_authority_slug_key",
            "official_presence_key",
            "representative_presence_key",
            "staff_membership_key",
            "publication_entry_meeting_version_key",
        ):
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_unique_indexes)
    manager.add_raw_backwards(drop_unique_indexes)

    return manager
