"""`wrk` (Debian's package) driving a bounded load at a server on 127.0.0.1.

A Lua script cycles through a given list of paths (each of wrk's threads from its own offset)
and prints wrk's summary as one JSON line: requests, bytes, errors by kind (connection, read,
write, timeout, and answers that are not 2xx or 3xx), latency percentiles. wrk counts latency
from each request sent to its answer read in full, over keep-alive connections.
"""

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_MARK = "WRK-JSON "

_SCRIPT = """
local paths = {%(paths)s}
local headers = {%(headers)s}
local threads = 0
function setup(thread)
  thread:set("offset", threads * %(stride)d)
  threads = threads + 1
end
function init(args)
  position = offset or 0
end
function request()
  position = position %% #paths + 1
  return wrk.format("GET", paths[position], headers)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%(mark)s{"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, "read": %%d, '
    .. '"write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, "p95_us": %%d, '
    .. '"p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class LoadFigures:
    """One wrk run's summary."""

    requests: int
    seconds: float
    bytes: int
    errors: dict[str, int]
    p50: float
    p95: float
    p99: float
    max: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def error_rate(self) -> float:
        return self.error_count / max(self.requests, 1)

    def to_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "requests_per_s": round(self.rate, 1),
            "mib_per_s": round(self.bytes / self.seconds / 2**20, 2),
            "errors": self.errors,
            "error_rate": round(self.error_rate, 5),
            "p50_ms": round(self.p50 * 1000, 2),
            "p95_ms": round(self.p95 * 1000, 2),
            "p99_ms": round(self.p99 * 1000, 2),
            "max_ms": round(self.max * 1000, 2),
        }


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    return found


def run_wrk(
    url: str,
    paths: Sequence[str],
    *,
    seconds: int,
    connections: int,
    threads: int = 1,
    headers: Mapping[str, str] | None = None,
    timeout: int = 30,
) -> LoadFigures:
    """`connections` keep-alive connections requesting `paths` in turn for `seconds`."""
    script = _SCRIPT % {
        "paths": ", ".join(_lua_string(path) for path in paths),
        "headers": ", ".join(
            f"[{_lua_string(name)}] = {_lua_string(value)}"
            for name, value in (headers or {}).items()
        ),
        "stride": max(len(paths) // max(threads, 1), 1),
        "mark": _MARK,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    try:
        finished = subprocess.run(  # noqa: S603 - wrk with our own arguments
            [
                wrk_path(),
                f"--threads={threads}",
                f"--connections={connections}",
                f"--duration={seconds}s",
                f"--timeout={timeout}s",
                f"--script={file.name}",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + timeout + 60,
        )
    finally:
        Path(file.name).unlink()
    line = next(row for row in finished.stdout.splitlines() if row.startswith(_MARK))
    figures = json.loads(line.removeprefix(_MARK))
    return LoadFigures(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        bytes=figures["bytes"],
        errors={kind: figures[kind] for kind in ("connect", "read", "write", "timeout", "status")},
        p50=figures["p50_us"] / 1e6,
        p95=figures["p95_us"] / 1e6,
        p99=figures["p99_us"] / 1e6,
        max=figures["max_us"] / 1e6,
    )
