"""SQLite reads go to connections kept open (`register.store.sqlite_readers`): reused from one
query to the next, read-only, one snapshot per `reading()`, never carried into a replaced file
nor across a fork."""

import asyncio
import os
import sqlite3
from pathlib import Path

import pytest

from register.store.engine import prepare_engine, use_engine
from register.store.migrate import migrate
from register.store.repositories.authorities import save_authority
from register.store.sqlite_busy import PatientSQLiteEngine
from register.store.tables import Authority
from register.store.transaction import reading
from tests import factories


@pytest.fixture
async def engine(tmp_path: Path) -> PatientSQLiteEngine:
    engine = PatientSQLiteEngine(path=str(tmp_path / "register.sqlite3"))
    await prepare_engine(engine)
    await migrate(engine)
    use_engine(engine)
    return engine


async def _names() -> list[str]:
    return sorted(row["name"] for row in await Authority.select(Authority.name))


async def test_reads_reuse_one_kept_connection(engine: PatientSQLiteEngine) -> None:
    await save_authority(factories.authority(name="Ville de Port-Vallon"))
    assert await _names() == ["Ville de Port-Vallon"]
    first = list(engine.readers._idle)
    assert await _names() == ["Ville de Port-Vallon"]
    async with reading():
        assert await _names() == ["Ville de Port-Vallon"]

    assert len(first) == 1
    assert engine.readers._idle == first


async def test_a_write_sent_to_a_kept_connection_fails(engine: PatientSQLiteEngine) -> None:
    await save_authority(factories.authority(name="Ville de Port-Vallon"))
    reader = await engine.readers.take()
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await reader.run("DELETE FROM authority", [])
    finally:
        engine.readers.give_back(reader)
    assert await _names() == ["Ville de Port-Vallon"]


async def test_a_reading_is_one_snapshot(engine: PatientSQLiteEngine) -> None:
    await save_authority(factories.authority(name="Ville de Port-Vallon"))
    async with reading():
        before = await _names()
        # another process's write, on a connection of its own
        await asyncio.to_thread(_insert_directly, engine.path, "Communauté du Val")
        within = await _names()
    after = await _names()

    assert before == within == ["Ville de Port-Vallon"]
    assert after == ["Communauté du Val", "Ville de Port-Vallon"]


async def test_a_failed_query_in_a_reading_leaves_the_connection_usable(
    engine: PatientSQLiteEngine,
) -> None:
    await save_authority(factories.authority(name="Ville de Port-Vallon"))
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        async with reading() as transaction:
            await transaction.connection.run("SELECT * FROM no_such_table", [])
    assert await _names() == ["Ville de Port-Vallon"]
    assert all(not reader.raw.in_transaction for reader in engine.readers._idle)


async def test_a_replaced_database_file_is_read_afresh(
    engine: PatientSQLiteEngine, tmp_path: Path
) -> None:
    await save_authority(factories.authority(name="Ville de Port-Vallon"))
    copy = tmp_path / "copy.sqlite3"
    await asyncio.to_thread(_backup, engine.path, copy)
    await asyncio.to_thread(_insert_directly, str(copy), "Communauté du Val")
    assert await _names() == ["Ville de Port-Vallon"]  # a kept connection to the old file

    for stale in (f"{engine.path}-wal", f"{engine.path}-shm"):  # a new database in its place
        await asyncio.to_thread(Path(stale).unlink, missing_ok=True)
    os.replace(copy, engine.path)

    assert await _names() == ["Communauté du Val", "Ville de Port-Vallon"]


async def test_a_forked_child_reads_on_connections_of_its_own(
    engine: PatientSQLiteEngine,
) -> None:
    await save_authority(factories.authority(name="Ville de Port-Vallon"))
    assert await _names() == ["Ville de Port-Vallon"]
    parents = list(engine.readers._idle)

    child = os.fork()
    if child == 0:  # pragma: no cover (the child reports by its exit status)
        code = 1
        try:
            names = asyncio.run(_names())
            code = (
                0
                if names == ["Ville de Port-Vallon"]
                and not (set(map(id, engine.readers._idle)) & set(map(id, parents)))
                else 2
            )
        finally:
            os._exit(code)
    _, status = await asyncio.to_thread(os.waitpid, child, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert engine.readers._idle == parents
    assert await _names() == ["Ville de Port-Vallon"]


def _insert_directly(path: str, name: str) -> None:
    connection = sqlite3.connect(path)
    try:
        template = connection.execute("SELECT * FROM authority LIMIT 1").fetchone()
        columns = [
            column[0] for column in connection.execute("SELECT * FROM authority").description
        ]
        row = dict(zip(columns, template, strict=True))
        row |= {"id": "00000000-0000-4000-8000-000000000001", "name": name, "slug": "val"}
        marks = ", ".join("?" for _ in row)
        connection.execute(
            f"INSERT INTO authority ({', '.join(row)}) VALUES ({marks})",  # noqa: S608
            list(row.values()),
        )
        connection.commit()
    finally:
        connection.close()


def _backup(path: str, target: Path) -> None:
    source = sqlite3.connect(path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
