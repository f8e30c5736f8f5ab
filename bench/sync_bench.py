"""CalDAV sync benchmark: our connector against the bare `caldav` library and vdirsyncer.

    .venv/bin/python -m bench.sync_bench [--events 5000] [--servers radicale,xandikos]

For each server (started here on 127.0.0.1 with temporary storage, stopped at the end), a
calendar of N generated objects (`bench.calendar_data`) is measured, in the same run:

1. initial sync: `CalDAVConnector.sync({}, window)` against one calendar-query REPORT of every
   event (`Calendar.search(event=True)`) with each object parsed by icalendar (goal ≤ 1.5×);
2. incremental sync after 10 changes made by another client (4 adds, 4 edits, 2 deletes, over
   HTTP): our connector against the bare sync-collection REPORT plus one calendar-multiget of
   the changed objects, parsed (goal ≤ 1.5×);
3. sync of an unchanged calendar: exactly one request, and ≤ 1.2× the bare sync-collection REPORT;
4. vdirsyncer (CLI, filesystem storage) syncing the same calendar, initial and after the same
   changes: we must be faster on both. Its wall-clock includes its process start-up, measured
   apart (`vdirsyncer --version`);
5. memory of our unchanged sync for calendars of 1,000 and N objects (`bench.memory_probe`).

Timings are medians and 95th percentiles of repeated runs; initial syncs start from an empty
state every time. Ours and the baseline alternate their order from one run to the next, and all
three paths see the same changes. Results: a table on standard output and a JSON file in
`bench/results/`.
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import bare
from bench.bare import Account
from bench.calendar_data import CalendarObject, generate, series_count
from bench.measure import Comparison, Samples, timed
from bench.report import MemoryFigures, ServerReport, table, write_json
from bench.seeding import OtherClient, seed_http, seed_storage
from bench.vdirsyncer_peer import Vdirsyncer, startup_seconds
from bench.vdirsyncer_peer import version as vdirsyncer_version
from connectors.caldav_source import CalDAVConnector
from connectors.delta import SyncDelta, Window
from tests.servers import SERVERS, CalDAVServer

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"

ADDS, EDITS, DELETES = 4, 4, 2
INITIAL_GOAL = 1.5
INCREMENTAL_GOAL = 1.5
UNCHANGED_GOAL = 1.2


@dataclass(frozen=True)
class Settings:
    events: int
    servers: tuple[str, ...]
    repeat: int
    initial_repeat: int
    unchanged_repeat: int
    memory_sizes: tuple[int, ...]
    memory_runs: int
    seeding: str
    seed: int
    today: date
    peer: bool

    @property
    def window(self) -> Window:
        now = datetime(self.today.year, self.today.month, self.today.day, 12, tzinfo=UTC)
        return Window.around(now, back=timedelta(days=365), ahead=timedelta(days=365))


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Ours:
    """Our connector, driven from one event loop kept for the whole run (as a worker's is)."""

    def __init__(self, runner: asyncio.Runner, account: Account, window: Window) -> None:
        self.runner = runner
        self.account = account
        self.window = window

    def sync(self, state: dict[str, Any]) -> SyncDelta:
        found: list[SyncDelta] = []
        self.runner.run(self._sync(state, found))
        return found[0]

    async def _sync(self, state: dict[str, Any], found: list[SyncDelta]) -> None:
        """The delta comes back through `found`, not as the task's result: on Python 3.11
        `Runner.run` formats the repr of its main task, hence of the task's result, twice
        while restoring the SIGINT handler, and the repr of a delta of thousands of objects
        costs more than an unchanged sync itself."""
        connector = CalDAVConnector(self.account.url, self.account.username, self.account.password)
        found.append(await connector.sync(state, self.window))


def occurrences(delta: SyncDelta) -> int:
    return sum(len(change.events) for change in delta.changed)


class ServerBench:
    """Every measurement on one server."""

    def __init__(
        self, server: CalDAVServer, settings: Settings, runner: asyncio.Runner, work: Path
    ) -> None:
        self.server = server
        self.settings = settings
        self.runner = runner
        self.work = work
        self.window = settings.window
        self.checks: list[str] = []

    def account(self, url: str) -> Account:
        return Account(url, self.server.username, self.server.password)

    def check(self, condition: bool, message: str) -> None:
        if not condition:
            self.checks.append(message)
            progress(f"CHECK FAILED: {message}")

    def seed(self, name: str, objects: Sequence[CalendarObject]) -> str:
        if self.settings.seeding == "http":
            return seed_http(self.server, name, objects)
        return seed_storage(self.server, name, objects)

    def run(self) -> ServerReport:
        settings = self.settings
        name = self.server.name
        objects = generate(
            settings.events,
            series=series_count(settings.events),
            seed=settings.seed,
            today=settings.today,
        )
        progress(f"{name}: loading {len(objects)} objects ({settings.seeding})")
        seed_seconds, _, url = timed(self.seed, "agenda", objects)
        account = self.account(url)
        small: dict[int, str] = {}
        for size in settings.memory_sizes:
            if size != settings.events:
                subset = generate(
                    size, series=series_count(size), seed=settings.seed + size, today=settings.today
                )
                small[size] = self.seed(f"agenda-{size}", subset)
        progress(f"{name}: loaded in {seed_seconds:.1f} s; warming caches")
        bare.query_only(account)
        small_states = self.warm_up(account, small)

        ours = Ours(self.runner, account, self.window)
        report = ServerReport(name, len(objects), 0, settings.seeding, seed_seconds)
        state, report.occurrences, initial = self.initial(ours, account)
        report.comparisons.append(initial)

        peer = Vdirsyncer(self.work / "vdirsyncer", account) if settings.peer else None
        peer_initial = self.peer_initial(peer, len(objects)) if peer else None
        startup = Samples()
        if peer is not None:
            for _ in range(settings.repeat):
                startup.add(startup_seconds())
            report.extra["vdirsyncer start-up (--version)"] = startup

        other = OtherClient(self.server, url, objects, today=settings.today, seed=settings.seed + 1)
        state, incremental, peer_incremental = self.incremental(ours, account, state, other, peer)
        report.comparisons.append(incremental)
        unchanged, peer_unchanged = self.unchanged(ours, account, state, peer, len(other.live))
        report.comparisons.append(unchanged)
        if peer is not None and peer_initial is not None and peer_incremental is not None:
            for label, ours_samples, theirs in (
                ("initial sync", initial.ours, peer_initial),
                ("incremental sync", incremental.ours, peer_incremental),
            ):
                comparison = Comparison(label, ours_samples, theirs, "vdirsyncer", 1.0, strict=True)
                net = theirs.median - startup.median
                comparison.notes.append(
                    f"vdirsyncer's figure includes its process start-up ({startup.median:.3f} s "
                    f"median); without it: {net:.3f} s, ours/that = "
                    f"{ours_samples.median / net:.2f}×"
                )
                report.comparisons.append(comparison)
            if peer_unchanged is not None:
                report.extra["vdirsyncer unchanged sync (start-up included)"] = peer_unchanged

        progress(f"{name}: memory of an unchanged sync")
        report.memory = self.memory(url, state, small, small_states)
        report.checks = self.checks
        return report

    def initial(self, ours: Ours, account: Account) -> tuple[dict[str, Any], int, Comparison]:
        settings = self.settings
        mine, base = Samples(), Samples()
        state: dict[str, Any] = {}
        count = 0
        # Untimed: the first time a freshly seeded server is asked for everything, and for a
        # sync token, it reads its storage and builds its token state (Radicale: 4-8 s for
        # 5,000 objects, once per collection), a cost no path should pay alone.
        bare.initial_load(account)
        bare.current_token(account)
        for run in range(settings.initial_repeat):
            for path in ("ours", "bare") if run % 2 == 0 else ("bare", "ours"):
                if path == "ours":
                    seconds, cpu, delta = timed(ours.sync, {})
                    mine.add(seconds, delta.requests, cpu)
                    self.check(
                        len(delta.changed) == settings.events and not delta.failed,
                        f"initial sync: ours saw {len(delta.changed)} objects, "
                        f"{len(delta.failed)} failed",
                    )
                    state, count = delta.state, occurrences(delta)
                    del delta
                else:
                    seconds, cpu, outcome = timed(bare.initial_load, account)
                    base.add(seconds, outcome.requests, cpu)
                    self.check(
                        outcome.objects == settings.events,
                        f"initial load: bare saw {outcome.objects} objects",
                    )
                progress(f"{self.server.name}: initial sync, {path}: {seconds:.2f} s")
        comparison = Comparison(
            "initial sync", mine, base, "search(event=True) + icalendar", INITIAL_GOAL
        )
        return state, count, comparison

    def peer_initial(self, peer: Vdirsyncer, expected: int) -> Samples:
        samples = Samples()
        for _ in range(self.settings.initial_repeat):
            peer.reset()
            seconds, cpu = peer.sync()
            samples.add(seconds, cpu=cpu)
            self.check(peer.items() == expected, f"vdirsyncer copied {peer.items()} objects")
            progress(f"{self.server.name}: initial sync, vdirsyncer: {seconds:.2f} s")
        return samples

    def incremental(
        self,
        ours: Ours,
        account: Account,
        state: dict[str, Any],
        other: OtherClient,
        peer: Vdirsyncer | None,
    ) -> tuple[dict[str, Any], Comparison, Samples | None]:
        mine, base, theirs = Samples(), Samples(), Samples()
        token = bare.current_token(account)
        for run in range(self.settings.unchanged_repeat):
            done = other.change(adds=ADDS, edits=EDITS, deletes=DELETES)
            paths = ["ours", "bare", "peer"] if peer is not None else ["ours", "bare"]
            shift = run % len(paths)
            for path in paths[shift:] + paths[:shift]:
                if path == "ours":
                    seconds, cpu, delta = timed(ours.sync, state)
                    mine.add(seconds, delta.requests, cpu)
                    self.check(
                        len(delta.changed) == ADDS + EDITS
                        and len(delta.removed) == DELETES
                        and not delta.failed,
                        f"incremental sync: ours saw {len(delta.changed)} changed, "
                        f"{len(delta.removed)} removed, {len(delta.failed)} failed",
                    )
                    state = delta.state
                elif path == "bare":
                    seconds, cpu, outcome = timed(bare.delta, account, token)
                    base.add(seconds, outcome.requests, cpu)
                    self.check(
                        outcome.objects == ADDS + EDITS and outcome.removed == DELETES,
                        f"incremental sync: bare saw {outcome.objects} changed, "
                        f"{outcome.removed} removed",
                    )
                    token = outcome.sync_token or token
                elif peer is not None:
                    seconds, cpu = peer.sync()
                    theirs.add(seconds, cpu=cpu)
                    self.check(
                        peer.items() == len(other.live),
                        f"vdirsyncer holds {peer.items()} objects, the calendar {len(other.live)}",
                    )
                progress(
                    f"{self.server.name}: incremental sync {run + 1} "
                    f"({done.count} changes), {path}: {seconds:.3f} s"
                )
        comparison = Comparison(
            "incremental sync (10 changes)",
            mine,
            base,
            "sync-collection REPORT + multiget + icalendar",
            INCREMENTAL_GOAL,
        )
        return state, comparison, theirs if peer is not None else None

    def unchanged(
        self,
        ours: Ours,
        account: Account,
        state: dict[str, Any],
        peer: Vdirsyncer | None,
        expected: int,
    ) -> tuple[Comparison, Samples | None]:
        mine, base, theirs = Samples(), Samples(), Samples()
        token = bare.current_token(account)
        for run in range(self.settings.unchanged_repeat):
            for path in ("ours", "bare") if run % 2 == 0 else ("bare", "ours"):
                if path == "ours":
                    seconds, cpu, delta = timed(ours.sync, state)
                    mine.add(seconds, delta.requests, cpu)
                    self.check(
                        not delta.changed and not delta.removed and delta.unchanged == expected,
                        f"unchanged sync: ours saw {len(delta.changed)} changed, "
                        f"{len(delta.removed)} removed, {delta.unchanged} unchanged",
                    )
                else:
                    seconds, cpu, outcome = timed(bare.delta, account, token)
                    base.add(seconds, outcome.requests, cpu)
                    self.check(
                        outcome.objects == 0 and outcome.removed == 0,
                        f"unchanged sync: bare saw {outcome.objects} changed",
                    )
            progress(
                f"{self.server.name}: unchanged sync {run + 1}: ours {mine.seconds[-1]:.3f} s, "
                f"bare {base.seconds[-1]:.3f} s"
            )
        if peer is not None:
            for _ in range(self.settings.repeat):
                seconds, cpu = peer.sync()
                theirs.add(seconds, cpu=cpu)
            progress(f"{self.server.name}: unchanged sync, vdirsyncer: {theirs.median:.3f} s")
        one_request = set(mine.requests) == {1}
        comparison = Comparison(
            "unchanged sync",
            mine,
            base,
            "sync-collection REPORT",
            UNCHANGED_GOAL,
            extra_condition=one_request,
        )
        comparison.notes.append(
            "goal includes exactly one request: "
            + ("met" if one_request else f"NOT met (requests {mine.request_counts})")
        )
        return comparison, theirs if peer is not None else None

    def warm_up(self, account: Account, small: dict[int, str]) -> dict[int, dict[str, Any]]:
        """Both paths once, untimed, on the smallest calendar (the main one if there is no
        other): the first run of a process pays for imports and caches (time zones, the
        recurrence engine) that a long-running sync worker has already paid for. The server
        caches of every calendar are warmed too. Returns our state of each small calendar."""
        states: dict[int, dict[str, Any]] = {}
        for size, url in small.items():
            bare.query_only(self.account(url))
            states[size] = Ours(self.runner, self.account(url), self.window).sync({}).state
        smallest = self.account(small[min(small)]) if small else account
        bare.initial_load(smallest)
        if not small:
            Ours(self.runner, account, self.window).sync({})
        return states

    def memory(
        self,
        url: str,
        state: dict[str, Any],
        small: dict[int, str],
        small_states: dict[int, dict[str, Any]],
    ) -> list[MemoryFigures]:
        figures: list[MemoryFigures] = []
        for size in self.settings.memory_sizes:
            if size == self.settings.events:
                size_url, size_state = url, state
            else:
                size_url, size_state = small[size], small_states[size]
            path = self.work / f"state-{size}.json"
            path.write_text(json.dumps(size_state), encoding="utf-8")
            runs = [
                self.probe(size_url, path, mode)
                for _ in range(self.settings.memory_runs)
                for mode in ("rss", "tracemalloc")
            ]
            rss = sorted(run["rss_growth"] for run in runs if run["mode"] == "rss")
            traced = sorted(run["tracemalloc_peak"] for run in runs if run["mode"] == "tracemalloc")
            requests = {run["requests"] for run in runs}
            self.check(requests == {1}, f"memory probe of {size} objects: requests {requests}")
            figures.append(
                MemoryFigures(
                    objects=size,
                    rss_growth=rss[len(rss) // 2],
                    tracemalloc_peak=traced[len(traced) // 2],
                    state_bytes=runs[0]["state_bytes"],
                    requests=max(requests),
                    runs=self.settings.memory_runs,
                )
            )
            progress(
                f"{self.server.name}: memory, {size} objects: RSS growth "
                f"{figures[-1].rss_growth / 2**20:.2f} MiB, tracemalloc peak "
                f"{figures[-1].tracemalloc_peak / 2**20:.2f} MiB"
            )
        return figures

    def probe(self, url: str, state: Path, mode: str) -> dict[str, Any]:
        command = [
            sys.executable,
            "-m",
            "bench.memory_probe",
            "--url",
            url,
            "--username",
            self.server.username,
            "--password",
            self.server.password,
            "--state",
            str(state),
            "--window-start",
            self.window.start.isoformat(),
            "--window-end",
            self.window.end.isoformat(),
            "--mode",
            mode,
        ]
        finished = subprocess.run(  # noqa: S603 - our own interpreter and module
            command, cwd=REPO, capture_output=True, text=True, check=False
        )
        if finished.returncode != 0:
            raise RuntimeError(f"memory probe failed: {finished.stderr[-2000:]}")
        result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
        return result


@contextlib.contextmanager
def running(server: CalDAVServer) -> Iterator[CalDAVServer]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        first = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()[0]
        memory = int(first.split()[1]) * 1024
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_bytes": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
    }


def versions() -> dict[str, str]:
    found = {}
    for package in (
        "caldav",
        "niquests",
        "icalendar",
        "recurring-ical-events",
        "radicale",
        "xandikos",
        "vdirsyncer",
    ):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    return found


def parse_arguments(argv: Sequence[str] | None) -> Settings:
    parser = argparse.ArgumentParser(
        prog="python -m bench.sync_bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--events", type=int, default=5000, help="objects per calendar (5000)")
    parser.add_argument(
        "--servers", default="radicale,xandikos", help="comma-separated (radicale,xandikos)"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs of incremental syncs and of vdirsyncer's (5)"
    )
    parser.add_argument(
        "--initial-repeat", type=int, default=3, help="runs of initial syncs, each path (3)"
    )
    parser.add_argument(
        "--unchanged-repeat",
        type=int,
        default=15,
        help="runs of unchanged syncs, each path (15): Radicale answers one in 0.30 s or 0.40 s, "
        "by turns, so five runs decide little",
    )
    parser.add_argument(
        "--memory-sizes", default="", help="calendar sizes for memory (default: 1000 and N)"
    )
    parser.add_argument("--memory-runs", type=int, default=3, help="probe processes per mode (3)")
    parser.add_argument(
        "--seeding",
        choices=("storage", "http"),
        default="storage",
        help="how the calendars are filled: the server's storage (fast) or HTTP (slow)",
    )
    parser.add_argument("--seed", type=int, default=20260302, help="of the generated data")
    parser.add_argument(
        "--today", type=date.fromisoformat, default=date(2026, 3, 2), help="centre of the window"
    )
    parser.add_argument("--no-peer", action="store_true", help="skip vdirsyncer")
    arguments = parser.parse_args(argv)
    servers = tuple(item.strip() for item in arguments.servers.split(",") if item.strip())
    unknown = [item for item in servers if item not in SERVERS]
    if unknown:
        parser.error(f"unknown server(s) {', '.join(unknown)}; known: {', '.join(SERVERS)}")
    sizes = (
        tuple(int(item) for item in arguments.memory_sizes.split(",") if item.strip())
        if arguments.memory_sizes
        else (min(1000, arguments.events), arguments.events)
    )
    return Settings(
        events=arguments.events,
        servers=servers,
        repeat=arguments.repeat,
        initial_repeat=arguments.initial_repeat,
        unchanged_repeat=arguments.unchanged_repeat,
        memory_sizes=tuple(sorted(set(sizes))),
        memory_runs=arguments.memory_runs,
        seeding=arguments.seeding,
        seed=arguments.seed,
        today=arguments.today,
        peer=not arguments.no_peer,
    )


def main(argv: Sequence[str] | None = None) -> None:
    settings = parse_arguments(argv)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    reports: list[ServerReport] = []
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as folder, asyncio.Runner() as runner:
        for name in settings.servers:
            work = Path(folder) / name
            with running(SERVERS[name](work / "server")) as server:
                reports.append(ServerBench(server, settings, runner, work).run())
    elapsed = time.perf_counter() - clock
    meta = {
        "benchmark": "sync_bench",
        "started": started.isoformat(timespec="seconds"),
        "elapsed_s": round(elapsed, 1),
        "machine": machine(),
        "versions": {**versions(), "vdirsyncer (CLI)": vdirsyncer_version()}
        if settings.peer
        else versions(),
        "settings": {
            "events": settings.events,
            "series": series_count(settings.events),
            "repeat": settings.repeat,
            "initial_repeat": settings.initial_repeat,
            "unchanged_repeat": settings.unchanged_repeat,
            "memory_sizes": list(settings.memory_sizes),
            "memory_runs": settings.memory_runs,
            "seeding": settings.seeding,
            "seed": settings.seed,
            "window": [settings.window.start.isoformat(), settings.window.end.isoformat()],
            "changes_per_round": {"adds": ADDS, "edits": EDITS, "deletes": DELETES},
        },
    }
    print(table(reports))
    path = write_json(RESULTS, started, meta, reports)
    print(
        f"\n{settings.events} objects per calendar; ran {elapsed / 60:.1f} min on "
        f"{os.cpu_count()} CPUs; figures written to {path.relative_to(REPO)}"
    )


if __name__ == "__main__":
    main()
