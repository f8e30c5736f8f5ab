"""A register server for the benchmarks: started on 127.0.0.1 with N worker processes on an
existing database, its processes' memory read from /proc, stopped at the end.

The server is the one `register serve` runs (uvicorn, the same factory, no access log) with
`bench.load_app`'s extra static route; background syncs and download refreshes are off, so that
only the requests are measured, and so is the API's per-address rate limit, since every request
of a load test comes from one address.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.api_servers import QUIET_REGISTER, free_port

KIB = 1024


def children(pid: int) -> list[int]:
    """The process's descendants (uvicorn's workers and multiprocessing's helpers)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                found.append(int(child))
                found.extend(children(int(child)))
    return found


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (the peak since the process started), in KiB."""
    figures: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                figures[key] = int(value.split()[0])
    return figures


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


@dataclass
class Server:
    process: "subprocess.Popen[bytes]"
    url: str
    workers: int

    def pids(self) -> list[int]:
        return [self.process.pid, *children(self.process.pid)]

    def worker_pids(self) -> list[int]:
        """The processes serving requests: uvicorn's workers, or the server itself alone."""
        if self.workers == 1:
            return [self.process.pid]
        return [pid for pid in children(self.process.pid) if b"spawn_main" in _cmdline(pid)]

    def memory(self) -> dict[int, dict[str, int]]:
        """Each process's VmRSS and VmHWM (KiB), the supervisor first."""
        return {pid: memory_kib(pid) for pid in self.pids()}


def _wait_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server stopped at start-up (exit {server.process.returncode})")
        with contextlib.suppress(httpx.HTTPError):
            # uvicorn's workers start one by one: /health answers when the first is up.
            health = httpx.get(f"{server.url}/health", timeout=5)
            pending = health.json().get("database", {}).get("pending_migrations")
            if pending:
                raise RuntimeError(
                    f"the database's schema is not up to date ({', '.join(pending)}): run "
                    "`register migrate` on it first (the benchmark only reads it)"
                )
            if health.status_code == 200 and len(server.worker_pids()) == server.workers:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /health within {timeout:.0f} s")


@contextlib.contextmanager
def running_server(
    data_dir: Path | None,
    database_url: str | None,
    *,
    workers: int,
    static_dir: Path | None = None,
    timeout: float = 120,
) -> Iterator[Server]:
    """A server on a free port of 127.0.0.1, stopped (SIGTERM, then SIGKILL) on exit."""
    port = free_port()
    environment = {**os.environ, **QUIET_REGISTER}
    for name, value in (
        ("REGISTER_DATA_DIR", data_dir),
        ("DATABASE_URL", database_url),
        ("BENCH_STATIC_DIR", static_dir),
    ):
        if value is not None:
            environment[name] = str(value)
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.load_app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=environment, start_new_session=True)  # noqa: S603
    server = Server(process, f"http://127.0.0.1:{port}", workers)
    try:
        _wait_ready(server, timeout)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
