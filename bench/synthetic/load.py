"""Writing the register: the directory first, then batches of days as the workers draw them,
the log chained in time order as it goes. Memory holds a few batches and the versions still
to be chained, whatever the register's size."""

import asyncio
import multiprocessing
import random
import time as clock
from collections import Counter, deque
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bench.synthetic.produce import Batch, Producer, Recipe, produce_in_worker, start_worker
from bench.synthetic.publishing import Chain
from bench.synthetic.rows import TableRows
from bench.synthetic.timeline import meetings_per_day, season
from bench.synthetic.world import World
from bench.synthetic.writers import Writer
from register.store.tables import (
    Authority,
    InterestRepresentative,
    Meeting,
    Official,
    OfficialPresence,
    PublicationEntry,
    PublicMeeting,
    PublicMeetingOrganisation,
    RepresentativePresence,
)

_BULK = (
    Meeting,
    OfficialPresence,
    RepresentativePresence,
    PublicationEntry,
    PublicMeeting,
    PublicMeetingOrganisation,
)
"""The tables that grow with the meetings: their secondary indexes are built at the end."""


@dataclass
class Tally:
    """What was written, and how long it took."""

    rows: Counter[str] = field(default_factory=Counter)
    states: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)
    last_hash: str = ""


def day_counts(world: World, rng: random.Random, total: int) -> list[tuple[date, int]]:
    """How many meetings each day holds: `total` in all, over the period and a fortnight
    ahead, in proportion to the authorities on the register and the season."""
    days = [
        world.first_day + timedelta(days=n)
        for n in range((world.last_day - world.first_day).days + 15)
    ]
    weights = []
    for day in days:
        joined = world.joined_by(day)
        size = 0.0 if joined is None else sum(world.staffs[n].spec.size for n in joined.items)
        weights.append(season(day) * size)
    counts = meetings_per_day(rng, weights, total)
    return [(day, n) for day, n in zip(days, counts, strict=True) if n]


def groups(days: list[tuple[date, int]], size: int) -> Iterator[list[tuple[date, int]]]:
    """Consecutive days holding about `size` meetings together."""
    group: list[tuple[date, int]] = []
    held = 0
    for day in days:
        group.append(day)
        held += day[1]
        if held >= size:
            yield group
            group, held = [], 0
    if group:
        yield group


class Loader:
    """Writes `total` meetings drawn from `recipe` into `writer`, with `workers` processes
    drawing them (0: in this process), a batch of about `chunk` meetings at a time."""

    def __init__(
        self,
        world: World,
        recipe: Recipe,
        writer: Writer,
        *,
        total: int,
        workers: int,
        chunk: int = 5000,
        progress: Callable[[str], None] = print,
    ) -> None:
        self.world = world
        self.recipe = recipe
        self.writer = writer
        self.total = total
        self.workers = workers
        self.chunk = chunk
        self.progress = progress
        self.tables = {
            table: TableRows(table, writer.engine)
            for table in (
                Authority,
                Official,
                InterestRepresentative,
                Meeting,
                OfficialPresence,
                RepresentativePresence,
                PublicationEntry,
                PublicMeeting,
                PublicMeetingOrganisation,
            )
        }
        self._log_seq = self.tables[PublicMeeting].columns.index("log_seq")
        self.chain = Chain()
        self.tally = Tally()

    async def _write(self, table: Any, rows: list[list[Any]]) -> None:
        if rows:
            spec = self.tables[table]
            await self.writer.write(spec, rows)
            self.tally.rows[spec.name] += len(rows)

    async def write_world(self) -> None:
        started = clock.perf_counter()
        for table, rows in (
            (Authority, self.world.authority_rows()),
            (Official, self.world.official_rows()),
            (InterestRepresentative, self.world.representative_rows()),
        ):
            await self._write(table, [self.tables[table].row(row) for row in rows])
        self.tally.seconds["directory"] = clock.perf_counter() - started

    async def _batches(self, days: list[tuple[date, int]]) -> AsyncIterator[Batch]:
        """The batches in order of their days, drawn ahead by the workers (a few at most,
        so that a slow database does not make them pile up in memory)."""
        if self.workers == 0:
            producer = Producer(self.recipe, self.writer.engine, self.world)
            for group in groups(days, self.chunk):
                yield producer.produce(group)
            return
        context = multiprocessing.get_context("spawn")  # no fork of a running event loop
        with ProcessPoolExecutor(
            self.workers,
            mp_context=context,
            initializer=start_worker,
            initargs=(self.recipe, self.writer.engine),
        ) as pool:
            waiting: deque[Future[Batch]] = deque()
            todo = groups(days, self.chunk)

            def submit() -> bool:
                group = next(todo, None)
                if group is not None:
                    waiting.append(pool.submit(produce_in_worker, group))
                return group is not None

            while len(waiting) < 2 * self.workers and submit():
                pass
            while waiting:
                batch = await asyncio.wrap_future(waiting.popleft())
                submit()
                yield batch

    async def _chain(self, before: datetime | None) -> None:
        log_rows: list[list[Any]] = []
        public_rows: list[list[Any]] = []
        organisations: list[list[Any]] = []
        log_table = self.tables[PublicationEntry]
        for entry, pending in self.chain.release(before):
            log_rows.append(
                log_table.row(
                    {
                        "seq": entry.seq,
                        "meeting": entry.meeting_id,
                        "version": entry.version,
                        "action": entry.action.value,
                        "recorded_at": entry.recorded_at,
                        "body": entry.body,
                        "previous_hash": entry.previous_hash,
                        "hash": entry.hash,
                        "actor": None,
                    }
                )
            )
            if pending.public_row is not None:
                pending.public_row[self._log_seq] = entry.seq
                public_rows.append(pending.public_row)
                organisations.extend(pending.organisations)
        await self._write(PublicationEntry, log_rows)
        await self._write(PublicMeeting, public_rows)
        await self._write(PublicMeetingOrganisation, organisations)

    async def run(self, days_rng: random.Random) -> Tally:
        started = clock.perf_counter()
        await self.writer.defer_indexes([self.tables[t].name for t in _BULK])
        days = day_counts(self.world, days_rng, self.total)
        done = reported = 0
        step = max(self.chunk, self.total // 10)
        async for batch in self._batches(days):
            await self._write(Meeting, batch.meetings)
            await self._write(OfficialPresence, batch.official_presence)
            await self._write(RepresentativePresence, batch.representative_presence)
            for pending in batch.pending:
                self.chain.schedule(pending)
            # Whatever comes next is recorded after the next day starts anywhere (UTC+14).
            following = datetime.combine(batch.last_day + timedelta(days=1), time(0), UTC)
            await self._chain(following - timedelta(hours=14))
            self.tally.states.update(batch.states)
            done += len(batch.meetings)
            if done - reported >= step:
                reported = done
                elapsed = clock.perf_counter() - started
                self.progress(
                    f"  {done:>10,} meetings  {elapsed:7.1f} s  {done / elapsed:8,.0f} meetings/s"
                    f"  (up to {batch.last_day}, {self.chain.waiting:,} versions waiting)"
                )
        await self._chain(None)
        self.tally.seconds["meetings"] = clock.perf_counter() - started
        moment = clock.perf_counter()
        await self.writer.restore_indexes()
        self.tally.seconds["indexes"] = clock.perf_counter() - moment
        self.tally.last_hash = self.chain.head if self.chain.seq else ""
        return self.tally
