"""The background sync: each server process syncs the sources that are due.

Several processes (or machines over one PostgreSQL) may run it at once: a source is synced by
whichever takes its lease first, and its next sync is set in the same transaction, so the others
skip it.
"""

import asyncio
import contextlib
from datetime import UTC, datetime

import structlog

from register.services.sync import sync_sources
from register.settings import Settings
from register.store.repositories.calendar_sync import due_sources

_log = structlog.get_logger("register.schedule")

MAX_POLL_SECONDS = 30


async def run_schedule(settings: Settings, stop: asyncio.Event) -> None:
    """Sync due sources until `stop` is set; a failure is logged and the loop goes on."""
    poll = min(settings.sync_interval, MAX_POLL_SECONDS)
    while not stop.is_set():
        try:
            due = await due_sources(datetime.now(UTC))
            if due:
                results = await sync_sources(due, settings)
                _log.info(
                    "scheduled sync",
                    sources=len(results),
                    failed=sum(result.failed for result in results),
                )
        except Exception:
            _log.exception("scheduled sync failed")
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
