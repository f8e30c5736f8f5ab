"""Full-text index of the public meetings' search text, on SQLite (issue 7's benchmark).

A search (`q`) asks that every word start a word of `search_text` (normalised: lower case,
no accents, words of [0-9a-z] separated by single spaces). `LIKE '% word%'` reads every row
of the table to count the matches (seconds for a million meetings); an FTS5 index answers
the same prefix query (`"word"*`), with the same words, since its tokenizer splits the text
exactly where `normalise` put the spaces. External content (the table's own `search_text`),
kept current by triggers; no positions are stored (`detail=none`: no phrase is ever asked).

PostgreSQL keeps `LIKE` (a trigram index would need the pg_trgm extension, which not every
installation may create).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-11-29T19:31:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "public_meeting_fts: full-text index of the search text (SQLite)"

FORWARDS = [
    "CREATE VIRTUAL TABLE public_meeting_fts USING fts5("
    "search_text, content='public_meeting', content_rowid='rowid', detail=none)",
    "INSERT INTO public_meeting_fts(public_meeting_fts) VALUES ('rebuild')",
    """
    CREATE TRIGGER public_meeting_fts_insert AFTER INSERT ON public_meeting BEGIN
        INSERT INTO public_meeting_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
    END
    """,
    """
    CREATE TRIGGER public_meeting_fts_delete AFTER DELETE ON public_meeting BEGIN
        INSERT INTO public_meeting_fts(public_meeting_fts, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
    END
    """,
    """
    CREATE TRIGGER public_meeting_fts_update AFTER UPDATE ON public_meeting BEGIN
        INSERT INTO public_meeting_fts(public_meeting_fts, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
        INSERT INTO public_meeting_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
    END
    """,
]
BACKWARDS = [
    "DROP TRIGGER IF EXISTS public_meeting_fts_update",
    "DROP TRIGGER IF EXISTS public_meeting_fts_delete",
    "DROP TRIGGER IF EXISTS public_meeting_fts_insert",
    "DROP TABLE IF EXISTS public_meeting_fts",
]


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="register", description=DESCRIPTION
    )

    async def run(statements: list[str]) -> None:
        engine = engine_finder()
        if isinstance(engine, SQLiteEngine):
            for statement in statements:
                await engine.run_ddl(statement)

    async def create() -> None:
        await run(FORWARDS)

    async def drop() -> None:
        await run(BACKWARDS)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)

    return manager
