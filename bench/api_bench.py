"""API benchmark: `/api/v1` against the bare SQL returning the same rows, and against Datasette
serving the same SQLite file.

    .venv/bin/python -m bench.api_bench --data-dir /work/bench-data/sqlite-1m [--runs 30]
        [--heavy-runs 5] [--only SUBSTRING] [--no-datasette] [--json FILE]

The register (`register serve`, one worker, no rate limit, no background work) and Datasette
(`datasette serve` on the same file) are started here on 127.0.0.1, each in its own process.
For each case (`bench.api_cases`): a page of 100 meetings unfiltered and with each filter of the
API, full-text search, one meeting, statistics and the CSV export of ~100,000 meetings, N
sequential requests over one keep-alive HTTP connection to each server, and N runs of the bare
SQL (the same statements a minimal handler would run: the page and its total, through aiosqlite
on one open connection). The three paths alternate their order from one run to the next. Goals:
ours / bare ≤ 2× for pages of 100; ours at least as fast as Datasette at p50 and p95.

Answers are not compressed (`Accept-Encoding: identity`: Datasette does not compress). Before
timing, each case is checked: our total equals the bare count, our page the bare rows.
"""

import argparse
import contextlib
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx

from bench.api_bare import BareSQLite
from bench.api_cases import Case, list_cases, other_cases, pick_samples
from bench.api_servers import Server, datasette_server, register_server
from bench.measure import Comparison, Samples

HEADERS = {"Accept-Encoding": "identity"}


@dataclass
class CaseResult:
    case: Case
    ours: Samples = field(default_factory=Samples)
    bare: Samples = field(default_factory=Samples)
    datasette: Samples = field(default_factory=Samples)
    checks: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    first: float = 0.0
    """Our first answer to this request (before any cache of the server holds it)."""

    @property
    def against_bare(self) -> Comparison:
        return Comparison(
            self.case.name, self.ours, self.bare, "bare SQL", self.case.goal_bare, notes=[]
        )

    @property
    def against_datasette(self) -> Comparison | None:
        if not self.datasette.seconds:
            return None
        return Comparison(
            self.case.name,
            self.ours,
            self.datasette,
            "Datasette",
            1.0 if self.case.goal_datasette else None,
            extra_condition=self.ours.p95 <= self.datasette.p95,
        )

    def to_json(self) -> dict[str, Any]:
        versus = self.against_datasette
        return {
            "ours_url": self.case.ours,
            "datasette_url": self.case.datasette,
            "bare_sql": [sql for sql, _ in self.case.bare.statements],
            "vs_bare": self.against_bare.to_json(),
            "vs_datasette": None if versus is None else versus.to_json(),
            "bytes": self.sizes,
            "ours_first_s": round(self.first, 4),
            "failed_checks": self.checks,
            "notes": self.case.notes,
        }


def _get(client: httpx.Client, path: str) -> httpx.Response:
    response = client.get(path, headers=HEADERS, timeout=600)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.text[:500]}")
    return response


def _timed_get(client: httpx.Client, path: str) -> tuple[float, httpx.Response]:
    """Seconds from sending the request to the answer's last byte."""
    started = time.perf_counter()
    response = _get(client, path)
    return time.perf_counter() - started, response


def _check(result: CaseResult, ours: httpx.Response, rows: list[list[Any]]) -> None:
    """Our answer holds the rows the bare SQL returns (lists: the same ids in the same order,
    and the total)."""
    if ours.headers["content-type"].startswith("application/json") and "items" in ours.json():
        document = ours.json()
        ids = [item["record"]["id"] for item in document["items"]]
        expected = [str(row[0]) for row in rows[0][: len(ids)]]
        if ids != expected:
            result.checks.append(f"page differs from the bare SQL's rows ({ids[:2]}…)")
        if document["total"] != rows[1][0][0]:
            result.checks.append(f"total {document['total']} != bare count {rows[1][0][0]}")
    elif ours.headers["content-type"].startswith("text/csv"):
        lines = ours.content.count(b"\n") - 1
        if lines < len(rows[0]):
            result.checks.append(f"CSV has {lines} lines for {len(rows[0])} rows")


def _check_peer(result: CaseResult, ours: httpx.Response, peer: httpx.Response) -> None:
    """Datasette's answer holds as many rows in all as ours (a list's total)."""
    if not peer.headers["content-type"].startswith("application/json"):
        return
    counted, total = peer.json().get("filtered_table_rows_count"), ours.json().get("total")
    if counted is not None and total is not None and counted != total:
        result.checks.append(f"Datasette counts {counted} rows, we count {total}")


def measure(
    case: Case,
    ours: httpx.Client,
    datasette: httpx.Client | None,
    bare: BareSQLite,
    runs: int,
) -> CaseResult:
    result = CaseResult(case)
    result.first, answer = _timed_get(ours, case.ours)
    _, rows = bare.run(case.bare)
    _check(result, answer, rows)
    result.sizes["ours"] = len(answer.content)
    if datasette is not None and case.datasette:
        peer = _get(datasette, case.datasette)
        result.sizes["datasette"] = len(peer.content)
        _check_peer(result, answer, peer)
    paths: list[Callable[[], None]] = [
        lambda: result.ours.add(_timed_get(ours, case.ours)[0]),
        lambda: result.bare.add(bare.run(case.bare)[0]),
    ]
    if datasette is not None and case.datasette:
        path = case.datasette
        paths.append(lambda: result.datasette.add(_timed_get(datasette, path)[0]))
    for run in range(runs):
        for index in range(len(paths)):
            paths[(run + index) % len(paths)]()
    return result


def _cell(value: float) -> str:
    return f"{value * 1000:.1f}" if value < 10 else f"{value * 1000:.0f}"


def table(results: Sequence[CaseResult]) -> str:
    header = (
        "case",
        "first",
        "ours p50",
        "p95",
        "bare p50",
        "p95",
        "ours/bare",
        "goal",
        "Datasette p50",
        "p95",
        "ours/DS p50",
        "p95",
        "≤ DS",
    )
    rows: list[tuple[str, ...]] = [header]
    for result in results:
        versus_bare = result.against_bare
        versus = result.against_datasette
        goal = "—"
        if versus_bare.met is not None:
            goal = f"≤{versus_bare.goal:g}× " + ("yes" if versus_bare.met else "NO")
        rows.append(
            (
                result.case.name,
                _cell(result.first),
                _cell(result.ours.median),
                _cell(result.ours.p95),
                _cell(result.bare.median),
                _cell(result.bare.p95),
                f"{versus_bare.ratio:.2f}×",
                goal,
                "—" if versus is None else _cell(versus.baseline.median),
                "—" if versus is None else _cell(versus.baseline.p95),
                "—" if versus is None else f"{versus.ratio:.2f}×",
                "—" if versus is None else f"{result.ours.p95 / result.datasette.p95:.2f}×",
                "—" if versus is None else ("yes" if versus.met else "NO"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    lines.append(
        "Milliseconds; first: our first answer to the request (uncached); ratios of medians "
        "(and of p95 against Datasette)."
    )
    for result in results:
        lines.extend(f"  CHECK FAILED ({result.case.name}): {check}" for check in result.checks)
        lines.extend(f"  note ({result.case.name}): {note}" for note in result.case.notes)
    return "\n".join(lines)


def run(arguments: argparse.Namespace) -> list[CaseResult]:
    database = arguments.data_dir / "register.sqlite3"
    logs = Path(tempfile.mkdtemp(prefix="api-bench-"))
    results = []
    # Our server first: it brings the schema up to date (indexes) before anything is read.
    with register_server(
        logs, data_dir=arguments.data_dir, source=arguments.register_source
    ) as ours_server:
        samples = pick_samples(database)
        print(f"samples: {samples}", file=sys.stderr)
        cases = [*list_cases(samples), *other_cases(samples)]
        if arguments.only:
            cases = [case for case in cases if any(part in case.name for part in arguments.only)]
        with (
            _maybe_datasette(arguments, database, logs) as datasette_server_,
            BareSQLite(database) as bare,
            httpx.Client(base_url=ours_server.base_url) as ours,
            httpx.Client(
                base_url=datasette_server_.base_url if datasette_server_ else "http://unused"
            ) as datasette,
        ):
            for case in cases:
                runs = arguments.heavy_runs if case.heavy else arguments.runs
                print(f"{case.name}: {runs} runs…", file=sys.stderr)
                results.append(
                    measure(case, ours, datasette if datasette_server_ else None, bare, runs)
                )
                print(table(results[-1:]).splitlines()[2], file=sys.stderr)
    return results


def _maybe_datasette(
    arguments: argparse.Namespace, database: Path, logs: Path
) -> contextlib.AbstractContextManager[Server | None]:
    if arguments.no_datasette:
        return contextlib.nullcontext(None)
    return datasette_server(database, logs)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the register's data dir")
    parser.add_argument("--runs", type=int, default=30, help="requests per case and path (30)")
    parser.add_argument("--heavy-runs", type=int, default=5, help="for the CSV export (5)")
    parser.add_argument("--only", action="append", help="cases whose name contains this")
    parser.add_argument("--no-datasette", action="store_true", help="skip Datasette")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument(
        "--register-source",
        type=Path,
        help="serve the register from this checkout (e.g. a `git worktree` of an earlier "
        "commit, to measure a change)",
    )
    arguments = parser.parse_args(argv)
    started = datetime.now(UTC)
    results = run(arguments)
    print(table(results))
    if arguments.json:
        document = {
            "started": started.isoformat(),
            "data_dir": str(arguments.data_dir),
            "python": platform.python_version(),
            "datasette": metadata.version("datasette"),
            "litestar": metadata.version("litestar"),
            "cases": {result.case.name: result.to_json() for result in results},
        }
        arguments.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
