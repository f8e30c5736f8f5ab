"""The benchmark's plain-text table and JSON file."""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.measure import Comparison, Samples

MIB = 1024 * 1024


@dataclass
class MemoryFigures:
    """One unchanged sync's memory, for a calendar of `objects` objects (medians of runs)."""

    objects: int
    rss_growth: int
    tracemalloc_peak: int
    state_bytes: int
    requests: int
    runs: int

    def to_json(self) -> dict[str, Any]:
        return {
            "objects": self.objects,
            "rss_growth_bytes": self.rss_growth,
            "tracemalloc_peak_bytes": self.tracemalloc_peak,
            "state_json_bytes": self.state_bytes,
            "requests": self.requests,
            "runs": self.runs,
        }


@dataclass
class ServerReport:
    name: str
    objects: int
    occurrences: int
    seeding: str
    seed_seconds: float
    comparisons: list[Comparison] = field(default_factory=list)
    extra: dict[str, Samples] = field(default_factory=dict)
    """Figures without a baseline (vdirsyncer's start-up, its unchanged sync…)."""
    memory: list[MemoryFigures] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    """Correctness checks that failed (what each path saw); empty when all passed."""

    def to_json(self) -> dict[str, Any]:
        return {
            "objects": self.objects,
            "occurrences_in_window": self.occurrences,
            "seeding": self.seeding,
            "seed_seconds": round(self.seed_seconds, 2),
            "comparisons": {
                f"{item.name} vs {item.baseline_name}": item.to_json() for item in self.comparisons
            },
            "other_figures": {name: samples.to_json() for name, samples in self.extra.items()},
            "memory": [figures.to_json() for figures in self.memory],
            "memory_growth_ratio": memory_ratios(self.memory),
            "memory_flat": memory_flat(self.memory),
            "goals": goals(self),
            "failed_checks": self.checks,
        }


def memory_ratios(figures: Sequence[MemoryFigures]) -> dict[str, float] | None:
    """Largest calendar's figures over the smallest's."""
    if len(figures) < 2:
        return None
    small, large = figures[0], figures[-1]
    return {
        "rss_growth": round(large.rss_growth / max(small.rss_growth, 1), 2),
        "tracemalloc_peak": round(large.tracemalloc_peak / max(small.tracemalloc_peak, 1), 2),
        "objects": round(large.objects / small.objects, 2),
    }


def _verdict(met: bool | None) -> str:
    return {True: "yes", False: "NO", None: "—"}[met]


def _requests(samples: Samples) -> str:
    return "/".join(str(count) for count in samples.request_counts) or "—"


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(
        cell.ljust(width) if index < 2 else cell.rjust(width)
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
    ).rstrip()


def table(reports: Sequence[ServerReport]) -> str:
    """Every comparison, one line each, then the other figures and memory."""
    header = (
        "server",
        "measure (ours vs baseline)",
        "ours med",
        "p95",
        "base med",
        "p95",
        "ratio",
        "goal",
        "met",
        "req ours",
        "req base",
    )
    rows = [header]
    for report in reports:
        for item in report.comparisons:
            goal = "—" if item.goal is None else ("<" if item.strict else "≤") + f"{item.goal:g}×"
            rows.append(
                (
                    report.name,
                    f"{item.name} vs {item.baseline_name}",
                    f"{item.ours.median:.3f}",
                    f"{item.ours.p95:.3f}",
                    f"{item.baseline.median:.3f}",
                    f"{item.baseline.p95:.3f}",
                    f"{item.ratio:.2f}×",
                    goal,
                    _verdict(item.met),
                    _requests(item.ours),
                    _requests(item.baseline),
                )
            )
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = [_row(rows[0], widths), "-" * (sum(widths) + 2 * (len(widths) - 1))]
    lines += [_row(row, widths) for row in rows[1:]]
    lines.append("Times in seconds (median and p95 of the runs); ratio = ours/baseline medians.")
    for report in reports:
        lines.append("")
        lines.append(
            f"{report.name}: {report.objects} objects ({report.occurrences} occurrences in the "
            f"window), loaded by {report.seeding} in {report.seed_seconds:.1f} s"
        )
        for name, samples in report.extra.items():
            lines.append(
                f"  {name}: median {samples.median:.3f} s, p95 {samples.p95:.3f} s"
                + (f", requests {_requests(samples)}" if samples.requests else "")
            )
        for item in report.comparisons:
            lines.extend(f"  note ({item.name}): {note}" for note in item.notes)
            ours_cpu, base_cpu = item.ours.cpu_median, item.baseline.cpu_median
            if ours_cpu is not None and base_cpu is not None:
                lines.append(
                    f"  CPU of the client ({item.name} vs {item.baseline_name}): ours "
                    f"{ours_cpu:.3f} s, baseline {base_cpu:.3f} s (medians)"
                )
        if report.memory:
            lines.append("  memory of our unchanged sync (median of runs, one process each):")
            for figures in report.memory:
                lines.append(
                    f"    {figures.objects:>6} objects: peak RSS growth "
                    f"{figures.rss_growth / MIB:6.2f} MiB, tracemalloc peak "
                    f"{figures.tracemalloc_peak / MIB:6.2f} MiB, stored state "
                    f"{figures.state_bytes / MIB:5.2f} MiB, {figures.requests} request(s)"
                )
            ratios = memory_ratios(report.memory)
            if ratios is not None:
                flat = memory_flat(report.memory)
                lines.append(
                    f"    {ratios['objects']:g}× the objects: "
                    f"RSS growth ×{ratios['rss_growth']:g}, "
                    f"tracemalloc peak ×{ratios['tracemalloc_peak']:g} → "
                    + ("flat" if flat else "NOT flat (grows with the unchanged objects)")
                )
        lines.extend(f"  CHECK FAILED: {check}" for check in report.checks)
    lines.append("")
    lines.append("Goals:")
    listed = [(report.name, goal, met) for report in reports for goal, met in goals(report).items()]
    width = max((len(goal) for _, goal, _ in listed), default=0)
    for name, goal, met in listed:
        lines.append(f"  {name:<9} {goal:<{width}}  {'met' if met else 'NOT MET'}")
    return "\n".join(lines)


def memory_flat(figures: Sequence[MemoryFigures]) -> bool | None:
    """Flat: the largest calendar's figures within 1.25× of the smallest's."""
    ratios = memory_ratios(figures)
    if ratios is None:
        return None
    return ratios["tracemalloc_peak"] <= 1.25 and ratios["rss_growth"] <= 1.25


def goals(report: ServerReport) -> dict[str, bool]:
    """Each goal of the benchmark and whether this server's figures meet it."""
    found: dict[str, bool] = {}
    for item in report.comparisons:
        if item.met is not None and item.goal is not None:
            sign = "<" if item.strict else "≤"
            found[f"{item.name} vs {item.baseline_name} {sign} {item.goal:g}×"] = item.met
    flat = memory_flat(report.memory)
    if flat is not None:
        found["memory of an unchanged sync flat in the number of objects"] = flat
    if report.checks:
        found["every correctness check"] = False
    return found


def write_json(
    folder: Path, started: datetime, meta: dict[str, Any], reports: Sequence[ServerReport]
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n!.gitignore\n", encoding="utf-8")
    path = folder / f"sync-{started:%Y%m%dT%H%M%S}.json"
    document = {**meta, "servers": {report.name: report.to_json() for report in reports}}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
