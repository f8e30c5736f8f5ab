"""Read and write transactions that behave the same on SQLite and PostgreSQL."""

from contextlib import AbstractAsyncContextManager
from typing import Any, cast

from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from register.store import conf
from register.store.sqlite_busy import PatientSQLiteEngine


def current_engine() -> Engine[Any]:
    return conf.DB


def is_sqlite(engine: Engine[Any] | None = None) -> bool:
    return isinstance(engine or current_engine(), SQLiteEngine)


def writing() -> AbstractAsyncContextManager[Any]:
    """A transaction for read-then-write work.

    On SQLite it takes the write lock at once (BEGIN IMMEDIATE): a deferred transaction that
    reads first and writes later fails with "database is locked" under concurrent writers,
    whatever the busy timeout. PostgreSQL's default transaction is right as it is.
    """
    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        return cast(
            AbstractAsyncContextManager[Any],
            engine.transaction(transaction_type=TransactionType.immediate),
        )
    return cast(AbstractAsyncContextManager[Any], engine.transaction())


def reading() -> AbstractAsyncContextManager[Any]:
    """One connection and one snapshot for the queries of one answer: a page and its total
    agree even while meetings are being published. On SQLite it is a kept connection
    (`register.store.sqlite_readers`): opening one per answer cost more than a page's own query
    in issue 7's benchmark. Inside a transaction already, it is that transaction."""
    engine = current_engine()
    if isinstance(engine, PatientSQLiteEngine):
        return engine.reading()
    return cast(AbstractAsyncContextManager[Any], engine.transaction())
