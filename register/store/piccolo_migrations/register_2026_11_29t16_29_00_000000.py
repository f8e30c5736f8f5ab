"""Indexes for the public register's keyset pagination (date, then id) and organisation filter."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T16:29:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "public register keyset indexes"

_INDEXES = (
    "CREATE INDEX public_meeting_starts_id_idx ON public_meeting (starts_at, id)",
    "CREATE INDEX public_meeting_published_id_idx ON public_meeting (published_at, id)",
    "CREATE UNIQUE INDEX public_meeting_organisation_pair_idx "
    "ON public_meeting_organisation (organisation, meeting)",
)
_NAMES = (
    "public_meeting_starts_id_idx",
    "public_meeting_published_id_idx",
    "public_meeting_organisation_pair_idx",
)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="register", description=DESCRIPTION
    )

    async def create_indexes() -> None:
        for statement in _INDEXES:
            await engine_finder().run_ddl(statement)

    async def drop_indexes() -> None:
        for name in _NAMES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)

    return manager
