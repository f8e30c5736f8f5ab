"""Memory of a first (initial) sync, for calendars of 1,000 and 5,000 objects.

    .venv/bin/python -m bench.load_sync_memory [--sizes 1000,5000] [--server radicale]

`bench.sync_bench` measures the memory of an unchanged sync (flat); this measures the sync
that reads every object, each size in a process of its own, from an empty state, as the sync
service runs it: `CalDAVConnector.stream` handing its batches to a sink that drops each once
taken (the service writes it to the database), so that what is measured is what the connector
holds. The figures: the peak RSS growth during the sync and, after a warm-up sync, the
tracemalloc peak (the probe is this module's own `probe` command, measured as
`bench.memory_probe` measures an unchanged sync).
The calendars are `bench.calendar_data`'s, planted in a Radicale (or Xandikos) started on
127.0.0.1 as `sync_bench` does. Flat would be the 5,000-object figures within 1.25× of the
1,000-object ones.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bench.calendar_data import generate, series_count
from bench.memory_probe import measured
from bench.seeding import seed_storage
from bench.sync_bench import REPO, Settings, running
from connectors.caldav_source import CalDAVConnector
from connectors.delta import ObjectChanged, ObjectOutcome, Window
from tests.servers import SERVERS

MIB = 2**20


def probe(url: str, server: Any, window: Any, mode: str, state: Path) -> dict[str, Any]:
    finished = subprocess.run(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "bench.load_sync_memory",
            "probe",
            "--url",
            url,
            "--username",
            server.username,
            "--password",
            server.password,
            "--state",
            str(state),
            "--window-start",
            window.start.isoformat(),
            "--window-end",
            window.end.isoformat(),
            "--mode",
            mode,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


class Dropped:
    """The sink of the probe: counts what it is handed, keeps none of it."""

    def __init__(self) -> None:
        self.objects = 0
        self.occurrences = 0
        self.batches = 0

    async def __call__(self, batch: Sequence[ObjectOutcome]) -> None:
        self.batches += 1
        self.objects += len(batch)
        self.occurrences += sum(
            len(item.events) for item in batch if isinstance(item, ObjectChanged)
        )


def run_probe(argv: Sequence[str]) -> None:
    """One streamed first sync in this process; prints one JSON object."""
    parser = argparse.ArgumentParser(prog="bench.load_sync_memory probe")
    for name in ("--url", "--username", "--password", "--window-start", "--window-end"):
        parser.add_argument(name, default="")
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--mode", choices=("rss", "tracemalloc"), required=True)
    arguments = parser.parse_args(argv)
    state: dict[str, Any] = json.loads(arguments.state.read_text(encoding="utf-8"))
    window = Window(
        start=datetime.fromisoformat(arguments.window_start),
        end=datetime.fromisoformat(arguments.window_end),
    )
    connector = CalDAVConnector(arguments.url, arguments.username, arguments.password)

    def sync() -> Dropped:
        sink = Dropped()
        asyncio.run(connector.stream(state, window, sink))
        return sink

    figures, sink = measured(arguments.mode, sync)
    figures.update(changed=sink.occurrences, objects=sink.objects, batches=sink.batches)
    print(json.dumps(figures))


def main() -> None:
    if sys.argv[1:2] == ["probe"]:
        run_probe(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--server", default="radicale", choices=sorted(SERVERS))
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    settings = Settings(
        events=max(sizes),
        servers=(arguments.server,),
        repeat=1,
        initial_repeat=1,
        unchanged_repeat=1,
        memory_sizes=tuple(sizes),
        memory_runs=1,
        seeding="storage",
        seed=2026,
        today=date(2026, 11, 29),
        peer=False,
    )
    figures: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="sync-memory-") as folder:
        work = Path(folder)
        state = work / "empty-state.json"
        state.write_text("{}", encoding="utf-8")
        with running(SERVERS[arguments.server](work / "server")) as server:
            for size in sizes:
                objects = generate(
                    size, series=series_count(size), seed=settings.seed, today=settings.today
                )
                url = seed_storage(server, f"agenda-{size}", objects)
                rss = probe(url, server, settings.window, "rss", state)
                traced = probe(url, server, settings.window, "tracemalloc", state)
                figures[size] = {
                    "rss_growth": rss["rss_growth"],
                    "tracemalloc_peak": traced["tracemalloc_peak"],
                    "changed": rss["changed"],
                }
                print(
                    f"{size:>6} objects ({rss['changed']} occurrences): initial sync peak RSS "
                    f"growth {rss['rss_growth'] / MIB:7.1f} MiB, tracemalloc peak "
                    f"{traced['tracemalloc_peak'] / MIB:7.1f} MiB",
                    flush=True,
                )
    small, large = figures[min(sizes)], figures[max(sizes)]
    ratios = {key: large[key] / max(small[key], 1) for key in ("rss_growth", "tracemalloc_peak")}
    flat = all(ratio <= 1.25 for ratio in ratios.values())
    print(
        f"{max(sizes) / min(sizes):g}× the objects: RSS growth ×{ratios['rss_growth']:.2f}, "
        f"tracemalloc peak ×{ratios['tracemalloc_peak']:.2f} → "
        + ("flat" if flat else "NOT flat (grows with the objects read)")
    )


if __name__ == "__main__":
    main()
