"""Indexes for the compliance figures at scale (issue 7).

- `meeting (authority, updated_at)`: the public compliance figures are kept under a stamp (how
  many meetings, when one last changed) read on every request of the pages that show them;
  without it the stamp read the whole meeting table, about a second for a million meetings.
- `meeting (authority, id, …)`: the figures read an authority's counted meetings in batches in
  the order of their ids. With an index on the authority alone, each batch read and sorted all
  of the authority's meetings, looking each up in the table: 77 s for the whole register of a
  million meetings. This one holds the filter and the six columns read, in id order, so each
  batch is a range of the index alone (32 s, the rest being the accounting in Python).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T22:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "meeting indexes for the compliance figures' stamp and batches"

_INDEXES = {
    "meeting_authority_updated_idx": "meeting (authority, updated_at)",
    "meeting_counted_idx": (
        "meeting (authority, id, classification_kind, visibility, status, first_published_at, "
        "official, exemption_ground, starts_at, ends_at)"
    ),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)

    async def create_indexes() -> None:
        for name, target in _INDEXES.items():
            await engine_finder().run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    async def drop_indexes() -> None:
        for name in _INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
