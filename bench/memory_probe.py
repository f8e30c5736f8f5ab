"""Memory of one unchanged sync, measured in a process of its own (run by `sync_bench`).

    python -m bench.memory_probe --url URL --username U --password P --state STATE.json \
        --window-start ISO --window-end ISO --mode rss|tracemalloc

The stored state is read (as the caller reads it from its database) before measuring: what is
measured is what the sync itself allocates on top of it.

- `rss`: the first sync of a fresh process. Peak RSS growth is the high-water mark
  (`ru_maxrss`) reached during the sync when it rose during it, else the highest RSS sampled
  every millisecond, minus the RSS just before.
- `tracemalloc`: after one warm-up sync (imports, caches), the peak of Python allocations
  traced during a second one.

Prints one JSON object.
"""

import argparse
import asyncio
import gc
import json
import os
import resource
import threading
import tracemalloc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from connectors.caldav_source import CalDAVConnector
from connectors.delta import SyncDelta, Window

_PAGE = os.sysconf("SC_PAGE_SIZE")

T = TypeVar("T")


def rss() -> int:
    """The resident set size now, from /proc (Linux), with no third-party package."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * _PAGE


class RSSSampler:
    """The highest RSS seen, polled every millisecond in a thread."""

    def __init__(self) -> None:
        self.peak = rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.wait(0.001):
            self.peak = max(self.peak, rss())

    def __enter__(self) -> "RSSSampler":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss())


def _max_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


def measured(mode: str, sync: Callable[[], T]) -> tuple[dict[str, Any], T]:
    """The memory figures of one `sync()` and its result. "tracemalloc": the peak of Python's
    allocations during a second sync (the first warms caches and imports). "rss": the growth of
    the resident set, its peak taken from the kernel's high-water mark when the sync raised it,
    else from polling."""
    figures: dict[str, Any] = {"mode": mode}
    if mode == "tracemalloc":
        sync()
        gc.collect()
        tracemalloc.start()
        result = sync()
        figures["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return figures, result
    gc.collect()
    before = rss()
    high_before = _max_rss()
    with RSSSampler() as sampler:
        result = sync()
    high_after = _max_rss()
    peak = high_after if high_after > high_before else sampler.peak
    figures.update(rss_before=before, rss_peak=peak, rss_growth=max(0, peak - before))
    return figures, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--username", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--window-start", required=True)
    parser.add_argument("--window-end", required=True)
    parser.add_argument("--mode", choices=("rss", "tracemalloc"), required=True)
    arguments = parser.parse_args()

    state: dict[str, Any] = json.loads(arguments.state.read_text(encoding="utf-8"))
    window = Window(
        start=datetime.fromisoformat(arguments.window_start),
        end=datetime.fromisoformat(arguments.window_end),
    )
    connector = CalDAVConnector(arguments.url, arguments.username, arguments.password)

    async def into(found: list[SyncDelta]) -> None:
        found.append(await connector.sync(state, window))

    def sync() -> SyncDelta:
        # Not `asyncio.run(connector.sync(…))`: on Python 3.11 that formats the repr of the
        # main task's result (the whole delta) while restoring the SIGINT handler.
        found: list[SyncDelta] = []
        asyncio.run(into(found))
        return found[0]

    figures, delta = measured(arguments.mode, sync)
    figures.update(
        requests=delta.requests,
        changed=len(delta.changed),
        unchanged=delta.unchanged,
        state_bytes=len(json.dumps(state)),
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
