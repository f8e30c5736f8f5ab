"""Write transactions that behave the same on SQLite and PostgreSQL."""

from contextlib import AbstractAsyncContextManager
from typing import Any, cast

from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from register.store import conf


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
