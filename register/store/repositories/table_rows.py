"""Every row of the register's tables in a portable form (JSON values), read and written the
same way on SQLite and PostgreSQL, for backups that move a register from one engine to the other.

Reads go a batch at a time in primary-key order (keyset pagination), so memory stays flat
whatever the size of a table; writes insert batches of rows with their own keys.
"""

import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID

from piccolo.columns import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Serial,
    Timestamptz,
    column_types,
)
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString
from piccolo.table import Table

from register.store.tables import (
    TABLES,
    LoginFailure,
    PublicationEntry,
    PublicMeeting,
    StaffSession,
)
from register.store.transaction import current_engine, is_sqlite

EPHEMERAL: tuple[type[Table], ...] = (StaffSession, LoginFailure)
"""Log-ins and failed log-in counts: a restored register asks staff to log in again."""
KEPT: tuple[type[Table], ...] = tuple(t for t in TABLES if t not in EPHEMERAL)
"""The tables a backup holds, in an order where every row's references come before it. The
public register's projection is kept too, though the log could rebuild it: rebuilding takes a
statement per meeting (hours for a million), inserting it back a statement per thousand."""

PARAMETERS_PER_INSERT = 8000
"""Bound variables per INSERT: below SQLite's 32,766 and PostgreSQL's 32,767."""


def table_named(name: str) -> type[Table] | None:
    return next((table for table in KEPT if table._meta.tablename == name), None)


def column_names(table: type[Table]) -> list[str]:
    return [column._meta.name for column in table._meta.columns]


def _key_kind(column: Column) -> type[Column]:
    """The type of what a column holds: a foreign key holds its target's primary key."""
    if isinstance(column, ForeignKey):
        target = column._foreign_key_meta.resolved_references
        return type(target._meta.primary_key)
    return type(column)


def to_portable(column: Column, value: Any) -> Any:
    """A column's value as JSON: UUIDs and times as text, JSON columns as their parsed value."""
    if value is None:
        return None
    if isinstance(column, JSON):
        return json.loads(value) if isinstance(value, str) else value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


_FROM_TEXT: tuple[tuple[type[Column], Callable[[Any], Any]], ...] = (
    (column_types.UUID, UUID),
    (Timestamptz, datetime.fromisoformat),
    (Date, date.fromisoformat),
    (Boolean, bool),
)


def from_portable(column: Column, value: Any) -> Any:
    """The inverse of `to_portable`, in the types the engine's driver expects."""
    if value is None:
        return None
    if isinstance(column, JSON):
        return json.dumps(value, ensure_ascii=False)
    kind = _key_kind(column)
    for column_type, convert in _FROM_TEXT:
        if issubclass(kind, column_type):
            return convert(value)
    return value


def self_references(table: type[Table]) -> list[str]:
    """Columns referring to the same table (a merged organisation points to the one it was merged
    into): written once every row exists, since a row may name one that comes after it."""
    return [
        column._meta.name
        for column in table._meta.foreign_key_columns
        if column._foreign_key_meta.resolved_references is table
    ]


async def iter_rows(table: type[Table], *, batch: int = 1000) -> AsyncIterator[list[Any]]:
    """Every row of `table` as a list of portable values in `column_names` order."""
    key = table._meta.primary_key
    columns = list(table._meta.columns)
    last: Any = None
    while True:
        query = table.select(*columns).order_by(key).limit(batch)
        if last is not None:
            query = query.where(key > last)
        rows = await query
        for row in rows:
            yield [to_portable(column, row[column._meta.name]) for column in columns]
        if len(rows) < batch:
            return
        last = rows[-1][key._meta.name]


def _converter(column: Column) -> Callable[[Any], Any]:
    """`from_portable` for one column, with its type worked out once."""
    if isinstance(column, JSON):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    kind = _key_kind(column)
    for column_type, convert in _FROM_TEXT:
        if issubclass(kind, column_type):
            return lambda value: None if value is None else convert(value)
    return lambda value: value


async def insert_rows(table: type[Table], names: Sequence[str], rows: Sequence[list[Any]]) -> None:
    """Insert portable rows, keys included, in as few statements as the engines allow.

    One multi-row INSERT per batch, built here rather than from Piccolo row objects (which cost
    more than the database does); Piccolo's QueryString still writes each engine's placeholders.
    """
    columns = [table._meta.get_column_by_name(name) for name in names]
    deferred = set(self_references(table))
    converters = [
        (lambda _: None) if column._meta.name in deferred else _converter(column)
        for column in columns
    ]
    header = ", ".join(f'"{column._meta.db_column_name}"' for column in columns)
    placeholders = "(" + ", ".join("{}" for _ in columns) + ")"
    per_insert = max(1, PARAMETERS_PER_INSERT // max(1, len(columns)))
    engine = current_engine()
    for start in range(0, len(rows), per_insert):
        batch = rows[start : start + per_insert]
        values = [
            convert(value) for row in batch for convert, value in zip(converters, row, strict=True)
        ]
        statement = (
            f'INSERT INTO "{table._meta.tablename}" ({header}) VALUES '  # noqa: S608 - our names
            + ", ".join(placeholders for _ in batch)
        )
        await engine.run_querystring(QueryString(statement, *values))


async def set_references(table: type[Table], name: str, pairs: Sequence[tuple[Any, Any]]) -> None:
    """Write a self-referencing column once every row of the table exists."""
    column = table._meta.get_column_by_name(name)
    key = table._meta.primary_key
    for row_key, target in pairs:
        await table.update({column: from_portable(column, target)}).where(
            key == from_portable(key, row_key)
        )


async def public_meetings() -> int:
    return int(await PublicMeeting.count())


async def non_empty_tables() -> list[str]:
    """The tables holding rows, by name (a restore goes only into an empty register)."""
    return [table._meta.tablename for table in TABLES if await table.exists()]


async def empty_every_table() -> None:
    """Delete every row (restore --force). PostgreSQL truncates, which the publication log's
    append-only trigger, a row trigger, lets through; SQLite's trigger refuses only updates."""
    engine = current_engine()
    if is_sqlite(engine):
        for table in reversed(TABLES):
            await table.delete(force=True)
        return
    names = ", ".join(f'"{table._meta.tablename}"' for table in TABLES)
    await engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


async def reset_sequences() -> None:
    """After rows were inserted with their own serial keys, PostgreSQL's sequences must start
    after the largest (SQLite's AUTOINCREMENT-less keys need nothing)."""
    if is_sqlite():
        return
    for table in TABLES:
        if isinstance(table._meta.primary_key, Serial):
            name = table._meta.tablename
            # The table name is one of ours, never input.
            statement = (
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                f'COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{name}"'
            )
            await current_engine().run_ddl(statement)


async def log_head() -> tuple[int, str]:
    """How many entries the publication log holds, and the hash of the last one ("" if none)."""
    row = (
        await PublicationEntry.select(PublicationEntry.seq, PublicationEntry.hash)
        .order_by(PublicationEntry.seq, ascending=False)
        .first()
    )
    if row is None:
        return 0, ""
    return int(await PublicationEntry.count()), str(row["hash"])


@asynccontextmanager
async def snapshot() -> AsyncIterator[None]:
    """A read transaction seeing one consistent state of the register while writers go on:
    PostgreSQL's REPEATABLE READ, SQLite's WAL snapshot (taken at the first read)."""
    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        async with engine.transaction(transaction_type=TransactionType.deferred):
            yield
        return
    async with cast(Any, engine).transaction():
        await engine.run_ddl("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield
