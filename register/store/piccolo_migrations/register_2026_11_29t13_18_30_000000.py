"""An index for the sync's question "which meetings came from this calendar object?"."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T13:18:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "meeting (source, source_href) index"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="register", description=DESCRIPTION
    )

    async def create_index() -> None:
        await engine_finder().run_ddl(
            "CREATE INDEX meeting_source_href_idx ON meeting (source, source_href)"
        )

    async def drop_index() -> None:
        await engine_finder().run_ddl("DROP INDEX IF EXISTS meeting_source_href_idx")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)

    return manager
