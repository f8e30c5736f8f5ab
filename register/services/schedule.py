"""The background sync: the sources that are due, synced by whichever process gets them.

Every server process runs it unless `REGISTER_SYNC_INTERVAL` is 0, and so does each
`register worker`. Several processes, on one machine or many over one PostgreSQL, may look at the
same due sources at once: a source is synced by whichever takes its lease first, and only while
it is still due, and its next sync is set when that run commits, so each source is synced once
per interval whatever the number of workers. A source whose worker died is due again once its
lease expires.

The same loop applies the retention policy (`register.services.retention`) once an hour: purges
are idempotent, so several processes doing it at once only repeat a query.
"""

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime

import structlog

from register.services.retention import PURGE_EVERY, purge_expired
from register.services.sync import SourceResult, sync_sources
from register.settings import Settings
from register.store.repositories.calendar_sync import due_sources

_log = structlog.get_logger("register.schedule")


async def sync_due(
    settings: Settings, *, concurrency: int = 1, stop: asyncio.Event | None = None
) -> list[SourceResult]:
    """One pass: sync the sources due now, `concurrency` at a time, until done or `stop`."""
    due = await due_sources(datetime.now(UTC))
    if not due:
        return []
    results = await sync_sources(due, settings, scheduled=True, concurrency=concurrency, stop=stop)
    _log.info(
        "scheduled sync",
        sources=sum(not result.skipped for result in results),
        skipped=sum(result.skipped for result in results),
        failed=sum(result.failed for result in results),
    )
    return results


def _now() -> datetime:
    return datetime.now(UTC)


async def run_schedule(
    settings: Settings,
    stop: asyncio.Event,
    *,
    concurrency: int = 1,
    clock: Callable[[], datetime] = _now,
) -> None:
    """Sync due sources until `stop` is set, looking for more every `sync_poll_seconds` (or
    every `sync_interval`, when shorter), and apply the retention policy once an hour (by
    `clock`); a failure is logged and the loop goes on."""
    poll = min(settings.sync_interval or settings.sync_poll_seconds, settings.sync_poll_seconds)
    last_purge: datetime | None = None
    while not stop.is_set():
        try:
            await sync_due(settings, concurrency=concurrency, stop=stop)
        except Exception:
            _log.exception("scheduled sync failed")
        now = clock()
        if last_purge is None or now - last_purge >= PURGE_EVERY:
            last_purge = now
            try:
                await purge_expired(settings, now=now)
            except Exception:
                _log.exception("applying the retention policy failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=poll)


async def run_dump_refresh(settings: Settings, stop: asyncio.Event) -> None:
    """Regenerate the bulk downloads whenever something was published, until `stop` is set."""
    from register.services.dumps import refresh_dumps

    while not stop.is_set():
        try:
            if await refresh_dumps(settings.data_dir, now=datetime.now(UTC)):
                _log.info("bulk downloads regenerated")
        except Exception:
            _log.exception("regenerating the bulk downloads failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=settings.dumps_interval)
