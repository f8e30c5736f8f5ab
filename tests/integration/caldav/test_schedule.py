"""The background sync syncs due sources on its own and stops when asked."""

import asyncio
from pathlib import Path

from piccolo.engine.base import Engine

from register.services.schedule import run_schedule
from register.settings import Settings
from register.store.repositories.calendar_sync import due_sources
from register.store.repositories.sources import get_source
from register.store.repositories.sync_runs import runs_for_source
from tests.servers import CalDAVServer, ServerCalendar
from tests.stored import store_caldav_source, store_register


async def test_due_sources_are_synced_in_the_background_then_not_again_until_due(
    db: Engine, caldav_server: CalDAVServer, calendar: ServerCalendar, tmp_path: Path
) -> None:
    stored = await store_register()
    settings = Settings(data_dir=tmp_path, sync_interval=3600)
    source_id = await store_caldav_source(
        stored.owner, calendar.url, caldav_server.username, caldav_server.password, settings
    )
    stop = asyncio.Event()
    task = asyncio.create_task(run_schedule(settings, stop))
    try:
        for _ in range(200):
            if await runs_for_source(source_id):
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)

    runs = await runs_for_source(source_id)
    assert len(runs) == 1
    assert runs[0].status.value == "succeeded"
    found = await get_source(source_id)
    assert found is not None
    assert found[0].health.healthy
    # The next sync is an interval away, so the source is no longer due.
    assert source_id not in await due_sources(runs[0].started_at)
    assert task.done()
