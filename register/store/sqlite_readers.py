"""SQLite connections kept open for reading, instead of one opened per query.

Piccolo opens a new aiosqlite connection, with a thread of its own, for every query outside a
transaction and for every transaction, and sends each statement through that thread in three
hops (a PRAGMA, the statement, the fetch). For the API's pages of 100 meetings this cost more
than the query itself (issue 7's benchmark). Reads go instead to connections that stay open,
each used by one caller at a time, run on a small pool of threads shared by every engine in the
process: one hop per statement.

A kept connection is `query_only`: a write sent to it by mistake fails loudly rather than
escaping the write lock's retries (`register.store.sqlite_busy`). A connection is dropped when
the database file it was opened on has been replaced (a restore, a test's fresh file), and a
forked child process never uses its parent's (SQLite forbids carrying a connection across
`fork`): it opens its own.
"""

import asyncio
import contextlib
import contextvars
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

THREADS = 4
"""Threads running reads, for every engine of the process: SQLite reads in WAL mode run in
parallel, and a worker process rarely has more than a few in flight."""
KEPT = 4
"""Idle connections kept per database file."""

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_every: "weakref.WeakSet[Readers]" = weakref.WeakSet()
_abandoned: list[object] = []
"""A forked child's inherited connections: kept referenced, never closed nor used."""


def _run(function: Callable[[], T]) -> "asyncio.Future[T]":
    global _executor  # noqa: PLW0603 (one pool per process, recreated after a fork)
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="sqlite-read")
        executor = _executor
    return asyncio.get_running_loop().run_in_executor(executor, function)


def _dict_rows(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> dict[str, Any]:
    """Rows as Piccolo's SQLite engine returns them."""
    return {column[0]: row[index] for index, column in enumerate(cursor.description)}


@dataclass
class Reader:
    """One open connection; whoever holds it is its only user until it is given back."""

    raw: sqlite3.Connection
    inode: int

    def fetchall(self, query: str, args: list[Any] | tuple[Any, ...]) -> list[dict[str, Any]]:
        return self.raw.execute(query, args).fetchall()

    async def run(self, query: str, args: list[Any] | tuple[Any, ...]) -> list[dict[str, Any]]:
        return await _run(lambda: self.fetchall(query, args))


@dataclass(eq=False)
class Readers:
    """The kept connections to one database file."""

    connection_kwargs: dict[str, Any]
    _idle: list[Reader] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pid: int = field(default_factory=os.getpid)

    def __post_init__(self) -> None:
        _every.add(self)

    @property
    def path(self) -> str:
        return str(self.connection_kwargs["database"])

    async def take(self) -> Reader:
        """An idle connection to the current file, or a new one."""
        inode = _inode(self.path)
        self._forget_if_forked()
        with self._lock:
            while self._idle:
                reader = self._idle.pop()
                if reader.inode == inode:
                    return reader
                _close(reader)
        return await _run(lambda: self._open(inode))

    def give_back(self, reader: Reader, *, usable: bool = True) -> None:
        self._forget_if_forked()
        with self._lock:
            if usable and not reader.raw.in_transaction and len(self._idle) < KEPT:
                self._idle.append(reader)
                return
        _close(reader)

    async def fetchall(self, query: str, args: list[Any]) -> list[dict[str, Any]]:
        """One statement in its own implicit transaction."""
        reader = await self.take()
        try:
            rows = await reader.run(query, args)
        except BaseException:
            self.give_back(reader, usable=False)
            raise
        self.give_back(reader)
        return rows

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for reader in idle:
            _close(reader)

    def _open(self, inode: int) -> Reader:
        raw = sqlite3.connect(**self.connection_kwargs, check_same_thread=False)
        raw.row_factory = _dict_rows
        raw.execute("PRAGMA query_only = 1")
        return Reader(raw=raw, inode=inode)

    def _forget_if_forked(self) -> None:
        """In a forked child: a lock of its own (the parent's may have been held at the fork),
        and none of the parent's connections."""
        if self._pid != os.getpid():
            self._lock = threading.Lock()
            _abandoned.extend(self._idle)
            self._idle = []
            self._pid = os.getpid()


def release(path: str | os.PathLike[str]) -> None:
    """Close this process's idle connections to a database file: an idle connection to a WAL
    database keeps a lock that stops a change of journal mode (the bulk loader's)."""
    wanted = os.path.realpath(path)
    for readers in list(_every):
        if os.path.realpath(readers.path) == wanted:
            readers.close()


def _inode(path: str) -> int:
    try:
        return os.stat(path).st_ino
    except OSError:
        return -1


def _close(reader: Reader) -> None:
    with contextlib.suppress(sqlite3.Error):
        reader.raw.close()


def _after_fork_in_child() -> None:
    """The parent's threads do not exist in a forked child: it starts a pool of its own."""
    global _executor, _executor_lock
    _abandoned.append(_executor)
    _executor, _executor_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


class ReadTransaction:
    """One snapshot for the reads of one answer, on a kept connection (`register.queries.reading`).
    Inside a transaction already, it is that transaction. `current` is the engine's context
    variable that Piccolo reads to send a query to the open transaction's connection."""

    def __init__(self, readers: Readers, current: "contextvars.ContextVar[Any]") -> None:
        self.readers = readers
        self.current = current
        self.connection: Reader | None = None
        self._outer: Any = None
        self._token: contextvars.Token[Any] | None = None

    async def __aenter__(self) -> Any:
        self._outer = self.current.get()
        if self._outer is not None:
            return self._outer
        connection = await self.readers.take()
        try:
            await connection.run("BEGIN", [])
        except BaseException:
            self.readers.give_back(connection, usable=False)
            raise
        self.connection = connection
        self._token = self.current.set(self)
        return self

    async def __aexit__(self, *exception: object) -> bool:
        if self._outer is not None or self.connection is None or self._token is None:
            return False
        self.current.reset(self._token)
        connection, self.connection = self.connection, None
        try:
            await connection.run("COMMIT", [])  # a read-only transaction: it only ends the snapshot
        except BaseException:
            self.readers.give_back(connection, usable=False)
            raise
        self.readers.give_back(connection)
        return False
