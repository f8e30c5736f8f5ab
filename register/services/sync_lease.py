"""A sync worker's lease on a calendar source: one worker at a time, and never a dead one for long.

The lease is a row lease on `calendar_source` (`lease_owner`, `lease_expires_at`), taken with one
conditional UPDATE (see `calendar_sync.acquire_lease`). Each run holds it under a name of its
own, the worker's name and a random suffix, so that two runs in one process (a worker syncing
several sources at once, a manual run beside the schedule) are told apart as two machines are.

While a run lasts, a heartbeat renews the lease every third of its duration: a live worker never
loses its source, however long the sync takes, while a dead one (`kill -9`, a lost machine)
loses it one duration after its last heartbeat, when another worker may take the source over.
Expiry is judged by the workers' clocks, which must agree (NTP) to well within a duration.
"""

import asyncio
import contextlib
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

import structlog

from register.store.repositories import calendar_sync
from register.store.repositories.errors import NotFoundError

_log = structlog.get_logger("register.sync")


class SourceBusyError(RuntimeError):
    """Another worker is syncing this source right now."""


class SourceNotDueError(SourceBusyError):
    """A scheduled run found the source no longer due: another worker synced it in this cycle."""


class LeaseLostError(RuntimeError):
    """The lease expired and another worker took the source over; this run's work is dropped."""


@dataclass
class SourceLease:
    """A source held by one run: who holds it, for how long, and whether it was lost."""

    source_id: UUID
    holder: str
    duration: timedelta
    taken_at: datetime
    lost: bool = False
    _started: float = field(default_factory=time.monotonic)

    @classmethod
    async def take(
        cls,
        source_id: UUID,
        worker: str,
        *,
        now: datetime,
        duration: timedelta,
        only_if_due: bool = False,
    ) -> "SourceLease":
        """Take the source, or raise why not: NotFoundError, SourceNotDueError (with
        `only_if_due`, synced by another worker since it was found due), SourceBusyError."""
        holder = f"{worker}#{secrets.token_hex(4)}"
        if await calendar_sync.acquire_lease(
            source_id, holder, now, now + duration, only_if_due=only_if_due
        ):
            return cls(source_id=source_id, holder=holder, duration=duration, taken_at=now)
        state = await calendar_sync.lease_state(source_id)
        if state is None:
            raise NotFoundError(f"no calendar source {source_id}")
        if only_if_due and state.next_sync_at is not None and state.next_sync_at > now:
            raise SourceNotDueError(f"source {source_id} was synced by another worker already")
        raise SourceBusyError(f"source {source_id} is being synced by another worker")

    def now(self) -> datetime:
        """The run's clock: the moment it took the lease (which tests may set), plus the time
        elapsed since, so that renewals and takeovers are judged on the same clock."""
        return self.taken_at + timedelta(seconds=time.monotonic() - self._started)

    @contextlib.asynccontextmanager
    async def kept_alive(self) -> AsyncIterator["SourceLease"]:
        """Renew the lease in the background for as long as the block runs."""
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            yield self
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat

    async def release(self) -> None:
        """Give the source back (a no-op when the lease was already released or lost)."""
        await calendar_sync.release_lease(self.source_id, self.holder)

    async def _heartbeat(self) -> None:
        # Its own task, outside the sync's transaction: on PostgreSQL it renews through another
        # connection; on SQLite it waits for the sync's write to end, well within a duration.
        while True:
            await asyncio.sleep(self.duration.total_seconds() / 3)
            try:
                renewed = await calendar_sync.renew_lease(
                    self.source_id, self.holder, self.now() + self.duration
                )
            except Exception:
                _log.warning("renewing a lease failed", source=str(self.source_id), exc_info=True)
                continue
            if not renewed:  # taken over, or released by the sync that just finished
                self.lost = True
                return
