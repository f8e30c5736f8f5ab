"""Timing figures: samples, their median and 95th percentile, and ratios between two paths."""

import gc
import math
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (NumPy's default method)."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * fraction
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Samples:
    """Repeated measurements of one operation: seconds, and HTTP requests of each run."""

    seconds: list[float] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """CPU seconds of this process (all its threads) and of the worker processes it waited
    for, when measured: the client's own work, less disturbed than wall-clock by other load on
    the machine."""

    def add(self, seconds: float, requests: int | None = None, cpu: float | None = None) -> None:
        self.seconds.append(seconds)
        if requests is not None:
            self.requests.append(requests)
        if cpu is not None:
            self.cpu.append(cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 0.95)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def request_counts(self) -> list[int]:
        return sorted(set(self.requests))

    def to_json(self) -> dict[str, Any]:
        return {
            "median_s": round(self.median, 4),
            "p95_s": round(self.p95, 4),
            "runs": len(self.seconds),
            "samples_s": [round(value, 4) for value in self.seconds],
            "requests": self.request_counts,
            "client_cpu_median_s": None if not self.cpu else round(statistics.median(self.cpu), 4),
        }


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and by its children that have ended (the
    connector's parsing workers, joined before a sync returns)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(operation: Callable[..., T], *arguments: Any) -> tuple[float, float, T]:
    """Wall-clock and CPU seconds taken by `operation(*arguments)` (after a garbage collection,
    so that the previous run's leftovers are not collected on this one's time), and its
    result."""
    gc.collect()
    started, cpu = time.perf_counter(), cpu_seconds()
    result = operation(*arguments)
    return time.perf_counter() - started, cpu_seconds() - cpu, result


@dataclass
class Comparison:
    """Our path against a baseline, with the goal on the ratio of their medians."""

    name: str
    ours: Samples
    baseline: Samples
    baseline_name: str
    goal: float | None
    """Ours/baseline must be at most this; None when there is no goal."""
    strict: bool = False
    """The goal is "faster than" (ratio < goal) rather than "at most" (ratio ≤ goal)."""
    extra_condition: bool = True
    """Another condition of the goal (e.g. exactly one request); False fails it."""
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.ours.median / self.baseline.median

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        within = self.ratio < self.goal if self.strict else self.ratio <= self.goal
        return within and self.extra_condition

    def to_json(self) -> dict[str, Any]:
        return {
            "ours": self.ours.to_json(),
            "baseline": self.baseline_name,
            "baseline_figures": self.baseline.to_json(),
            "ratio": round(self.ratio, 3),
            "goal": None if self.goal is None else ("<" if self.strict else "<=") + f"{self.goal}",
            "met": self.met,
            "notes": self.notes,
        }
