"""Results kept in the server process, computed once per state of the register.

What the public pages and the API derive from every published meeting (the search form's lists,
the statistics, the compliance figures) changes only with a new publication-log entry, whose
hash, the chain's head, goes in the key; on a large register each costs seconds. Each process
keeps its own, so several workers stay consistent without talking to each other. Requests that
arrive while a result is being computed wait for it instead of computing it again.

A result that took longer than `slow` seconds to compute (whole-register figures of a million
meetings take tens of seconds) is not made to wait for after the next publication: its previous
value is answered while the new one is computed in the background, and replaces it when done.
Small registers, where everything is computed in milliseconds, always answer the current state.
"""

import asyncio
import contextvars
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

import structlog

from register.queries import register_version

T = TypeVar("T")

SLOW = 2.0
"""Seconds of computation above which the previous state's result is answered meanwhile."""

_log = structlog.get_logger("register.per_version")


@dataclass(frozen=True)
class _Kept(Generic[T]):
    at: float
    took: float
    value: T


class KeptResults(Generic[T]):
    """At most `size` results, least recently used out first; with `max_age`, a result older
    than that many seconds is computed again (for what also changes with time alone)."""

    def __init__(
        self, size: int = 64, *, max_age: float | None = None, slow: float | None = SLOW
    ) -> None:
        self.size = size
        self.max_age = max_age
        self.slow = slow
        self._entries: OrderedDict[Hashable, _Kept[T]] = OrderedDict()
        self._latest: OrderedDict[Hashable, _Kept[T]] = OrderedDict()
        self._computing: dict[Hashable, asyncio.Lock] = {}
        self._refreshing: dict[Hashable, asyncio.Task[None]] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The result kept under `key`, or `compute()`'s, then kept."""
        return (await self._get(key, compute)).value

    async def per_version(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """`get`, with the register's current state (the log's head) added to `key`; or, when
        that state's result is not ready and the last one took long, the last one."""
        version = await register_version()
        current = (version.last_hash, version.last_seq, key)
        if self._fresh(current) is None and self.slow is not None:
            previous = self._latest.get(key)
            if previous is not None and previous.took > self.slow:
                self._refresh(current, key, compute)
                return previous.value
        kept = await self._get(current, compute)
        self._remember(key, kept)
        return kept.value

    async def _get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> _Kept[T]:
        kept = self._fresh(key)
        if kept is not None:
            return kept
        lock = self._computing.setdefault(key, asyncio.Lock())
        async with lock:
            kept = self._fresh(key)
            if kept is None:
                started = time.monotonic()
                value = await compute()
                now = time.monotonic()
                kept = _Kept(at=now, took=now - started, value=value)
                self._entries[key] = kept
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            self._computing.pop(key, None)
            return kept

    def _remember(self, key: Hashable, kept: _Kept[T]) -> None:
        self._latest[key] = kept
        self._latest.move_to_end(key)
        while len(self._latest) > self.size:
            self._latest.popitem(last=False)

    def _refresh(
        self, current: Hashable, key: Hashable, compute: Callable[[], Awaitable[T]]
    ) -> None:
        """Compute the current state's result in a task of its own, once. It runs in an empty
        context: the request's read transaction (a context variable) ends with the request."""
        if current in self._refreshing:
            return

        async def refresh() -> None:
            try:
                self._remember(key, await self._get(current, compute))
            except Exception:  # the next request tries again; the old result stays meanwhile
                _log.exception("refreshing a kept result failed", key=repr(key)[:200])
            finally:
                self._refreshing.pop(current, None)

        self._refreshing[current] = asyncio.get_running_loop().create_task(
            refresh(), context=contextvars.Context()
        )

    def _fresh(self, key: Hashable) -> _Kept[T] | None:
        kept = self._entries.get(key)
        if kept is None:
            return None
        if self.max_age is not None and time.monotonic() - kept.at > self.max_age:
            return None
        self._entries.move_to_end(key)
        return kept
