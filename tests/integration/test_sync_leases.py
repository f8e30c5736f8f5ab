"""Sync leases under several workers, on SQLite and PostgreSQL: a source is synced by one run at
a time and once per cycle however many workers find it due; a live worker keeps its source
however long its sync takes; a dead worker's source is taken over once its lease expires; an
interrupted sync gives its source back."""

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from piccolo.engine.base import Engine

from connectors.delta import ObjectChanged, SyncDelta, Window
from connectors.remote_event import EventKey, RemoteEvent
from register.domain.kinds import SourceKind, SyncRunStatus
from register.domain.source import SyncRun
from register.services.schedule import sync_due
from register.services.sources import add_source
from register.services.sync import ABANDONED, SourceBusyError, sync_source, sync_sources
from register.settings import Settings
from register.store.repositories import calendar_sync
from register.store.repositories.meetings import list_meetings
from register.store.repositories.sources import get_source
from register.store.repositories.sync_runs import record_run, runs_for_source
from tests.stored import StoredRegister, store_register

NOW = datetime(2027, 1, 10, 8, 0, tzinfo=UTC)


class _Calendar:
    """A connector serving a few fixed events, after `delay` seconds (a long sync)."""

    def __init__(self, name: str, *, events: int = 3, delay: float = 0.0) -> None:
        self.name, self.delay, self.syncs = name, delay, 0
        self.started = asyncio.Event()
        self.events = tuple(
            RemoteEvent(
                key=EventKey(uid=f"{name}-{number}@ville-test.example"),
                href=f"{name}-{number}.ics",
                start=NOW + timedelta(days=number + 1),
                end=NOW + timedelta(days=number + 1, hours=1),
                timezone="Europe/Paris",
                summary=f"Rendez-vous {number}",
            )
            for number in range(events)
        )

    async def sync(self, state: Mapping[str, Any], window: Window) -> SyncDelta:
        self.syncs += 1
        self.started.set()
        await asyncio.sleep(self.delay)
        return SyncDelta(
            changed=tuple(
                ObjectChanged(href=event.href, etag=None, events=(event,)) for event in self.events
            ),
            state={"syncs": self.syncs},
        )


@pytest.fixture
async def stored(db: Engine[Any]) -> StoredRegister:
    return await store_register()


def _settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": tmp_path, "sync_interval": 3600}
    values.update(overrides)
    return Settings(**values)


async def _source(stored: StoredRegister, settings: Settings, name: str) -> UUID:
    source = await add_source(
        stored.owner,
        kind=SourceKind.ICS,
        url=f"https://agenda.ville-test.example/{name}.ics",
        username="",
        password="",
        settings=settings,
    )
    return source.id


async def _lease_owner(source_id: UUID) -> str | None:
    state = await calendar_sync.lease_state(source_id)
    assert state is not None
    return state.lease_owner


async def test_workers_handed_the_same_due_sources_sync_each_once_per_cycle(
    stored: StoredRegister, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bug: a worker that found a source due synced it again after another worker had synced
    it and released its lease, so two workers synced every source twice per cycle."""
    settings = _settings(tmp_path)
    calendars = {
        f"https://agenda.ville-test.example/c{n}.ics": _Calendar(f"c{n}") for n in range(6)
    }
    monkeypatch.setattr(
        "register.services.sync.connector_for", lambda source, *_: calendars[source.url]
    )
    ids = [await _source(stored, settings, f"c{n}") for n in range(6)]
    due = await calendar_sync.due_sources(datetime.now(UTC))

    # Two workers, three syncs at a time each, at once.
    first, second = await asyncio.gather(
        sync_due(settings, concurrency=3), sync_due(settings, concurrency=3)
    )
    # A third worker that found the same sources due before the others synced them.
    late = await sync_sources(due, settings, scheduled=True)

    for source_id in ids:
        runs = await runs_for_source(source_id)
        assert [run.status for run in runs] == [SyncRunStatus.SUCCEEDED]
        assert await _lease_owner(source_id) is None
    assert sorted(calendar.syncs for calendar in calendars.values()) == [1] * 6
    assert sum(result.run is not None for result in [*first, *second]) == 6
    assert all(result.skipped and not result.failed for result in late)
    assert len(await list_meetings(stored.authority.id)) == 18
    assert await calendar_sync.due_sources(datetime.now(UTC)) == []


async def test_two_runs_in_one_process_never_hold_a_source_together(
    stored: StoredRegister, tmp_path: Path
) -> None:
    """Bug: the lease belonged to the process (host and pid), so a second run in the same
    process (a worker syncing several sources at once) took a source its first run held."""
    settings = _settings(tmp_path)
    source_id = await _source(stored, settings, "agenda")
    calendar = _Calendar("agenda", delay=0.3)

    outcomes = await asyncio.gather(
        sync_source(source_id, settings, now=NOW, worker="host:1", connector_override=calendar),
        sync_source(source_id, settings, now=NOW, worker="host:1", connector_override=calendar),
        return_exceptions=True,
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "SourceBusyError",
        "SyncRun",
    ]
    assert calendar.syncs == 1
    assert len(await list_meetings(stored.authority.id)) == 3


async def test_a_dead_workers_source_is_taken_over_once_its_lease_expires(
    stored: StoredRegister, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, sync_lease_seconds=60)
    source_id = await _source(stored, settings, "agenda")
    lease = timedelta(seconds=60)
    # A worker took the source and started a run, then was killed (kill -9): nothing more.
    assert await calendar_sync.acquire_lease(source_id, "dead:1#0", NOW, NOW + lease)
    await record_run(SyncRun(source_id=source_id, started_at=NOW, worker="dead:1"))
    calendar = _Calendar("agenda")

    halfway = NOW + lease / 2
    assert source_id not in await calendar_sync.due_sources(halfway)
    with pytest.raises(SourceBusyError):
        await sync_source(source_id, settings, now=halfway, connector_override=calendar)
    expired = NOW + lease + timedelta(seconds=1)
    assert await calendar_sync.due_sources(expired) == [source_id]
    run = await sync_source(
        source_id, settings, now=expired, worker="alive:2", connector_override=calendar
    )

    assert run.status is SyncRunStatus.SUCCEEDED
    assert run.counts.new == 3
    newest, abandoned = await runs_for_source(source_id)
    assert (newest.worker, newest.status) == ("alive:2", SyncRunStatus.SUCCEEDED)
    assert (abandoned.worker, abandoned.status) == ("dead:1", SyncRunStatus.FAILED)
    assert abandoned.error == ABANDONED
    assert await _lease_owner(source_id) is None
    assert len(await list_meetings(stored.authority.id)) == 3


async def test_a_live_workers_lease_is_renewed_however_long_its_sync(
    stored: StoredRegister, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, sync_lease_seconds=2)
    source_id = await _source(stored, settings, "agenda")
    slow = _Calendar("agenda", delay=3.5)
    running = asyncio.create_task(sync_source(source_id, settings, connector_override=slow))
    await asyncio.wait_for(slow.started.wait(), timeout=10)

    await asyncio.sleep(2.6)  # longer than the lease: only its renewals keep it
    with pytest.raises(SourceBusyError):
        await sync_source(
            source_id, settings, worker="other:2", connector_override=_Calendar("agenda")
        )
    run = await running

    assert run.status is SyncRunStatus.SUCCEEDED
    assert run.counts.new == 3
    assert await _lease_owner(source_id) is None


async def test_a_run_whose_source_was_taken_over_writes_nothing(
    stored: StoredRegister, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, sync_lease_seconds=1)
    source_id = await _source(stored, settings, "agenda")
    slow = _Calendar("agenda", delay=1.0)
    running = asyncio.create_task(
        sync_source(source_id, settings, now=NOW, connector_override=slow)
    )
    await asyncio.wait_for(slow.started.wait(), timeout=10)
    # As if its lease had expired (a stalled machine) and another worker took the source.
    later = NOW + timedelta(hours=1)
    assert await calendar_sync.acquire_lease(source_id, "other:2#0", later, later + timedelta(1))

    run = await running

    assert run.status is SyncRunStatus.FAILED
    assert "another worker took it over" in run.error
    assert await list_meetings(stored.authority.id) == []
    assert await _lease_owner(source_id) == "other:2#0"
    found = await get_source(source_id)
    assert found is not None
    assert found[0].sync_state == {}


async def test_an_interrupted_sync_gives_its_source_back(
    stored: StoredRegister, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    source_id = await _source(stored, settings, "agenda")
    slow = _Calendar("agenda", delay=60)
    running = asyncio.create_task(sync_source(source_id, settings, connector_override=slow))
    await asyncio.wait_for(slow.started.wait(), timeout=10)

    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running

    assert await _lease_owner(source_id) is None
    (run,) = await runs_for_source(source_id)
    assert run.status is SyncRunStatus.FAILED
    assert run.error == "interrupted: the worker stopped"
    # Still due: the next worker to look syncs it.
    assert await calendar_sync.due_sources(datetime.now(UTC)) == [source_id]
    assert await list_meetings(stored.authority.id) == []
