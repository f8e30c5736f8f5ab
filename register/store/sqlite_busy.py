"""SQLite writers that wait their turn: "database is locked" is retried with backoff.

SQLite lets one writer at a time into a database file; every server process, worker and
command writes to the same file. Each attempt first waits in SQLite's own busy handler
(`BUSY_TIMEOUT`); a statement or a write transaction's `BEGIN IMMEDIATE` that still finds the
lock taken is tried again after a growing, jittered pause, until `LOCK_WAIT` has passed. This
also covers the SQLITE_BUSY answers that skip the busy handler altogether (a WAL file being
recovered, a read snapshot that went stale), and each retry is logged, so a writer holding the
lock too long shows in the logs instead of only as slow requests. Only whole statements and
`BEGIN` are retried: both fail without changing anything. A transaction's later statements are
not, and need not be: `BEGIN IMMEDIATE` already holds the lock they need.
"""

import asyncio
import random
import sqlite3
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType

from register.store.sqlite_readers import Reader, Readers, ReadTransaction

T = TypeVar("T")

BUSY_TIMEOUT = 2.0
"""Seconds one attempt waits in SQLite's busy handler."""
LOCK_WAIT = 30.0
"""Seconds a statement or a BEGIN keeps trying before "database is locked" reaches the caller
(the web answers it with a 503 and Retry-After)."""
FIRST_PAUSE = 0.05
LONGEST_PAUSE = 1.0

_log = structlog.get_logger("register.store")


def is_busy(error: BaseException) -> bool:
    return isinstance(error, sqlite3.OperationalError) and str(error).startswith(
        ("database is locked", "database table is locked", "database is busy")
    )


async def patiently(attempt: Callable[[], Awaitable[T]], *, lock_wait: float = LOCK_WAIT) -> T:
    """`attempt()`, tried again while SQLite answers busy, for at most `lock_wait` seconds."""
    deadline = time.monotonic() + lock_wait
    pause = FIRST_PAUSE
    tries = 1
    while True:
        try:
            return await attempt()
        except sqlite3.OperationalError as error:
            left = deadline - time.monotonic()
            if not is_busy(error) or left <= 0:
                raise
            _log.warning("sqlite database busy, retrying", tries=tries, error=str(error))
            await asyncio.sleep(min(left, pause * random.uniform(0.5, 1.5)))  # noqa: S311
            pause, tries = min(pause * 2, LONGEST_PAUSE), tries + 1


class PatientSQLiteTransaction(SQLiteTransaction):
    async def begin(self) -> None:
        engine = self.engine
        lock_wait = engine.lock_wait if isinstance(engine, PatientSQLiteEngine) else LOCK_WAIT
        await patiently(super().begin, lock_wait=lock_wait)


class PatientSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine, retrying statements and BEGINs that find the database busy."""

    def __init__(
        self, path: str, *, busy_timeout: float = BUSY_TIMEOUT, lock_wait: float = LOCK_WAIT
    ) -> None:
        super().__init__(path=path, timeout=busy_timeout)
        self.lock_wait = lock_wait
        self.readers = Readers(self.connection_kwargs)

    def reading(self) -> ReadTransaction:
        """A read transaction on a kept connection (`register.store.sqlite_readers`)."""
        return ReadTransaction(self.readers, self.current_transaction)

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        return PatientSQLiteTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        """A SELECT on a kept connection; anything else as Piccolo does, patiently."""
        if _is_select(query):
            return await patiently(
                lambda: self.readers.fetchall(query, args or []), lock_wait=self.lock_wait
            )
        parent = super()._run_in_new_connection
        return await patiently(
            lambda: parent(query, args, query_type, table), lock_wait=self.lock_wait
        )

    async def _run_in_existing_connection(
        self,
        connection: Any,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if isinstance(connection, Reader):
            return await connection.run(query, args or [])
        return await super()._run_in_existing_connection(connection, query, args, query_type, table)


def _is_select(query: str) -> bool:
    """Whether a statement only reads: a SELECT (a kept connection is `query_only`, so a
    statement misjudged here fails rather than writes outside the write lock's retries)."""
    return query.lstrip()[:6].upper() == "SELECT"
