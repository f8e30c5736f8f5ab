"""Generate a realistic register at scale, on SQLite or PostgreSQL, in minutes.

    python -m bench.generate --meetings 1000000 --data-dir /tmp/register-1m
    python -m bench.generate --meetings 1000000 --database-url postgresql://…/register_bench

About 2,000 officials of 18 authorities (a city and its metropolis, departments, a region,
towns joining the register over the years, one overseas), 20,000 organisations (some in the
HATVP répertoire), and ten years of meetings on working days and hours, quieter in August and
at Christmas, with heavy-tailed organisation frequencies. Most meetings are published, some
corrected, a few withdrawn, some exempted, the recent ones still drafts; a few diary entries
are institutional, internal or private and never published.

Everything is written as the application writes it, in bulk: the working tables, the
hash-chained publication log (`register verify` passes) and the public projection that
pages, the API, dumps and feeds read. The database must be new or empty; it is migrated first.
The same seed gives the same register.
"""

import argparse
import asyncio
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.synthetic.load import Loader, Tally
from bench.synthetic.produce import Recipe
from bench.synthetic.writers import PostgresWriter, SQLiteWriter, Writer
from register.settings import Settings
from register.store.engine import make_engine
from register.store.migrate import migrate
from register.store.sqlite_readers import release
from register.store.tables import (
    Authority,
    InterestRepresentative,
    Meeting,
    Official,
    PublicationEntry,
)

DEFAULT_NOW = datetime(2026, 11, 27, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
"""The register's "now": fixed, so that the same seed gives the same register any day."""


class NotEmptyError(RuntimeError):
    """The target database already holds a register."""


@dataclass(frozen=True)
class Options:
    meetings: int = 1_000_000
    seed: int = 2026
    officials: int = 2000
    organisations: int = 20_000
    years: float = 10.0
    now: datetime = DEFAULT_NOW
    chunk: int = 5000
    workers: int = os.cpu_count() or 1

    @property
    def recipe(self) -> Recipe:
        return Recipe(self.seed, self.now, self.years, self.officials, self.organisations)


@dataclass(frozen=True)
class Summary:
    engine: str
    tally: Tally
    seconds: float
    size_bytes: int

    @property
    def meetings_per_second(self) -> float:
        return self.tally.rows["meeting"] / self.tally.seconds["meetings"]

    def to_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "rows": dict(self.tally.rows),
            "states": dict(self.tally.states),
            "seconds": {k: round(v, 2) for k, v in self.tally.seconds.items()},
            "total_seconds": round(self.seconds, 2),
            "meetings_per_second": round(self.meetings_per_second),
            "size_bytes": self.size_bytes,
            "log_head": self.tally.last_hash,
        }


async def _check_empty() -> None:
    for table in (Authority, Official, InterestRepresentative, Meeting, PublicationEntry):
        if await table.count():
            raise NotEmptyError(
                f"the database already holds a register ({table._meta.tablename} is not empty): "
                "generate into a new data directory or an empty database"
            )


async def _writer(settings: Settings) -> Writer:
    if settings.database_url:
        return await PostgresWriter.open(settings.database_url)
    release(settings.sqlite_path)  # the loader changes the journal mode: no other connection
    return SQLiteWriter(settings.sqlite_path)


async def generate(settings: Settings, options: Options, progress: Any = print) -> Summary:
    """Migrate the database of `settings`, check that it is empty, and fill it."""
    started = time.perf_counter()
    await migrate(make_engine(settings))
    await _check_empty()
    moment = time.perf_counter()
    recipe = options.recipe
    world = recipe.world()
    drawn = time.perf_counter() - moment
    writer = await _writer(settings)
    try:
        loader = Loader(
            world,
            recipe,
            writer,
            total=options.meetings,
            workers=options.workers,
            chunk=options.chunk,
            progress=progress,
        )
        await loader.write_world()
        tally = await loader.run(random.Random(f"{options.seed}:days"))
        tally.seconds["world"] = drawn
        moment = time.perf_counter()
        await writer.commit()
        tally.seconds["commit"] = time.perf_counter() - moment
        moment = time.perf_counter()
        await writer.optimise()
        tally.seconds["optimise"] = time.perf_counter() - moment
        size = await writer.size()
    finally:
        await writer.close()
    return Summary(writer.engine, tally, time.perf_counter() - started, size)


def _report(summary: Summary) -> str:
    tally = summary.tally
    rows = ", ".join(f"{name} {count:,}" for name, count in tally.rows.items())
    states = ", ".join(f"{state} {count:,}" for state, count in tally.states.most_common())
    phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in tally.seconds.items())
    return "\n".join(
        (
            f"{summary.engine}: {tally.rows['meeting']:,} meetings in "
            f"{tally.seconds['meetings']:.1f} s ({summary.meetings_per_second:,.0f} meetings/s); "
            f"total {summary.seconds:.1f} s",
            f"  phases: {phases}",
            f"  rows: {rows}",
            f"  meetings by state: {states}",
            f"  size: {summary.size_bytes / 2**20:,.0f} MiB; log head {tally.last_hash}",
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n\n")[0]
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--data-dir", type=Path, help="SQLite: the register's data directory")
    target.add_argument("--database-url", help="PostgreSQL: postgresql://… of an empty database")
    defaults = Options()
    parser.add_argument("--meetings", type=int, default=defaults.meetings)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--officials", type=int, default=defaults.officials)
    parser.add_argument("--organisations", type=int, default=defaults.organisations)
    parser.add_argument("--years", type=float, default=defaults.years)
    parser.add_argument(
        "--now",
        type=datetime.fromisoformat,
        default=defaults.now,
        help=f"the register's present, with its offset (default {defaults.now.isoformat()})",
    )
    parser.add_argument("--chunk", type=int, default=defaults.chunk, help="meetings per write")
    parser.add_argument(
        "--workers",
        type=int,
        default=defaults.workers,
        help="processes drawing meetings (0: draw them in this process); the register does "
        f"not depend on it (default: the number of CPUs, {defaults.workers})",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.now.tzinfo is None:
        parser.error("--now needs a UTC offset, e.g. 2026-11-27T18:00:00+01:00")
    if args.meetings < 1:
        parser.error("--meetings must be at least 1")
    settings = Settings(data_dir=args.data_dir or Path("data"), database_url=args.database_url)
    options = Options(
        meetings=args.meetings,
        seed=args.seed,
        officials=args.officials,
        organisations=args.organisations,
        years=args.years,
        now=args.now,
        chunk=args.chunk,
        workers=args.workers,
    )
    print(
        f"Generating {options.meetings:,} meetings (seed {options.seed}) into "
        f"{args.database_url or settings.sqlite_path}…"
    )
    try:
        summary = asyncio.run(generate(settings, options))
    except NotEmptyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(_report(summary))
    if args.json:
        args.json.write_text(json.dumps(summary.to_json(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
