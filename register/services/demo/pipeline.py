"""The demo's calendars go through the real pipeline: written to the demo CalDAV server,
connected as sources, synced, then completed and published by "staff" as real work would be."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import httpx
from icalendar import Event

from register.domain.kinds import SourceKind
from register.domain.meeting import Meeting, SourceKey
from register.domain.official import Official
from register.services.demo.caldav_server import USERNAME, DemoCalDAVServer
from register.services.demo.calendars import calendar_of, event_uid, meeting_event, weekly_series
from register.services.sources import add_source
from register.services.sync import sync_sources
from register.settings import Settings
from register.store.repositories.meetings import find_by_source_key, update_meeting
from register.store.transaction import writing


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
    """Write each official's calendar, with every planned meeting of theirs, as a calendar
    client imports one (a single PUT of the whole calendar); return the calendars' URLs."""
    by_official: dict[UUID, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_official[meeting.official_id].append(meeting)
    urls: dict[UUID, str] = {}
    async with httpx.AsyncClient(timeout=60) as client:
        for official in officials:
            name = f"Agenda de {official.full_name}"
            url = await server.create_calendar(client, official.slug, name)
            urls[official.id] = url
            events = [meeting_event(meeting, now) for meeting in by_official[official.id]]
            if official.id == mayor.id:
                events.extend(_bureau(mayor, now))
            await server.put(client, url, calendar_of(events, name))
    return urls


def _bureau(mayor: Official, now: datetime) -> list[Event]:
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
    async with writing():  # one commit for all, not one per meeting
        for meeting in planned:
            await _attach(meeting, sources, synced_ids)
    return synced_ids


async def _attach(
    meeting: Meeting, sources: dict[UUID, UUID], synced_ids: dict[UUID, UUID]
) -> None:
    key = SourceKey(source_id=sources[meeting.official_id], uid=event_uid(meeting))
    synced = await find_by_source_key(key)
    if synced is None:
        raise DemoSyncError(f"planned meeting {event_uid(meeting)} did not arrive by sync")
    synced_ids[meeting.id] = synced.id
    if meeting.is_private:
        return  # the sync already classified it as private, and kept no text
    await update_meeting(
        synced.model_copy(
            update={"classification": meeting.classification, "record": meeting.record}
        )
    )
