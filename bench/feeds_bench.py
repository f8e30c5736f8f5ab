"""Feed benchmark: cold generation, and cached feeds against a static file of the same size.

    .venv/bin/python -m bench.feeds_bench --data-dir DIR | --database-url URL
        [--repeat 3] [--seconds 10] [--connections 8]

On an existing register (e.g. `bench.generate`'s; it is only read), in the same run:

1. cold generation, in this process, of the iCalendar feed of the 10,000 most recent meetings
   and of the RSS feed of the latest 100 log entries (`register.web.feeds.ical_document` and
   `log_document`, what the server runs on a cache miss), against the baseline of the query
   alone (the same meetings or entries read as `PublishedMeeting`s, nothing written);
2. requests per second of each feed served from the server's cache (one uvicorn worker, the
   real application), against a static file holding the same bytes served by the same process
   (`bench.load_app`'s `/bench-static/`), both over keep-alive connections with `wrk`, without
   compression — goal: the feed at ≥ 50 % of the static file's rate. The feed is measured
   gzipped as well (as calendar apps and feed readers ask for it), against the same baseline.

Prints a table; the figures go to `bench/results/feeds-<time>.json` too.
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from bench.load_app import STATIC_PATH
from bench.load_report import environment, table, write_results
from bench.load_server import running_server
from bench.load_wrk import LoadFigures, run_wrk
from feeds.syndication import rss_feed
from register.queries import MeetingFilter, iter_meetings, log_entries
from register.settings import Settings
from register.store.engine import make_engine, use_engine
from register.web.feeds import ENTRIES, ICAL_LIMIT, ical_document, log_document

SITE = "http://127.0.0.1"
GOAL = 0.5
"""A cached feed's rate over the static file's, at least."""


async def _read_meetings() -> int:
    count = 0
    async for _ in iter_meetings(MeetingFilter()):
        count += 1
        if count == ICAL_LIMIT:
            break
    return count


async def _read_entries() -> int:
    return len(await log_entries(MeetingFilter(), limit=ENTRIES))


async def _ical() -> int:
    return len(await ical_document(MeetingFilter(), site=SITE))


async def _rss() -> int:
    return len(await log_document(MeetingFilter(), rss_feed, site=SITE, self_url=f"{SITE}/feeds/x"))


async def _seconds(operation: Callable[[], Awaitable[int]]) -> tuple[float, int]:
    started = time.perf_counter()
    size = await operation()
    return time.perf_counter() - started, size


async def cold(repeat: int) -> dict[str, Any]:
    """Medians of `repeat` runs of each feed and of its query alone, alternating their order."""
    pairs = {
        "ical": (_ical, _read_meetings, "query of the 10,000 meetings"),
        "rss": (_rss, _read_entries, "query of the 100 log entries"),
    }
    figures: dict[str, Any] = {}
    for name, (feed, query, baseline_name) in pairs.items():
        ours: list[float] = []
        base: list[float] = []
        size = rows = 0
        await query()  # warm-up: imports, the database's first pages
        for run in range(repeat):
            order = [(feed, ours), (query, base)]
            for operation, samples in order if run % 2 == 0 else reversed(order):
                seconds, result = await _seconds(operation)
                samples.append(seconds)
                if operation is feed:
                    size = result
                else:
                    rows = result
        figures[name] = {
            "feed_s": statistics.median(ours),
            "query_s": statistics.median(base),
            "ratio": statistics.median(ours) / statistics.median(base),
            "bytes": size,
            "rows": rows,
            "baseline": baseline_name,
            "samples_feed_s": [round(value, 3) for value in ours],
            "samples_query_s": [round(value, 3) for value in base],
        }
    return figures


def cached(
    data_dir: Path | None, database_url: str | None, *, seconds: int, connections: int
) -> dict[str, Any]:
    """Each feed, served from the cache, against a static file of its bytes."""
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="feeds-bench-") as folder:
        static = Path(folder)
        with running_server(data_dir, database_url, workers=1, static_dir=static) as server:
            for name, path in (("ical", "/feeds/rencontres.ics"), ("rss", "/feeds/rencontres.rss")):
                started = time.perf_counter()
                first = httpx.get(server.url + path, timeout=600)
                first.raise_for_status()
                first_seconds = time.perf_counter() - started
                copy = static / Path(path).name
                copy.write_bytes(first.content)
                static_path = f"{STATIC_PATH}/{copy.name}"
                served = httpx.get(server.url + static_path, timeout=60)
                if served.content != first.content:
                    raise RuntimeError(f"the static copy of {path} is not served as written")
                plain: dict[str, LoadFigures] = {}
                for label, target in (("static", static_path), ("feed", path)):
                    plain[label] = run_wrk(
                        server.url, [target], seconds=seconds, connections=connections
                    )
                zipped = run_wrk(
                    server.url,
                    [path],
                    seconds=seconds,
                    connections=connections,
                    headers={"Accept-Encoding": "gzip"},
                )
                figures[name] = {
                    "bytes": len(first.content),
                    "first_request_s": first_seconds,
                    "static": plain["static"].to_json(),
                    "feed": plain["feed"].to_json(),
                    "feed_gzip": zipped.to_json(),
                    "ratio": plain["feed"].rate / plain["static"].rate,
                    "ratio_gzip": zipped.rate / plain["static"].rate,
                    "errors": plain["feed"].error_count
                    + plain["static"].error_count
                    + zipped.error_count,
                }
            figures["server_memory_kib"] = server.memory()
    return figures


def report(cold_figures: dict[str, Any], cached_figures: dict[str, Any]) -> str:
    rows = [
        [
            f"cold {name}: feed vs {item['baseline']}",
            f"{item['feed_s']:.3f} s",
            f"{item['query_s']:.3f} s",
            f"{item['ratio']:.2f}×",
            f"{item['bytes']:,} B, {item['rows']:,} rows",
        ]
        for name, item in cold_figures.items()
    ]
    for name in ("ical", "rss"):
        item = cached_figures[name]
        static = item["static"]["requests_per_s"]
        for label, key, ratio in (
            ("cached", "feed", "ratio"),
            ("cached, gzip", "feed_gzip", "ratio_gzip"),
        ):
            met = "met" if item[ratio] >= GOAL else "NOT MET"
            rows.append(
                [
                    f"{label} {name} vs static file of {item['bytes']:,} B (req/s)",
                    f"{item[key]['requests_per_s']:.1f}",
                    f"{static:.1f}",
                    f"{item[ratio]:.2f}×",
                    f"goal ≥ {GOAL:g}×: {met}; p95 {item[key]['p95_ms']:.1f} ms",
                ]
            )
    lines = [table(["measure", "ours", "baseline", "ratio", "notes"], rows)]
    for name in ("ical", "rss"):
        item = cached_figures[name]
        lines.append(
            f"{name}: first request to a fresh server (cold, over HTTP) "
            f"{item['first_request_s']:.2f} s; errors under load: {item['errors']}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data-dir", type=Path, help="the SQLite register's data directory")
    source.add_argument("--database-url", help="postgresql://… of the register")
    parser.add_argument("--repeat", type=int, default=3, help="cold generations of each feed")
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run's duration")
    parser.add_argument("--connections", type=int, default=8, help="wrk's connections")
    arguments = parser.parse_args()

    meta = environment()
    use_engine(
        make_engine(
            Settings(
                data_dir=arguments.data_dir or Path("data"), database_url=arguments.database_url
            )
        )
    )
    cold_figures = asyncio.run(cold(arguments.repeat))
    cached_figures = cached(
        arguments.data_dir,
        arguments.database_url,
        seconds=arguments.seconds,
        connections=arguments.connections,
    )
    print(report(cold_figures, cached_figures))
    path = write_results(
        "feeds",
        {
            **meta,
            "arguments": vars(arguments) | {"data_dir": str(arguments.data_dir)},
            "cold": cold_figures,
            "cached": cached_figures,
        },
    )
    print(f"JSON: {path}")


if __name__ == "__main__":
    main()
