"""Results kept in the server process, computed once per state of the register.

What the public pages and the API derive from every published meeting (the search form's lists,
the statistics, the compliance figures) changes only with a new publication-log entry, whose
hash, the chain's head, goes in the key; on a large register each costs seconds. Each process
keeps its own, so several workers stay consistent without talking to each other. Requests that
arrive while a result is being computed wait for it instead of computing it again.
"""

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from register.queries import register_version

T = TypeVar("T")


class KeptResults(Generic[T]):
    """At most `size` results, least recently used out first; with `max_age`, a result older
    than that many seconds is computed again (for what also changes with time alone)."""

    def __init__(self, size: int = 64, *, max_age: float | None = None) -> None:
        self.size = size
        self.max_age = max_age
        self._entries: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._computing: dict[Hashable, asyncio.Lock] = {}

    async def get(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """The result kept under `key`, or `compute()`'s, then kept."""
        kept = self._fresh(key)
        if kept is not None:
            return kept[1]
        lock = self._computing.setdefault(key, asyncio.Lock())
        async with lock:
            kept = self._fresh(key)
            if kept is None:
                kept = (time.monotonic(), await compute())
                self._entries[key] = kept
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
            self._computing.pop(key, None)
            return kept[1]

    async def per_version(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """`get`, with the register's current state (the log's head) added to `key`."""
        version = await register_version()
        return await self.get((version.last_hash, version.last_seq, key), compute)

    def _fresh(self, key: Hashable) -> tuple[float, T] | None:
        kept = self._entries.get(key)
        if kept is None:
            return None
        if self.max_age is not None and time.monotonic() - kept[0] > self.max_age:
            return None
        self._entries.move_to_end(key)
        return kept
