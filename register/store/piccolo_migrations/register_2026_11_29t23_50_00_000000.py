"""Full-text index of the public meetings' search text, on PostgreSQL (issue 7).

A search (`q`) asks that every word start a word of `search_text` (normalised: lower case, no
accents, words of [0-9a-z] separated by single spaces). PostgreSQL answered it with
`LIKE '% word%'`, reading the whole table: 2.6–3.9 s for a million meetings. A GIN index of
`to_tsvector('simple', search_text)` answers the same prefix query (`word:* & …`): the `simple`
configuration keeps every word as it is (no stemming, no stop words), and the parser splits the
normalised text exactly at its spaces (31 random prefixes, digits and one-letter ones included,
gave the same counts both ways on the generated million). Built into PostgreSQL: no extension.

SQLite has its own (`public_meeting_fts`, migration 2026-11-29T19:31).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-29T23:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "public_meeting_search_idx: full-text index of the search text (PostgreSQL)"

NAME = "public_meeting_search_idx"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)

    async def create() -> None:
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl(
                f"CREATE INDEX IF NOT EXISTS {NAME} ON public_meeting "
                "USING gin (to_tsvector('simple', search_text))"
            )

    async def drop() -> None:
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl(f"DROP INDEX IF EXISTS {NAME}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
