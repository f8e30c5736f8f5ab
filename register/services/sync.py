"""Syncing a calendar source into the register.

`sync()` only coordinates (as vdirsyncer's does): take the source's lease, ask its connector
what changed since the stored state, and apply the changes and the new state in one transaction.
Calendar-owned fields follow the calendar; what staff entered is never overwritten; an occurrence
that disappears becomes cancelled. A failure is recorded on the run and the source's health,
where staff see it, and never touches the meetings.
"""

import os
import socket
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

import structlog

from connectors.delta import (
    CalendarConnector,
    ObjectChanged,
    SourceUnreachableError,
    SyncDelta,
    Window,
)
from connectors.remote_event import RemoteEvent
from register.domain.kinds import Decider, MeetingStatus, SyncRunStatus
from register.domain.meeting import Meeting
from register.domain.source import ObjectFailure, SourceHealth, SyncCounts, SyncRun
from register.services.calendar_events import fingerprint, meeting_from_event
from register.services.classification import Classifier, classifier_for
from register.services.connector_factory import connector_for
from register.services.credentials import CredentialsError, decrypt
from register.settings import Settings
from register.store.ids import new_id
from register.store.repositories import calendar_sync
from register.store.repositories.authorities import get_authority
from register.store.repositories.calendar_sync import KnownOccurrence
from register.store.repositories.errors import NotFoundError
from register.store.repositories.sources import get_source
from register.store.repositories.sync_runs import finish_run, record_run
from register.store.transaction import writing

_log = structlog.get_logger("register.sync")

LEASE = timedelta(minutes=10)
"""How long a worker may hold a source before another may take it over (a crashed worker)."""


class SourceBusyError(RuntimeError):
    """Another worker is syncing this source right now."""


class LeaseLostError(RuntimeError):
    """The lease expired and another worker took the source over; this run's work is dropped."""


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class _Tally:
    new: int = 0
    changed: int = 0
    cancelled: int = 0
    unchanged: int = 0
    failures: list[ObjectFailure] = field(default_factory=list)

    def counts(self) -> SyncCounts:
        return SyncCounts(
            new=self.new,
            changed=self.changed,
            cancelled=self.cancelled,
            unchanged=self.unchanged,
            failed=len(self.failures),
        )


@dataclass(frozen=True)
class _Owner:
    source_id: UUID
    official_id: UUID
    authority_id: UUID


async def sync_source(
    source_id: UUID,
    settings: Settings,
    *,
    now: datetime | None = None,
    worker: str | None = None,
    connector_override: CalendarConnector | None = None,
) -> SyncRun:
    """Sync one source and return the run's record. Raises SourceBusyError when another worker
    holds the source, NotFoundError for an unknown source; every other failure is recorded on
    the run (status failed) and the source's health, and returned."""
    moment = now or datetime.now(UTC)
    worker = worker or worker_name()
    found = await get_source(source_id)
    if found is None:
        raise NotFoundError(f"no calendar source {source_id}")
    source, ciphertext = found
    owner_row = await calendar_sync.source_owner(source_id)
    if owner_row is None:
        raise NotFoundError(f"no calendar source {source_id}")
    official_id, authority_id, timezone = owner_row
    if not await calendar_sync.acquire_lease(source_id, worker, moment, moment + LEASE):
        raise SourceBusyError(f"source {source_id} is being synced by another worker")
    run = SyncRun(source_id=source_id, started_at=moment, worker=worker)
    run_number = await record_run(run)
    started = time.monotonic()
    window = Window.around(
        moment,
        back=timedelta(days=settings.sync_window_back_days),
        ahead=timedelta(days=settings.sync_window_ahead_days),
    )
    try:
        connector = connector_override or connector_for(
            source, decrypt(ciphertext, settings), timezone
        )
        delta = await connector.sync(source.sync_state, window)
    except (SourceUnreachableError, CredentialsError) as error:
        return await _record_failure(
            run,
            run_number,
            source.health,
            worker=worker,
            message=str(error),
            moment=moment,
            settings=settings,
        )
    except BaseException:
        await calendar_sync.release_lease(source_id, worker)
        raise
    owner = _Owner(source_id=source_id, official_id=official_id, authority_id=authority_id)
    tally = _Tally(failures=[ObjectFailure(href=f.href, message=f.message) for f in delta.failed])
    try:
        async with writing():
            await _apply(
                delta, owner, window, moment, tally, classifier=await _classifier(authority_id)
            )
            stored = await calendar_sync.store_sync_outcome(
                source_id,
                worker,
                health=SourceHealth(
                    last_success_at=moment,
                    last_error_at=source.health.last_error_at,
                    last_error="",
                    consecutive_failures=0,
                ),
                state=delta.state,
                next_sync_at=_next_sync(moment, settings),
            )
            if not stored:
                raise LeaseLostError(
                    f"the lease on source {source_id} expired and another worker took it over"
                )
    except LeaseLostError as error:
        finished = run.model_copy(
            update={
                "finished_at": datetime.now(UTC),
                "status": SyncRunStatus.FAILED,
                "error": str(error),
            }
        )
        await finish_run(run_number, finished)
        return finished
    except BaseException:
        await calendar_sync.release_lease(source_id, worker)
        raise
    finished = run.model_copy(
        update={
            "finished_at": moment + timedelta(seconds=time.monotonic() - started),
            "status": SyncRunStatus.PARTIAL if tally.failures else SyncRunStatus.SUCCEEDED,
            "counts": tally.counts(),
            "failures": tuple(tally.failures),
        }
    )
    await finish_run(run_number, finished)
    return finished


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
    worker: str,
    message: str,
    moment: datetime,
    settings: Settings,
) -> SyncRun:
    await calendar_sync.store_sync_outcome(
        run.source_id,
        worker,
        health=SourceHealth(
            last_success_at=health.last_success_at,
            last_error_at=moment,
            last_error=message,
            consecutive_failures=health.consecutive_failures + 1,
        ),
        state=None,
        next_sync_at=_next_sync(moment, settings),
    )
    finished = run.model_copy(
        update={"finished_at": datetime.now(UTC), "status": SyncRunStatus.FAILED, "error": message}
    )
    await finish_run(run_number, finished)
    return finished


class _Applier:
    """Writes one delta inside the sync's transaction: new occurrences inserted, changed ones
    updated (calendar fields only), vanished ones cancelled."""

    def __init__(
        self,
        owner: _Owner,
        known: dict[tuple[str, str], KnownOccurrence],
        window: Window,
        now: datetime,
        tally: _Tally,
        *,
        classifier: Classifier,
    ) -> None:
        self.owner, self.known, self.window, self.now, self.tally = owner, known, window, now, tally
        self.classifier = classifier
        self.by_href: dict[str, list[KnownOccurrence]] = defaultdict(list)
        for occurrence in known.values():
            self.by_href[occurrence.href].append(occurrence)
        self.inserts: list[tuple[Meeting, str, str]] = []
        self.seen: set[tuple[str, str]] = set()
        self.to_cancel: dict[UUID, None] = {}

    async def changed(self, change: ObjectChanged) -> None:
        for event in change.events:
            key = (event.key.uid, event.key.recurrence_id)
            if key in self.seen:
                self.tally.failures.append(
                    ObjectFailure(
                        href=change.href,
                        message=f"UID {event.key.uid!r} is also used by another object; "
                        "this copy was ignored",
                    )
                )
                continue
            self.seen.add(key)
            await self._occurrence(event, change.href)
        for occurrence in self.by_href.get(change.href, ()):
            # Occurrences outside the window were not expanded this time: not a deletion.
            if self.window.start <= occurrence.starts_at < self.window.end:
                self._vanished(occurrence)

    def removed(self, href: str) -> None:
        for occurrence in self.by_href.get(href, ()):
            self._vanished(occurrence)

    async def finish(self) -> None:
        await calendar_sync.insert_synced(self.inserts)
        await calendar_sync.cancel_occurrences(list(self.to_cancel), self.now)
        self.tally.cancelled += len(self.to_cancel)
        # Occurrences of objects the connector did not need to fetch are unchanged too.
        untouched = sum(
            1
            for key, occurrence in self.known.items()
            if key not in self.seen and occurrence.meeting_id not in self.to_cancel
        )
        self.tally.unchanged += untouched

    def _vanished(self, occurrence: KnownOccurrence) -> None:
        key = (occurrence.uid, occurrence.recurrence_id)
        if key not in self.seen and occurrence.status is not MeetingStatus.CANCELLED:
            self.to_cancel[occurrence.meeting_id] = None

    async def _occurrence(self, event: RemoteEvent, href: str) -> None:
        digest = fingerprint(event)
        existing = self.known.get((event.key.uid, event.key.recurrence_id))
        meeting = meeting_from_event(
            event,
            meeting_id=existing.meeting_id if existing else new_id(),
            authority_id=self.owner.authority_id,
            official_id=self.owner.official_id,
            source_id=self.owner.source_id,
        )
        if existing is None:
            verdict = self.classifier(meeting.calendar)
            self.inserts.append(
                (meeting.model_copy(update={"classification": verdict}), href, digest)
            )
            self.tally.new += 1
            return
        if existing.fingerprint == digest and existing.href == href:
            self.tally.unchanged += 1
            return
        # A rule's verdict follows the calendar; a staff decision sticks.
        await calendar_sync.update_from_calendar(
            existing.meeting_id,
            meeting,
            href=href,
            fingerprint=digest,
            now=self.now,
            reclassified=(
                self.classifier(meeting.calendar) if existing.decided_by is Decider.RULE else None
            ),
        )
        if (
            event.status is MeetingStatus.CANCELLED
            and existing.status is not MeetingStatus.CANCELLED
        ):
            self.tally.cancelled += 1
        else:
            self.tally.changed += 1


async def _apply(
    delta: SyncDelta,
    owner: _Owner,
    window: Window,
    now: datetime,
    tally: _Tally,
    *,
    classifier: Classifier,
) -> None:
    applier = _Applier(
        owner,
        await calendar_sync.known_occurrences(owner.source_id),
        window,
        now,
        tally,
        classifier=classifier,
    )
    for change in delta.changed:
        await applier.changed(change)
    for href in delta.removed:
        applier.removed(href)
    await applier.finish()


@dataclass(frozen=True)
class SourceResult:
    """How one source's sync went: its run, or why there is none (busy, or a bug logged)."""

    source_id: UUID
    run: SyncRun | None
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.run is None or self.run.status is SyncRunStatus.FAILED


async def sync_sources(
    source_ids: Sequence[UUID],
    settings: Settings,
    *,
    on_start: Callable[[UUID], None] | None = None,
    on_done: Callable[[SourceResult], None] | None = None,
) -> list[SourceResult]:
    """Sync each source in turn; one failing source never stops the others."""
    results = []
    for source_id in source_ids:
        if on_start:
            on_start(source_id)
        try:
            result = SourceResult(source_id, await sync_source(source_id, settings))
        except SourceBusyError as error:
            result = SourceResult(source_id, None, str(error))
        except Exception as error:
            _log.exception("sync failed", source=str(source_id))
            result = SourceResult(source_id, None, f"{type(error).__name__}: {error}")
        results.append(result)
        if on_done:
            on_done(result)
    return results
