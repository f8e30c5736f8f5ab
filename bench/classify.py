"""Classifier benchmark: quality on the labelled corpus, speed and memory against a directory of
5,000 organisations, each speed figure beside a baseline measured in the same run (the naive
classifier that tries every organisation's names on every event).

    .venv/bin/python -m bench.classify [--organisations 5000] [--seconds 5]
"""

import argparse
import random
import re
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from uuid import UUID, uuid4

from bench.corpus import Corpus, load_corpus
from register.domain.calendar_data import CalendarData
from register.domain.classifier.classify import classify
from register.domain.classifier.directory import DirectoryEntry
from register.domain.kinds import ClassificationKind
from register.domain.normalise import normalise

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "classification"
KINDS = list(ClassificationKind)
GOALS = {"precision": 0.95, "recall": 0.90, "events_per_second": 5000, "memory_mb": 200}

_SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "fa",
    "fe",
    "fi",
    "ga",
    "go",
    "la",
    "le",
    "li",
    "lo",
    "ma",
    "me",
    "mi",
    "mo",
    "na",
    "ne",
    "ni",
    "no",
]
_WORDS = [
    "groupe",
    "société",
    "fédération",
    "association",
    "conseil",
    "services",
    "énergie",
    "immobilier",
    "mobilité",
]


def synthetic_directory(count: int, rng: random.Random) -> tuple[DirectoryEntry, ...]:
    """`count` made-up organisations with names, aliases, acronyms and domains."""
    entries = []
    for number in range(count):
        brand = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) + f"{number}"
        entries.append(
            DirectoryEntry(
                id=uuid4(),
                name=f"{rng.choice(_WORDS).capitalize()} {brand.capitalize()}",
                aliases=(brand.capitalize(),),
                acronym=brand[:4].upper() + str(number),
                email_domains=(f"{brand}.fr",),
            )
        )
    return tuple(entries)


def quality(corpus: Corpus) -> dict[str, object]:
    index = corpus.index()
    confusion: Counter[tuple[str, str]] = Counter()
    org_hits = org_found = org_expected = 0
    misses: list[str] = []
    for entry in corpus.entries:
        verdict = classify(entry.data, index, corpus.config)
        confusion[(entry.kind.value, verdict.kind.value)] += 1
        if entry.kind is ClassificationKind.INTEREST_REPRESENTATIVE or verdict.representative_ids:
            found = set(verdict.representative_ids)
            org_hits += len(found & entry.organisations)
            org_found += len(found)
            org_expected += len(entry.organisations)
        if verdict.kind is not entry.kind:
            misses.append(
                f"{entry.id}: expected {entry.kind.value}, got {verdict.kind.value}"
                f" — {entry.data.summary!r}"
            )
    per_kind = {}
    for kind in KINDS:
        true_positive = confusion[(kind.value, kind.value)]
        predicted = sum(n for (_, got), n in confusion.items() if got == kind.value)
        actual = sum(n for (want, _), n in confusion.items() if want == kind.value)
        per_kind[kind.value] = {
            "precision": true_positive / predicted if predicted else None,
            "recall": true_positive / actual if actual else None,
            "support": actual,
        }
    return {
        "entries": len(corpus.entries),
        "per_kind": per_kind,
        "confusion": {f"{want}->{got}": n for (want, got), n in sorted(confusion.items())},
        "organisations": {
            "precision": org_hits / org_found if org_found else None,
            "recall": org_hits / org_expected if org_expected else None,
        },
        "misses": misses,
    }


def _naive(data: CalendarData, patterns: list[tuple[UUID, re.Pattern[str]]]) -> list[UUID]:
    """The baseline: every organisation's names tried on every event."""
    text = normalise(f"{data.summary} {data.location} {data.description}")
    return [owner for owner, pattern in patterns if pattern.search(text)]


def speed(corpus: Corpus, organisations: int, seconds: float) -> dict[str, float]:
    extra = synthetic_directory(organisations, random.Random(7))
    tracemalloc.start()
    started = time.perf_counter()
    index = corpus.index(extra)
    build_seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    events = [entry.data for entry in corpus.entries]
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for data in events:
            classify(data, index, corpus.config)
        done += len(events)
    ours = done / (time.perf_counter() - started)
    patterns = [
        (entry.id, re.compile(r"\b" + re.escape(normalise(name)) + r"\b"))
        for entry in [*corpus.directory, *extra]
        for name in (entry.name, *entry.aliases)
        if normalise(name)
    ]
    sample = events[:50]
    started = time.perf_counter()
    for data in sample:
        _naive(data, patterns)
    naive = len(sample) / (time.perf_counter() - started)
    return {
        "directory_size": len(corpus.directory) + len(extra),
        "index_build_seconds": round(build_seconds, 3),
        "index_memory_mb": round(peak / 1024 / 1024, 1),
        "events_per_second": round(ours),
        "naive_events_per_second": round(naive, 1),
        "speedup_over_naive": round(ours / naive, 1),
    }


def _format(value: object) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--show-misses", action="store_true")
    arguments = parser.parse_args()
    corpus = load_corpus(CORPUS)
    measured = quality(corpus)
    interest = measured["per_kind"]["interest_representative"]  # type: ignore[index]
    print(f"Corpus: {measured['entries']} labelled entries")
    print(f"{'kind':<26}{'precision':>10}{'recall':>10}{'support':>9}")
    for kind, figures in measured["per_kind"].items():  # type: ignore[attr-defined]
        print(
            f"{kind:<26}{_format(figures['precision']):>10}{_format(figures['recall']):>10}"
            f"{figures['support']:>9}"
        )
    organisations = measured["organisations"]
    print(
        f"organisations found        {_format(organisations['precision']):>10}"  # type: ignore[index]
        f"{_format(organisations['recall']):>10}"
    )  # type: ignore[index]
    print("Confusion (expected->got):", measured["confusion"])
    if arguments.show_misses:
        print("\n".join(measured["misses"]))  # type: ignore[arg-type]
    timing = speed(corpus, arguments.organisations, arguments.seconds)
    print(
        f"Directory of {timing['directory_size']} organisations: index built in "
        f"{timing['index_build_seconds']} s, {timing['index_memory_mb']} MB"
    )
    print(
        f"Throughput on one core: {timing['events_per_second']} events/s; naive baseline "
        f"{timing['naive_events_per_second']} events/s; ratio ×{timing['speedup_over_naive']}"
    )
    checks = {
        "interest precision ≥ 0.95": (interest["precision"] or 0) >= GOALS["precision"],
        "interest recall ≥ 0.90": (interest["recall"] or 0) >= GOALS["recall"],
        "≥ 5,000 events/s": timing["events_per_second"] >= GOALS["events_per_second"],
        "index < 200 MB": timing["index_memory_mb"] < GOALS["memory_mb"],
    }
    for goal, met in checks.items():
        print(f"{'met ' if met else 'MISSED'} {goal}")


if __name__ == "__main__":
    main()
