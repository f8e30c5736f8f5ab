"""Syncing a calendar source into the register.

`sync()` only coordinates (as vdirsyncer's does): take the source's lease (`sync_lease`), ask
its connector what changed since the stored state, and apply the changes and the new state in
one transaction, which commits only if the lease is still this run's. The changes are taken
batch by batch as the connector reads them (a first sync of a big calendar is never held
whole): on PostgreSQL written at once, in that transaction, begun when the first batch comes;
on SQLite spooled to a file and written at the end, so that the one write lock is not held while
the server answers (see `_Writing`).
Calendar-owned fields follow the calendar; what staff entered is never overwritten; an occurrence
that disappears becomes cancelled. A failure is recorded on the run and the source's health,
where staff see it, and never touches the meetings.
"""

import asyncio
import contextlib
import os
import pickle
import socket
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Any
from uuid import UUID

import structlog

from connectors.delta import (
    CalendarConnector,
    ObjectOutcome,
    SourceUnreachableError,
    SyncDelta,
    Window,
    streamed,
)
from register.domain.kinds import SyncRunStatus
from register.domain.source import CalendarSource, SourceHealth, SyncRun
from register.services.classification import Classifier, classifier_for
from register.services.connector_factory import DEFAULT_LIMITS, ConnectorLimits, connector_for
from register.services.credentials import CredentialsError, decrypt
from register.services.sync_apply import DeltaWriter, SourceOwner, Tally
from register.services.sync_lease import (
    LeaseLostError,
    SourceBusyError,
    SourceLease,
    SourceNotDueError,
)
from register.settings import Settings
from register.store.repositories import calendar_sync
from register.store.repositories.authorities import get_authority
from register.store.repositories.errors import NotFoundError
from register.store.repositories.sources import get_source
from register.store.repositories.sync_runs import abandon_unfinished, finish_run, record_run
from register.store.transaction import is_sqlite, writing

__all__ = [
    "ABANDONED",
    "LeaseLostError",
    "SourceBusyError",
    "SourceNotDueError",
    "SourceResult",
    "sync_source",
    "sync_sources",
    "worker_name",
]

_log = structlog.get_logger("register.sync")

ABANDONED = (
    "abandoned: the worker stopped before finishing (its lease expired and another worker "
    "took the source over)"
)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class _Job:
    """One run of one source, under its lease: what the sync reads and where it records."""

    lease: SourceLease
    run: SyncRun
    run_number: int
    source: CalendarSource
    ciphertext: str
    owner: SourceOwner
    timezone: str


async def sync_source(
    source_id: UUID,
    settings: Settings,
    *,
    now: datetime | None = None,
    worker: str | None = None,
    connector_override: CalendarConnector | None = None,
    only_if_due: bool = False,
    limits: ConnectorLimits = DEFAULT_LIMITS,
) -> SyncRun:
    """Sync one source and return the run's record.

    Raises SourceBusyError when another worker holds the source (SourceNotDueError, with
    `only_if_due`, when another worker synced it since it was found due: how the schedule
    syncs each source once per cycle), NotFoundError for an unknown source; every other
    failure is recorded on the run (status failed) and the source's health, and returned.
    An interrupted run (cancelled, a worker stopping) gives its lease back for another worker.
    """
    moment = now or datetime.now(UTC)
    worker = worker or worker_name()
    lease = await SourceLease.take(
        source_id,
        worker,
        now=moment,
        duration=timedelta(seconds=settings.sync_lease_seconds),
        only_if_due=only_if_due,
    )
    try:
        async with lease.kept_alive():
            return await _sync_leased(lease, settings, worker, connector_override, limits)
    except BaseException:
        await _quietly(lease.release(), "releasing a lease failed", source_id)
        raise


async def _sync_leased(
    lease: SourceLease,
    settings: Settings,
    worker: str,
    connector_override: CalendarConnector | None,
    limits: ConnectorLimits,
) -> SyncRun:
    source_id, moment = lease.source_id, lease.taken_at
    # Read once the lease is held: the state that the previous holder stored with its changes.
    found = await get_source(source_id)
    owner_row = await calendar_sync.source_owner(source_id)
    if found is None or owner_row is None:
        raise NotFoundError(f"no calendar source {source_id}")
    abandoned = await abandon_unfinished(source_id, moment, ABANDONED)
    if abandoned:
        _log.warning("took over a source from a stopped worker", source=str(source_id))
    run = SyncRun(source_id=source_id, started_at=moment, worker=worker)
    official_id, authority_id, timezone = owner_row
    job = _Job(
        lease=lease,
        run=run,
        run_number=await record_run(run),
        source=found[0],
        ciphertext=found[1],
        owner=SourceOwner(source_id=source_id, official_id=official_id, authority_id=authority_id),
        timezone=timezone,
    )
    try:
        return await _sync_run(job, settings, connector_override, limits)
    except BaseException as error:
        interrupted = not isinstance(error, Exception)  # cancelled, or the process stopping
        finished = run.model_copy(
            update={
                "finished_at": lease.now(),
                "status": SyncRunStatus.FAILED,
                "error": "interrupted: the worker stopped"
                if interrupted
                else f"{type(error).__name__}: {error}",
            }
        )
        await _quietly(
            finish_run(job.run_number, finished, unless_finished=True),
            "recording a run failed",
            source_id,
        )
        raise


async def _sync_run(
    job: _Job,
    settings: Settings,
    connector_override: CalendarConnector | None,
    limits: ConnectorLimits,
) -> SyncRun:
    lease, run, source = job.lease, job.run, job.source
    source_id, moment = lease.source_id, lease.taken_at
    started = time.monotonic()
    window = Window.around(
        moment,
        back=timedelta(days=settings.sync_window_back_days),
        ahead=timedelta(days=settings.sync_window_ahead_days),
    )
    try:
        connector = connector_override or connector_for(
            source, decrypt(job.ciphertext, settings), job.timezone, limits
        )
        tally = Tally()
        async with _Writing(job, window, tally) as writing_run:
            async with _within(limits.deadline):
                delta = await streamed(connector, source.sync_state, window, writing_run.batch)
            finished = await writing_run.finish(delta, settings, started)
    except (SourceUnreachableError, CredentialsError) as error:
        return await _record_failure(
            run,
            job.run_number,
            source.health,
            holder=lease.holder,
            message=str(error),
            moment=moment,
            settings=settings,
        )
    except LeaseLostError as error:
        _log.warning("lease lost: the run's changes are dropped", source=str(source_id))
        finished = run.model_copy(
            update={"finished_at": lease.now(), "status": SyncRunStatus.FAILED, "error": str(error)}
        )
        await finish_run(job.run_number, finished)
    return finished


class _Writing:
    """The run's one transaction, begun when the connector hands on its first objects (or at
    the end, when it hands on none): a sync's network wait holds no write lock until there is
    something to write, and a failure anywhere before the commit rolls back everything the
    run wrote, batches included. Commits only if the lease is still this run's.

    On SQLite, whose one write lock every writer of the register shares, the batches are not
    written as they come but spooled to a temporary file and written at the end: a first sync
    then holds the lock for its writes only, not while the server answers and the objects are
    parsed (seconds to minutes), and its memory stays flat all the same. PostgreSQL locks only
    the rows written, so there each batch is written as it comes."""

    def __init__(self, job: _Job, window: Window, tally: Tally) -> None:
        self.job, self.window, self.tally = job, window, tally
        self._transaction = contextlib.AsyncExitStack()
        self._writer: DeltaWriter | None = None
        self._spool: IO[bytes] | None = None

    async def __aenter__(self) -> "_Writing":
        return self

    async def __aexit__(self, *failure: Any) -> None:
        try:
            await self._transaction.__aexit__(*failure)
        finally:
            if self._spool is not None:
                self._spool.close()

    def _lost(self) -> LeaseLostError:
        return LeaseLostError(
            f"the lease on source {self.job.lease.source_id} expired and another worker took "
            "it over"
        )

    async def _begun(self) -> DeltaWriter:
        if self._writer is None:
            if self.job.lease.lost:
                raise self._lost()
            await self._transaction.enter_async_context(writing())
            self._writer = await DeltaWriter.start(
                self.job.owner,
                self.window,
                self.job.lease.taken_at,
                self.tally,
                classifier=await _classifier(self.job.owner.authority_id),
            )
        return self._writer

    async def batch(self, outcomes: Sequence[ObjectOutcome]) -> None:
        if is_sqlite():
            await asyncio.to_thread(self._spooled, list(outcomes))
            return
        await (await self._begun()).batch(outcomes)

    def _spooled(self, outcomes: list[ObjectOutcome]) -> None:
        if self._spool is None:
            self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the run)
        pickle.dump(outcomes, self._spool, protocol=pickle.HIGHEST_PROTOCOL)

    async def _unspooled(self, writer: DeltaWriter) -> None:
        """Write the spooled batches, in their order, one at a time (a file this run wrote)."""
        spool = self._spool
        if spool is None:
            return
        await asyncio.to_thread(spool.seek, 0)
        while True:
            try:
                outcomes = await asyncio.to_thread(pickle.load, spool)
            except EOFError:
                return
            await writer.batch(outcomes)

    async def finish(self, delta: SyncDelta, settings: Settings, started: float) -> SyncRun:
        """The removed objects, the new state and the run's record, in the same transaction."""
        job, tally = self.job, self.tally
        writer = await self._begun()
        await self._unspooled(writer)
        await writer.finish(delta.removed)
        moment = job.lease.taken_at
        stored = await calendar_sync.store_sync_outcome(
            job.lease.source_id,
            job.lease.holder,
            health=SourceHealth(
                last_success_at=moment,
                last_error_at=job.source.health.last_error_at,
                last_error="",
                consecutive_failures=0,
            ),
            state=delta.state,
            next_sync_at=_next_sync(moment, settings),
        )
        if not stored:
            raise self._lost()  # rolls back everything this run wrote
        finished = job.run.model_copy(
            update={
                "finished_at": moment + timedelta(seconds=time.monotonic() - started),
                "status": SyncRunStatus.PARTIAL if tally.failures else SyncRunStatus.SUCCEEDED,
                "counts": tally.counts(),
                "failures": tuple(tally.failures),
            }
        )
        # In the same transaction: a worker killed once it has committed leaves no run that
        # looks unfinished, and one killed before leaves no change behind.
        await finish_run(job.run_number, finished)
        return finished


@contextlib.asynccontextmanager
async def _within(deadline: float) -> AsyncIterator[None]:
    """The connector's answer, or SourceUnreachableError once `deadline` seconds have passed:
    a server that sends its answer a few bytes at a time never trips a per-read timeout, and
    would hold its source (whose lease the heartbeat keeps renewing) for ever. The objects it
    hands on are written meanwhile, in the same task (`asyncio.timeout`, not `wait_for`'s task
    of its own), so that they are written in the run's transaction."""
    try:
        async with asyncio.timeout(deadline):
            yield
    except TimeoutError as error:
        raise SourceUnreachableError(
            f"The calendar server did not finish answering within {deadline:g} s (an answer "
            "sent too slowly); the sync was abandoned and will be tried again."
        ) from error


async def _quietly(cleanup: Awaitable[None], message: str, source_id: UUID) -> None:
    """Clean up after a failure without hiding it behind a second one."""
    try:
        await cleanup
    except Exception:
        _log.warning(message, source=str(source_id), exc_info=True)


async def _classifier(authority_id: UUID) -> Classifier:
    authority = await get_authority(authority_id)
    if authority is None:
        raise NotFoundError(f"no authority {authority_id}")
    return await classifier_for(authority)


def _next_sync(moment: datetime, settings: Settings) -> datetime | None:
    return moment + timedelta(seconds=settings.sync_interval) if settings.sync_interval else None


async def _record_failure(
    run: SyncRun,
    run_number: int,
    health: SourceHealth,
    *,
    holder: str,
    message: str,
    moment: datetime,
    settings: Settings,
) -> SyncRun:
    finished = run.model_copy(
        update={"finished_at": datetime.now(UTC), "status": SyncRunStatus.FAILED, "error": message}
    )
    async with writing():
        await calendar_sync.store_sync_outcome(
            run.source_id,
            holder,
            health=SourceHealth(
                last_success_at=health.last_success_at,
                last_error_at=moment,
                last_error=message,
                consecutive_failures=health.consecutive_failures + 1,
            ),
            state=None,
            next_sync_at=_next_sync(moment, settings),
        )
        await finish_run(run_number, finished)
    return finished


@dataclass(frozen=True)
class SourceResult:
    """How one source's sync went: its run, or why there is none (busy, skipped by a scheduled
    sync because another worker has it or synced it in this cycle, or a bug logged)."""

    source_id: UUID
    run: SyncRun | None
    error: str = ""
    skipped: bool = False

    @property
    def failed(self) -> bool:
        if self.skipped:
            return False
        return self.run is None or self.run.status is SyncRunStatus.FAILED


async def sync_sources(
    source_ids: Sequence[UUID],
    settings: Settings,
    *,
    on_start: Callable[[UUID], None] | None = None,
    on_done: Callable[[SourceResult], None] | None = None,
    scheduled: bool = False,
    concurrency: int = 1,
    stop: asyncio.Event | None = None,
    limits: ConnectorLimits = DEFAULT_LIMITS,
) -> list[SourceResult]:
    """Sync each source, `concurrency` at a time; one failing source never stops the others.

    A `scheduled` sync takes only sources still due, so that several workers handed the same
    due sources sync each once; a source that another worker holds or synced meanwhile is
    skipped. Once `stop` is set, no further source is started. Results come in the order of
    `source_ids`. `limits` bounds the wait for each server.
    """
    results: dict[int, SourceResult] = {}
    pending = iter(enumerate(source_ids))

    async def one_at_a_time() -> None:
        for index, source_id in pending:
            if stop is not None and stop.is_set():
                return
            if on_start:
                on_start(source_id)
            results[index] = await _sync_one(
                source_id, settings, scheduled=scheduled, limits=limits
            )
            if on_done:
                on_done(results[index])

    await asyncio.gather(*(one_at_a_time() for _ in range(max(1, concurrency))))
    return [results[index] for index in sorted(results)]


async def _sync_one(
    source_id: UUID, settings: Settings, *, scheduled: bool, limits: ConnectorLimits
) -> SourceResult:
    try:
        run = await sync_source(source_id, settings, only_if_due=scheduled, limits=limits)
    except SourceBusyError as error:
        # When scheduled, a source that another worker holds or has synced is theirs.
        return SourceResult(source_id, None, str(error), skipped=scheduled)
    except Exception as error:
        _log.exception("sync failed", source=str(source_id))
        return SourceResult(source_id, None, f"{type(error).__name__}: {error}")
    return SourceResult(source_id, run)
