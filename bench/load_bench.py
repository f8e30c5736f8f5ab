"""Load benchmark: a bounded mix of pages, API calls and feeds against N server processes.

    .venv/bin/python -m bench.load_bench --data-dir DIR | --database-url URL
        [--workers 2] [--seconds 30] [--connections 16] [--warmup 10] [--profile]

On an existing register (e.g. `bench.generate`'s; it is only read), on 127.0.0.1:

1. the server (`bench.load_server`: the real application under uvicorn, `--workers` processes);
2. the mix (`bench.load_mix`): 100 paths, half public pages, a third API calls, the rest feeds,
   on ids and words taken from the register, each asked once first (every one must answer
   200), then a warm-up of the whole mix (unmeasured);
3. the measured load: `wrk` (`bench.load_wrk`), `--connections` keep-alive connections cycling
   through the mix for `--seconds`, gzip accepted as browsers do: requests per second, error
   rate (goal: zero), p50/p95/p99; then each kind alone; then the baselines under the same
   load: `/health` (one tiny query) and a static file (`/static/register.css`);
4. the server processes' memory: VmHWM (the peak resident set since start) of each worker read
   from /proc at the end, and the resident set sampled during the load.

With `--profile`, py-spy samples every worker during the measured mix and the functions of
the register that take the most time are printed.

Prints a table; the figures go to `bench/results/load-<time>.json` too.
"""

import argparse
import contextlib
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from bench.load_mix import API, FEEDS, PAGES, mix, sample_register, shuffled
from bench.load_report import environment, table, write_results
from bench.load_server import Server, memory_kib, running_server
from bench.load_wrk import LoadFigures, run_wrk

HEADERS = {"Accept-Encoding": "gzip"}
BASELINES = {"/health": "/health", "static file": "/static/register.css"}
KIB = 1024


def check_paths(url: str, paths: list[str], timeout: float) -> dict[str, Any]:
    """Each distinct path once (also the first, cold, request of its worker): status, time;
    status 0 for no answer within `timeout` seconds."""
    found: dict[str, Any] = {}
    with httpx.Client(base_url=url, headers=HEADERS, timeout=timeout) as client:
        for path in dict.fromkeys(paths):
            started = time.perf_counter()
            try:
                status = client.get(path).status_code
            except httpx.TimeoutException:
                status = 0
            found[path] = {"status": status, "seconds": round(time.perf_counter() - started, 3)}
            print(
                f"first request: {status} {found[path]['seconds']:8.2f} s  {path}", file=sys.stderr
            )
    return found


def settle(url: str, limit: float = 180) -> float:
    """Wait until the server has finished what a previous phase left queued (wrk stops
    sending, the server does not stop answering): /health answered within 0.2 s three times in
    a row. Returns the seconds waited."""
    started = time.perf_counter()
    quick = 0
    while quick < 3 and time.perf_counter() - started < limit:
        asked = time.perf_counter()
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"{url}/health", timeout=limit)
        quick = quick + 1 if time.perf_counter() - asked < 0.2 else 0
        time.sleep(0.2)
    return time.perf_counter() - started


class MemorySampler:
    """The workers' resident sets, polled every 0.2 s during a run."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak: dict[int, int] = dict.fromkeys(pids, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.wait(0.2):
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], memory_kib(pid).get("VmRSS", 0))

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


@contextlib.contextmanager
def profiling(server: Server, seconds: int, folder: Path) -> Iterator[list[Path]]:
    """py-spy sampling each worker for `seconds` (raw collapsed stacks, one file each)."""
    outputs = [folder / f"worker-{pid}.txt" for pid in server.worker_pids()]
    spy = str(Path(sys.executable).with_name("py-spy"))
    processes = [
        subprocess.Popen(  # noqa: S603 - py-spy from our virtualenv, fixed arguments
            [
                spy,
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(seconds),
                "--rate",
                "100",
                "--format",
                "raw",
                "--output",
                str(output),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid, output in zip(server.worker_pids(), outputs, strict=True)
    ]
    try:
        yield outputs
    finally:
        for process in processes:
            process.wait(timeout=seconds + 60)


def hot_functions(files: list[Path], top: int = 25) -> list[tuple[float, str]]:
    """The register's own functions (and the libraries they call first) by share of samples
    in which they are on the stack."""
    inclusive: Counter[str] = Counter()
    total = 0
    for file in files:
        if not file.exists():
            continue
        for line in file.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            samples = int(count)
            total += samples
            frames = {frame.strip() for frame in stack.split(";")}
            for frame in frames:
                if any(part in frame for part in ("register/", "feeds/", "piccolo/", "jinja2/")):
                    inclusive[frame] += samples
    return [(samples / max(total, 1), frame) for frame, samples in inclusive.most_common(top)]


def _row(name: str, figures: LoadFigures, baseline: LoadFigures | None) -> list[str]:
    return [
        name,
        f"{figures.rate:.1f}",
        f"{figures.error_count}/{figures.requests}",
        f"{figures.error_rate:.2%}",
        f"{figures.p50 * 1000:.1f}",
        f"{figures.p95 * 1000:.1f}",
        f"{figures.p99 * 1000:.1f}",
        "—" if baseline is None else f"{figures.rate / baseline.rate:.2f}×",
    ]


def run(arguments: argparse.Namespace) -> dict[str, Any]:
    load = {
        "seconds": arguments.seconds,
        "connections": arguments.connections,
        "threads": 2,
        "timeout": int(arguments.timeout),
    }
    with running_server(arguments.data_dir, arguments.database_url, workers=arguments.workers) as (
        server
    ):
        kinds = mix(sample_register(server.url))
        everything = shuffled([path for paths in kinds.values() for path in paths])
        checked = (
            {} if arguments.no_first else check_paths(server.url, everything, arguments.timeout)
        )
        failing = {path: item for path, item in checked.items() if item["status"] != 200}
        if arguments.warmup:
            run_wrk(
                server.url,
                everything,
                seconds=arguments.warmup,
                connections=arguments.connections,
                threads=2,
                headers=HEADERS,
                timeout=int(arguments.timeout),
            )
        settled = [settle(server.url)]
        workers = server.worker_pids()
        before = server.memory()
        with tempfile.TemporaryDirectory(prefix="load-profile-") as folder:
            profile: contextlib.AbstractContextManager[list[Path]] = (
                profiling(server, arguments.seconds, Path(folder))
                if arguments.profile
                else contextlib.nullcontext([])
            )
            with MemorySampler(server.worker_pids()) as sampler, profile as outputs:
                measured = run_wrk(server.url, everything, headers=HEADERS, **load)
            hot = hot_functions(outputs) if arguments.profile else []
        after = server.memory()
        by_kind: dict[str, LoadFigures] = {}
        for kind in (PAGES, API, FEEDS):
            settled.append(settle(server.url))
            by_kind[kind] = run_wrk(
                server.url,
                shuffled(kinds[kind]),
                headers=HEADERS,
                **(load | {"seconds": max(arguments.seconds // 2, 5)}),
            )
        baselines: dict[str, LoadFigures] = {}
        for name, path in BASELINES.items():
            settled.append(settle(server.url))
            baselines[name] = run_wrk(server.url, [path], headers=HEADERS, **load)
        return {
            "workers": workers,
            "restarted_workers": sorted(set(workers) - set(server.worker_pids())),
            "mix": {kind: len(paths) for kind, paths in kinds.items()},
            "first_requests": checked,
            "failing_paths": failing,
            "measured": measured,
            "by_kind": by_kind,
            "baselines": baselines,
            "memory_before_kib": before,
            "memory_after_kib": after,
            "sampled_rss_peak_kib": sampler.peak,
            "hot_functions": hot,
            "settle_seconds": [round(value, 1) for value in settled],
        }


def report(figures: dict[str, Any]) -> str:
    health: LoadFigures = figures["baselines"]["/health"]
    rows = [_row("mix (pages, API, feeds)", figures["measured"], health)]
    rows += [_row(f"  {kind} alone", item, health) for kind, item in figures["by_kind"].items()]
    rows += [_row(f"baseline: {name}", item, health) for name, item in figures["baselines"].items()]
    lines = [
        table(
            ["measure", "req/s", "errors", "error rate", "p50 ms", "p95 ms", "p99 ms", "÷ /health"],
            rows,
        )
    ]
    measured: LoadFigures = figures["measured"]
    lines.append(
        f"Errors in the mix: {measured.error_count} ({measured.errors}) — goal 0: "
        + ("met" if measured.error_count == 0 and not figures["failing_paths"] else "NOT MET")
    )
    if figures["failing_paths"]:
        lines.append(f"Paths not answering 200 before the load: {figures['failing_paths']}")
    slowest = sorted(figures["first_requests"].items(), key=lambda item: -item[1]["seconds"])[:8]
    if slowest:
        lines.append(
            "Slowest first requests (cold, one at a time): "
            + ", ".join(f"{path} {item['seconds']:.2f} s" for path, item in slowest)
        )
    workers = figures["workers"]
    after, before = figures["memory_after_kib"], figures["memory_before_kib"]
    peaks = [after.get(pid, {}).get("VmHWM", 0) for pid in workers]
    lines.append(
        "Workers' peak resident memory (VmHWM): "
        + ", ".join(f"{peak / KIB:.0f} MiB" for peak in peaks)
        + f" (sum {sum(peaks) / KIB:.0f} MiB; resident before the measured load "
        + ", ".join(f"{before.get(pid, {}).get('VmRSS', 0) / KIB:.0f}" for pid in workers)
        + " MiB, highest sampled during it "
        + ", ".join(f"{figures['sampled_rss_peak_kib'].get(pid, 0) / KIB:.0f}" for pid in workers)
        + " MiB)"
    )
    if figures["restarted_workers"]:
        lines.append(
            f"Workers gone during the run (uvicorn restarts a worker that stops answering its "
            f"pings): {figures['restarted_workers']}; their peak is not in the figures above"
        )
    lines.append(
        "Seconds waited before each phase for the server to finish the previous one's queue: "
        + ", ".join(f"{value:g}" for value in figures["settle_seconds"])
    )
    if figures["hot_functions"]:
        lines.append("Where the workers spent their time (share of samples, inclusive):")
        lines += [f"  {share:6.1%}  {frame}" for share, frame in figures["hot_functions"]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data-dir", type=Path, help="the SQLite register's data directory")
    source.add_argument("--database-url", help="postgresql://… of the register")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--seconds", type=int, default=30, help="the measured mix's duration")
    parser.add_argument("--connections", type=int, default=16, help="wrk's connections")
    parser.add_argument("--warmup", type=int, default=10, help="seconds of unmeasured mix")
    parser.add_argument(
        "--timeout",
        type=float,
        default=60,
        help="seconds a request may take before it counts as an error",
    )
    parser.add_argument(
        "--no-first",
        action="store_true",
        help="skip asking each path once first (long on a register whose pages time out)",
    )
    parser.add_argument("--profile", action="store_true", help="sample the workers (py-spy)")
    arguments = parser.parse_args()

    # Stopped by a signal, still stop the server (the context managers' exits run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    meta = environment()
    figures = run(arguments)
    print(report(figures))
    serialisable = {
        key: (
            value.to_json()
            if isinstance(value, LoadFigures)
            else {name: item.to_json() for name, item in value.items()}
            if key in {"by_kind", "baselines"}
            else value
        )
        for key, value in figures.items()
    }
    path = write_results(
        "load",
        {
            **meta,
            "arguments": vars(arguments) | {"data_dir": str(arguments.data_dir)},
            **serialisable,
        },
    )
    print(f"JSON: {path}")


if __name__ == "__main__":
    main()
