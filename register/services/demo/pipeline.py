"""The demo's calendars go through the real pipeline: written to the demo CalDAV server,
connected as sources, synced, then completed and published by "staff" as real work would be."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx

from register.domain.kinds import SourceKind
from register.domain.meeting import Meeting, SourceKey
from register.domain.official import Official
from register.services.demo.caldav_server import USERNAME, DemoCalDAVServer
from register.services.demo.calendars import event_uid, meeting_object, weekly_series
from register.services.sources import add_source
from register.services.sync import sync_sources
from register.settings import Settings
from register.store.repositories.meetings import find_by_source_key, update_meeting


class DemoSyncError(RuntimeError):
    """The demo's calendars could not be synced."""


async def publish_calendars(
    server: DemoCalDAVServer,
    officials: Sequence[Official],
    meetings: Sequence[Meeting],
    *,
    now: datetime,
    mayor: Official,
) -> dict[UUID, str]:
    """Write every planned meeting into its official's calendar; return each official's
    calendar URL."""
    by_official: dict[UUID, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_official[meeting.official_id].append(meeting)
    urls: dict[UUID, str] = {}
    async with httpx.AsyncClient(timeout=30) as client:
        for official in officials:
            url = await server.create_calendar(
                client, official.slug, f"Agenda de {official.full_name}"
            )
            urls[official.id] = url
            for meeting in by_official[official.id]:
                await server.put(client, f"{url}{meeting.id}.ics", meeting_object(meeting, now))
        await server.put(client, f"{urls[mayor.id]}bureau-municipal.ics", _bureau(mayor, now))
    return urls


def _bureau(mayor: Official, now: datetime) -> bytes:
    """The mayor's weekly "bureau municipal" on Mondays at 9:00, over the demo's months."""
    paris = ZoneInfo("Europe/Paris")
    today = now.astimezone(paris).date()
    monday = today - timedelta(days=today.weekday() + 7 * 34)
    first = datetime(monday.year, monday.month, monday.day, 9, 0, tzinfo=paris)
    return weekly_series(
        mayor,
        first=first,
        until=first + timedelta(weeks=40),
        skipped=first + timedelta(weeks=6),
        moved=first + timedelta(weeks=20),
    )


async def connect_and_sync(
    server: DemoCalDAVServer,
    officials: Sequence[Official],
    urls: dict[UUID, str],
    settings: Settings,
) -> dict[UUID, UUID]:
    """Add each official's calendar as a source, sync them all; return source ids by official."""
    sources: dict[UUID, UUID] = {}
    for official in officials:
        source = await add_source(
            official,
            kind=SourceKind.CALDAV,
            url=urls[official.id],
            username=USERNAME,
            password=server.password,
            settings=settings,
        )
        sources[official.id] = source.id
    results = await sync_sources(list(sources.values()), settings)
    failed = [result for result in results if result.failed]
    if failed:
        reason = failed[0].run.error if failed[0].run else failed[0].error
        raise DemoSyncError(f"{len(failed)} demo calendar(s) failed to sync: {reason}")
    return sources


async def attach_staff_work(
    planned: Sequence[Meeting], sources: dict[UUID, UUID]
) -> dict[UUID, UUID]:
    """Give each synced meeting what staff entered for its planned twin (classification,
    collegiality record); return the synced meeting's id for each planned id."""
    synced_ids: dict[UUID, UUID] = {}
    for meeting in planned:
        key = SourceKey(source_id=sources[meeting.official_id], uid=event_uid(meeting))
        synced = await find_by_source_key(key)
        if synced is None:
            raise DemoSyncError(f"planned meeting {event_uid(meeting)} did not arrive by sync")
        synced_ids[meeting.id] = synced.id
        if meeting.is_private:
            continue  # the sync already classified it as private, and kept no text
        await update_meeting(
            synced.model_copy(
                update={"classification": meeting.classification, "record": meeting.record}
            )
        )
    return synced_ids
