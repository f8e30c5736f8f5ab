"""The publication log is append-only in the database itself (a trigger, issue 5), and a row
altered behind the trigger's back is named by `verify_log`, on SQLite and PostgreSQL."""

import inspect
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from piccolo.engine.base import Engine
from piccolo.querystring import QueryString

from register.domain.kinds import LogAction
from register.domain.publication_log import LogEntry, entry_hash
from register.store.repositories import meetings, publication_log
from register.store.tables import PublicationEntry
from register.store.transaction import is_sqlite, writing
from tests import factories
from tests.stored import store_register

TRIGGER = "publication_entry_append_only"
REFUSED = (sqlite3.IntegrityError, asyncpg.RaiseError)
APPEND_ONLY = "the publication log is append-only"

CONTENT_MISMATCH = "The entry's content does not match its hash."
LINK_MISMATCH = "The link to the previous entry does not match."
COLUMNS_MISMATCH = "The entry's columns do not match its hashed content."


async def _three_entries() -> list[LogEntry]:
    """One meeting published, corrected, then withdrawn: entries 1, 2 and 3."""
    stored = await store_register()
    meeting = await meetings.add_meeting(factories.meeting(stored.authority.id, stored.owner.id))
    entries = []
    for version, action in enumerate(
        (LogAction.PUBLISH, LogAction.CORRECT, LogAction.WITHDRAW), start=1
    ):
        async with writing():
            entries.append(
                await publication_log.append_entry(
                    meeting_id=meeting.id,
                    version=version,
                    action=action,
                    recorded_at=datetime(2026, 3, version, 9, 0, tzinfo=UTC),
                    payload={"subject": f"Objet, version {version}"},
                )
            )
    return entries


@asynccontextmanager
async def trigger_bypassed(engine: Engine) -> AsyncIterator[None]:
    """What someone with the database's keys could do: take the trigger out of the way, and
    (here) put it back afterwards, exactly as the migration made it."""
    if is_sqlite(engine):
        [row] = await engine.run_querystring(
            QueryString(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = {}", TRIGGER
            )
        )
        await engine.run_ddl(f"DROP TRIGGER {TRIGGER}")
        try:
            yield
        finally:
            await engine.run_ddl(row["sql"])
    else:
        await engine.run_ddl(f"ALTER TABLE publication_entry DISABLE TRIGGER {TRIGGER}")
        try:
            yield
        finally:
            await engine.run_ddl(f"ALTER TABLE publication_entry ENABLE TRIGGER {TRIGGER}")


async def _problems() -> tuple[int, list[tuple[int, str]]]:
    checked, problems = await publication_log.verify_log(batch=2)
    return checked, [(problem.seq, problem.message.en) for problem in problems]


async def test_the_database_refuses_to_update_a_log_entry(db: Engine) -> None:
    await _three_entries()

    with pytest.raises(REFUSED, match=APPEND_ONLY):
        await PublicationEntry.update({PublicationEntry.body: '{"rewritten": true}'}).where(
            PublicationEntry.seq == 2
        )
    with pytest.raises(REFUSED, match=APPEND_ONLY):
        await PublicationEntry.update({PublicationEntry.actor: None}, force=True)

    assert await _problems() == (3, [])


async def test_postgresql_refuses_to_delete_a_log_entry_and_sqlite_shows_the_gap(
    db: Engine,
) -> None:
    """SQLite lets a DELETE through (the tests empty its tables with DELETE); `verify` then
    names the entry after the hole."""
    await _three_entries()

    if is_sqlite(db):
        await PublicationEntry.delete().where(PublicationEntry.seq == 2)
        assert await _problems() == (
            2,
            [(3, "Expected entry 2, found entry 3."), (3, LINK_MISMATCH)],
        )
    else:
        with pytest.raises(REFUSED, match="append-only: entry 2 cannot be deleted"):
            await PublicationEntry.delete().where(PublicationEntry.seq == 2)
        assert await _problems() == (3, [])


def _rewritten_body(entry: LogEntry) -> dict[Any, Any]:
    return {PublicationEntry.body: entry.body.replace("version 2", "version 2 bis")}


def _rewritten_body_and_hash(entry: LogEntry) -> dict[Any, Any]:
    body = entry.body.replace("version 2", "version 2 bis")
    return {
        PublicationEntry.body: body,
        PublicationEntry.hash: entry_hash(entry.previous_hash, body),
    }


def _changed_version_column(entry: LogEntry) -> dict[Any, Any]:
    return {PublicationEntry.version: 7}


@pytest.mark.parametrize(
    ("tamper", "first_broken"),
    [
        pytest.param(_rewritten_body, (2, CONTENT_MISMATCH), id="body"),
        # A forger who recomputes the entry's hash still breaks the next entry's link.
        pytest.param(_rewritten_body_and_hash, (3, LINK_MISMATCH), id="body-and-hash"),
        pytest.param(_changed_version_column, (2, COLUMNS_MISMATCH), id="column"),
    ],
)
async def test_an_entry_altered_behind_the_trigger_is_named_by_verify(
    db: Engine, tamper: Any, first_broken: tuple[int, str]
) -> None:
    entries = await _three_entries()

    async with trigger_bypassed(db):
        await PublicationEntry.update(tamper(entries[1])).where(PublicationEntry.seq == 2)

    assert await _problems() == (3, [first_broken])
    with pytest.raises(REFUSED, match=APPEND_ONLY):  # the trigger is back
        await PublicationEntry.update({PublicationEntry.version: 2}).where(
            PublicationEntry.seq == 2
        )


def test_the_repository_offers_no_way_to_change_or_remove_an_entry() -> None:
    functions = {
        name
        for name, function in inspect.getmembers(publication_log, inspect.isfunction)
        if function.__module__ == publication_log.__name__
    }

    assert {"append_entry", "iter_entries", "verify_log"} <= functions
    assert not {
        name
        for name in functions
        if name.lstrip("_").startswith(("update", "delete", "remove", "edit", "set", "truncate"))
    }
