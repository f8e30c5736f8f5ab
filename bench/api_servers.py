"""The two HTTP servers of the API benchmark, each in a process of its own on 127.0.0.1: the
register (`register serve`, one worker, as deployed) and Datasette on the same SQLite file."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass(frozen=True)
class Server:
    name: str
    base_url: str
    process: subprocess.Popen[bytes]


# The register as the benchmarks run it: no background sync or download refresh, and no API
# rate limit (every request of a benchmark comes from one address), so only requests are measured.
QUIET_REGISTER = {
    "REGISTER_API_RATE_LIMIT": "0",
    "REGISTER_SYNC_INTERVAL": "0",
    "REGISTER_DUMPS_INTERVAL": "0",
    "REGISTER_LOG_LEVEL": "WARNING",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(server: Server, path: str, log: Path, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} stopped (exit {server.process.returncode}):\n"
                + log.read_text(errors="replace")[-3000:]
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(server.base_url + path, timeout=5).status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"{server.name} did not answer {path} within {timeout:.0f} s")


@contextlib.contextmanager
def _running(
    name: str,
    command: list[str],
    env: dict[str, str],
    *,
    ready: str,
    port: int,
    log: Path,
    cwd: Path | None = None,
) -> Iterator[Server]:
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=cwd
        )
    server = Server(name, f"http://127.0.0.1:{port}", process)
    try:
        _wait(server, ready, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def register_server(
    log_dir: Path,
    *,
    data_dir: Path | None = None,
    database_url: str | None = None,
    source: Path | None = None,
) -> Iterator[Server]:
    """`register serve`, with no rate limit and no background work (sync, dumps), so that the
    server does nothing but answer; `source`: another checkout of the register to run (an
    earlier commit, to measure a change)."""
    port = free_port()
    env = {**os.environ, **QUIET_REGISTER}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "register", "serve", "--port", str(port)]
    if database_url:
        command += ["--database-url", database_url]
    elif data_dir:
        command += ["--data-dir", str(data_dir)]
    if source is not None:
        env["PYTHONPATH"] = str(source)
    with _running(
        "register",
        command,
        env,
        ready="/health",
        port=port,
        log=log_dir / "register.log",
        cwd=source,
    ) as server:
        yield server


@contextlib.contextmanager
def datasette_server(database: Path, log_dir: Path) -> Iterator[Server]:
    """Datasette serving the same file, read as it changes (not `--immutable`), with a time
    limit high enough for its counts to finish (its default, 1 s, leaves the total out), no
    facet suggestions (our API makes none) and CSV of any size."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        str(database),
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "120000",
        "--setting",
        "suggest_facets",
        "off",
        "--setting",
        "max_csv_mb",
        "0",
        "--setting",
        "max_returned_rows",
        "1000",
    ]
    log = log_dir / "datasette.log"
    with _running(
        "datasette", command, dict(os.environ), ready="/-/versions.json", port=port, log=log
    ) as server:
        yield server
