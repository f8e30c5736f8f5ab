"""Indexes for the public register's filtered pages, counts and statistics (issue 7's benchmark).

A page of a search is sorted by date then id: with an index on (filter column, starts_at, id)
the database reads the page's 100 rows from the index in order, where an index on the filter
column alone makes it read and sort every matching row (hundreds of thousands on a busy
authority); the same index answers the search's count without touching the table. `log_seq`
finds the payload of an entity's latest meeting (officials, organisations, policy areas).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T19:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "public register: filter-then-date indexes, log_seq index"

_FILTERED = ("authority", "official", "policy_area", "format", "state", "hatvp_registered")
_INDEXES = {
    **{
        f"public_meeting_{column}_starts_idx": f"public_meeting ({column}, starts_at, id)"
        for column in _FILTERED
    },
    "public_meeting_log_seq_idx": "public_meeting (log_seq)",
}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="register", description=DESCRIPTION
    )

    async def create_indexes() -> None:
        for name, target in _INDEXES.items():
            await engine_finder().run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
        await engine_finder().run_ddl("ANALYZE public_meeting")

    async def drop_indexes() -> None:
        for name in _INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)

    return manager
