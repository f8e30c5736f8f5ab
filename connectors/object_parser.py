"""Reading the calendar objects a sync brought: each object → its occurrences in the window, or
why it could not be read.

Reading is CPU-bound: about 0.25 ms for a single meeting (`connectors.plain_object`), several
milliseconds for a series (icalendar parses in pure Python, about 50 µs a content line, and the
occurrences are expanded), so a first sync of 5,000 objects costs about 3 s of CPU. A batch larger
than `POOL_FROM` objects is therefore read in a pool of worker processes, in chunks, one sync's
pool for all its calendars, shut down when the sync ends (`ObjectParser.close`). Small batches,
the usual incremental sync, are read in a thread: starting processes would cost more than it
saves.

On Linux the workers are forked: they start at once with the modules and caches (time zones,
recurrence engine) the parent has already loaded, where a spawned worker would spend about
0.6 s importing them. When no pool can be started (no `fork` nor semaphores in a sandbox, a
process limit) or a worker dies, the objects are read in-process: slower, never lost.
"""

import asyncio
import logging
import math
import multiprocessing
import os
import pickle
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from connectors.caldav_report import Body
from connectors.delta import ObjectChanged, ObjectFailed, Window
from connectors.icalendar_events import events_from_ical

_log = logging.getLogger(__name__)

Outcome = ObjectChanged | ObjectFailed

POOL_FROM = 200
"""The smallest batch read in worker processes rather than in a thread."""

MAX_WORKERS = 4
"""At most this many worker processes, however many cores: the server has other work."""

CHUNKS_PER_WORKER = 4
"""Chunks handed to each worker: results come back (and are unpickled) while others are read,
and a worker slowed by a heavy chunk does not hold the others up for long."""

_POOL_FAILURES = (
    OSError,
    NotImplementedError,
    ImportError,
    RuntimeError,
    BrokenProcessPool,
    pickle.PicklingError,
)
"""What starting a pool, a worker dying, or a value that cannot cross to a worker raises."""


def parse(bodies: Iterable[Body], window: Window, timezone: str) -> list[Outcome]:
    """Each object → its occurrences in the window, or why it could not be read."""
    outcomes: list[Outcome] = []
    for body in bodies:
        if body.data is None:
            outcomes.append(
                ObjectFailed(href=body.href, message="the server sent no calendar data")
            )
            continue
        try:
            events = events_from_ical(
                body.data, href=body.href, window=window, default_timezone=timezone
            )
        except Exception as failure:  # one bad object never aborts a sync, whatever its fault
            outcomes.append(ObjectFailed(href=body.href, message=_reason(failure)))
            continue
        outcomes.append(ObjectChanged(href=body.href, etag=body.etag, events=events))
    return outcomes


def _reason(failure: Exception) -> str:
    if isinstance(failure, ValueError) and str(failure):
        return str(failure)
    return f"{type(failure).__name__}: {failure}"


def parse_chunk(bodies: Sequence[Body], window: Window, timezone: str) -> list[Outcome]:
    """What a worker process runs (a name of its own, so that tests can make it fail)."""
    return parse(bodies, window, timezone)


def available_cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class ObjectParser:
    """Reads the batches of one sync, in a process pool started on the first large batch."""

    def __init__(self, window: Window, timezone: str, workers: int | None = None) -> None:
        self.window = window
        self.timezone = timezone
        self.workers = min(MAX_WORKERS, available_cores()) if workers is None else workers
        self._pool: ProcessPoolExecutor | None = None
        self._pool_failed = self.workers < 2

    async def parse(self, bodies: Sequence[Body]) -> list[Outcome]:
        """The outcomes of `bodies`, in their order. Once the pool is started (a full load's
        batches), it reads every batch, however small: the sync's own thread has the answer
        to read."""
        if (len(bodies) > POOL_FROM or self._pool is not None) and not self._pool_failed:
            try:
                return await self._in_pool(bodies)
            except _POOL_FAILURES as failure:
                _log.warning(
                    "calendar objects read in-process, the process pool failed: %r", failure
                )
                self._pool_failed = True
                self.close()
        return await asyncio.to_thread(parse, bodies, self.window, self.timezone)

    async def _in_pool(self, bodies: Sequence[Body]) -> list[Outcome]:
        pool = self._pool or self._start()
        loop = asyncio.get_running_loop()
        size = max(1, math.ceil(len(bodies) / (self.workers * CHUNKS_PER_WORKER)))
        chunks = [bodies[start : start + size] for start in range(0, len(bodies), size)]
        done = await asyncio.gather(
            *(
                loop.run_in_executor(pool, parse_chunk, chunk, self.window, self.timezone)
                for chunk in chunks
            )
        )
        return [outcome for outcomes in done for outcome in outcomes]

    def _start(self) -> Executor:
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self._pool

    def close(self) -> None:
        """Stop the workers, if any were started: no process outlives the sync."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
