"""The sync service against real CalDAV servers (Radicale, Xandikos) and both databases: what
the calendar says reaches the register; what staff entered survives; nothing is duplicated or
silently lost, whatever goes wrong."""

import asyncio
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from piccolo.engine.base import Engine

from connectors import caldav_sync
from connectors.caldav_source import CalDAVConnector
from connectors.delta import ObjectOutcome, OutcomeSink, SyncDelta, Window
from register.domain.classification import Classification
from register.domain.kinds import (
    ClassificationKind,
    Decider,
    MeetingStatus,
    PublicationState,
    SyncRunStatus,
    Visibility,
)
from register.domain.meeting import SourceKey
from register.domain.publication import PublicationAction
from register.queries import latest_published
from register.services.publication import Actor, apply_action
from register.services.sync import SourceBusyError, sync_source
from register.settings import Settings
from register.store.repositories.meetings import find_by_source_key, list_meetings, update_meeting
from register.store.repositories.sources import get_source
from register.store.transaction import current_engine, is_sqlite
from tests import factories
from tests.servers import CalDAVServer, ServerCalendar
from tests.stored import StoredRegister, store_caldav_source, store_register

NOW = datetime(2027, 1, 10, 8, 0, tzinfo=UTC)


def event(uid: str, summary: str, start: str, *, extra: str = "", minutes: int = 60) -> str:
    """A calendar object with one event at `start` (Europe/Paris wall time, YYYYMMDDTHHMMSS)."""
    begin = datetime.strptime(start, "%Y%m%dT%H%M%S").replace(tzinfo=UTC)  # wall time only
    end = (begin + timedelta(minutes=minutes)).strftime("%Y%m%dT%H%M%S")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tests//Agenda//FR",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261201T090000Z",
        f"DTSTART;TZID=Europe/Paris:{start}",
        f"DTEND;TZID=Europe/Paris:{end}",
        f"SUMMARY:{summary}",
        "ORGANIZER;CN=Marie Durand:mailto:marie.durand@ville-test.example",
        "ATTENDEE;CN=Jean Martin:mailto:jean.martin@fbv.example",
        *([extra] if extra else []),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


WEEKLY = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tests//Agenda//FR",
        "BEGIN:VEVENT",
        "UID:bureau@ville-test.example",
        "DTSTAMP:20261201T090000Z",
        "DTSTART;TZID=Europe/Paris:20270104T090000",
        "DTEND;TZID=Europe/Paris:20270104T100000",
        "RRULE:FREQ=WEEKLY;COUNT=4",
        "EXDATE;TZID=Europe/Paris:20270111T090000",
        "SUMMARY:Bureau municipal",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:bureau@ville-test.example",
        "DTSTAMP:20261201T090000Z",
        "RECURRENCE-ID;TZID=Europe/Paris:20270118T090000",
        "DTSTART;TZID=Europe/Paris:20270119T140000",
        "DTEND;TZID=Europe/Paris:20270119T150000",
        "SUMMARY:Bureau municipal (décalé)",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture
async def stored(db: Engine) -> StoredRegister:
    return await store_register()


async def _source(
    stored: StoredRegister, server: CalDAVServer, calendar: ServerCalendar, settings: Settings
) -> UUID:
    return await store_caldav_source(
        stored.owner, calendar.url, server.username, server.password, settings
    )


async def _meeting(source_id: UUID, uid: str, recurrence_id: str = ""):
    meeting = await find_by_source_key(
        SourceKey(source_id=source_id, uid=uid, recurrence_id=recurrence_id)
    )
    assert meeting is not None, uid
    return meeting


async def test_initial_sync_brings_events_and_expanded_series(
    stored: StoredRegister,
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    settings: Settings,
) -> None:
    calendar.put("fbv.ics", event("fbv@ville-test.example", "RDV FBV gare", "20270112T143000"))
    calendar.put("bureau.ics", WEEKLY)
    source_id = await _source(stored, caldav_server, calendar, settings)

    run = await sync_source(source_id, settings, now=NOW)

    assert run.status is SyncRunStatus.SUCCEEDED
    assert (run.counts.new, run.counts.changed, run.counts.cancelled, run.counts.failed) == (
        4,
        0,
        0,
        0,
    )
    fbv = await _meeting(source_id, "fbv@ville-test.example")
    assert fbv.when.starts_at == datetime(2027, 1, 12, 13, 30, tzinfo=UTC)
    assert fbv.when.timezone == "Europe/Paris"
    assert fbv.calendar.summary == "RDV FBV gare"
    assert fbv.official_id == stored.owner.id
    assert fbv.authority_id == stored.authority.id
    assert fbv.publication_state is PublicationState.DRAFT
    moved = await _meeting(source_id, "bureau@ville-test.example", "20270118T080000Z")
    assert moved.when.starts_at == datetime(2027, 1, 19, 13, 0, tzinfo=UTC)
    keys = sorted(
        m.source.recurrence_id
        for m in await list_meetings(stored.authority.id)
        if m.source and m.source.uid == "bureau@ville-test.example"
    )
    assert keys == ["20270104T080000Z", "20270118T080000Z", "20270125T080000Z"]
    source = await get_source(source_id)
    assert source is not None
    assert source[0].health.healthy
    assert source[0].health.last_success_at == NOW


async def test_unchanged_calendar_changes_nothing(
    stored: StoredRegister,
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    settings: Settings,
) -> None:
    calendar.put("fbv.ics", event("fbv@ville-test.example", "RDV FBV gare", "20270112T143000"))
    source_id = await _source(stored, caldav_server, calendar, settings)
    await sync_source(source_id, settings, now=NOW)
    before = await _meeting(source_id, "fbv@ville-test.example")

    run = await sync_source(source_id, settings, now=NOW + timedelta(minutes=5))

    assert run.status is SyncRunStatus.SUCCEEDED
    assert run.counts.new == run.counts.changed == run.counts.cancelled == 0
    assert await _meeting(source_id, "fbv@ville-test.example") == before


async def test_staff_edits_survive_a_calendar_change(
    stored: StoredRegister,
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    settings: Settings,
) -> None:
    calendar.put("fbv.ics", event("fbv@ville-test.example", "RDV FBV gare", "20270112T143000"))
    source_id = await _source(stored, caldav_server, calendar, settings)
    await sync_source(source_id, settings, now=NOW)
    synced = await _meeting(source_id, "fbv@ville-test.example")
    record = factories.complete_record(stored.owner, stored.colleague, stored.representative)
    staff_classification = Classification(
        kind=ClassificationKind.INTEREST_REPRESENTATIVE,
        confidence=1.0,
        decided_by=Decider.STAFF,
        representative_ids=(stored.representative.id,),
    )
    await update_meeting(
        synced.model_copy(update={"record": record, "classification": staff_classification})
    )
    calendar.put(
        "fbv.ics", event("fbv@ville-test.example", "RDV FBV gare (déplacé)", "20270113T100000")
    )

    run = await sync_source(source_id, settings, now=NOW + timedelta(minutes=5))

    assert run.counts.changed == 1
    after = await _meeting(source_id, "fbv@ville-test.example")
    assert after.when.starts_at == datetime(2027, 1, 13, 9, 0, tzinfo=UTC)
    assert after.calendar.summary == "RDV FBV gare (déplacé)"
    assert after.record == record
    assert after.classification == staff_classification
    assert after.id == synced.id


async def test_deleted_event_of_a_published_meeting_becomes_cancelled_not_rewritten(
    stored: StoredRegister,
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    settings: Settings,
) -> None:
    calendar.put("fbv.ics", event("fbv@ville-test.example", "RDV FBV gare", "20270112T143000"))
    calendar.put("autre.ics", event("autre@ville-test.example", "Autre", "20270114T090000"))
    source_id = await _source(stored, caldav_server, calendar, settings)
    await sync_source(source_id, settings, now=NOW)
    synced = await _meeting(source_id, "fbv@ville-test.example")
    await update_meeting(
        synced.model_copy(
            update={
                "record": factories.complete_record(
                    stored.owner, stored.colleague, stored.representative
                ),
                "classification": factories.interest_classification(stored.representative),
            }
        )
    )
    for action in (PublicationAction.MARK_READY, PublicationAction.PUBLISH):
        await apply_action(synced.id, action, actor=Actor("test"), now=NOW)
    published_before = await latest_published()
    calendar.delete("fbv.ics")

    run = await sync_source(source_id, settings, now=NOW + timedelta(minutes=5))

    assert (run.counts.cancelled, run.counts.changed, run.counts.new) == (1, 0, 0)
    after = await _meeting(source_id, "fbv@ville-test.example")
    assert after.status is MeetingStatus.CANCELLED
    assert after.publication_state is PublicationState.PUBLISHED
    # The public version changes only when staff publish a correction.
    assert await latest_published() == published_before
    other = await _meeting(source_id, "autre@ville-test.example")
    assert other.status is MeetingStatus.CONFIRMED


async def test_event_made_private_loses_its_text(
    stored: StoredRegister,
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    settings: Settings,
) -> None:
    calendar.put("rdv.ics", event("rdv@ville-test.example", "Consultation", "20270112T080000"))
    source_id = await _source(stored, caldav_server, calendar, settings)
    await sync_source(source_id, settings, now=NOW)
    calendar.put(
        "rdv.ics",
        event("rdv@ville-test.example", "Consultation", "20270112T080000", extra="CLASS:PRIVATE"),
    )

    await sync_source(source_id, settings, now=NOW + timedelta(minutes=5))

    private = await _meeting(source_id, "rdv@ville-test.example")
    assert private.calendar.visibility is Visibility.PRIVATE
    assert private.calendar.summary == ""
    assert private.calendar.attendees == ()
    assert private.classification.kind is ClassificationKind.PRIVATE
    assert private.when.starts_at == datetime(2027, 1, 12, 7, 0, tzinfo=UTC)


async def test_unreachable_server_is_recorded_and_the_next_run_recovers(
    stored: StoredRegister,
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    settings: Settings,
) -> None:
    calendar.put("fbv.ics", event("fbv@ville-test.example", "RDV FBV gare", "20270112T143000"))
    source_id = await _source(stored, caldav_server, calendar, settings)
    await sync_source(source_id, settings, now=NOW)
    found = await get_source(source_id)
    assert found is not None
    caldav_server.stop()
    try:
        failed = await sync_source(source_id, settings, now=NOW + timedelta(minutes=5))
    finally:
        caldav_server.start()

    assert failed.status is SyncRunStatus.FAILED
    assert caldav_server.base_url.split("//")[1] in failed.error
    health = (await get_source(source_id))[0].health  # type: ignore[index]
    assert health.consecutive_failures == 1
    assert health.last_error == failed.error
    assert await _meeting(source_id, "fbv@ville-test.example") is not None
    calendar.put("new.ics", event("new@ville-test.example", "Nouveau", "20270115T090000"))

    recovered = await sync_source(source_id, settings, now=NOW + timedelta(minutes=10))

    assert recovered.status is SyncRunStatus.SUCCEEDED
    assert recovered.counts.new == 1
    assert (await get_source(source_id))[0].health.healthy  # type: ignore[index]


async def test_a_malformed_object_is_reported_and_the_others_arrive(
    stored: StoredRegister,
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    settings: Settings,
) -> None:
    calendar.put("good.ics", event("good@ville-test.example", "Bon", "20270112T090000"))
    caldav_server.store_broken_object(
        calendar,
        "broken.ics",
        event("broken@ville-test.example", "Cassé", "20270112T100000").replace(
            "DTSTART;TZID=Europe/Paris:20270112T100000", "DTSTART;TZID=Europe/Paris:2027-13-45"
        ),
    )
    source_id = await _source(stored, caldav_server, calendar, settings)

    run = await sync_source(source_id, settings, now=NOW)

    assert run.status is SyncRunStatus.PARTIAL
    assert run.counts.new == 1
    assert [failure.href for failure in run.failures] == [calendar.href("broken.ics")]
    assert run.failures[0].message
    assert await _meeting(source_id, "good@ville-test.example") is not None


async def test_two_concurrent_syncs_of_one_source_never_duplicate(
    stored: StoredRegister,
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    settings: Settings,
) -> None:
    for number in range(5):
        calendar.put(
            f"e{number}.ics",
            event(
                f"e{number}@ville-test.example", f"Rendez-vous {number}", f"2027011{number}T090000"
            ),
        )
    source_id = await _source(stored, caldav_server, calendar, settings)

    outcomes = await asyncio.gather(
        sync_source(source_id, settings, now=NOW, worker="worker-a"),
        sync_source(source_id, settings, now=NOW, worker="worker-b"),
        return_exceptions=True,
    )

    runs = [o for o in outcomes if not isinstance(o, BaseException)]
    busy = [o for o in outcomes if isinstance(o, SourceBusyError)]
    assert len(runs) + len(busy) == 2
    assert sum(run.counts.new for run in runs) == 5
    assert len(await list_meetings(stored.authority.id)) == 5
    # Once the lease is released, the next run finds everything in place.
    again = await sync_source(source_id, settings, now=NOW + timedelta(minutes=1))
    assert (again.counts.new, again.counts.unchanged) == (0, 5)


async def test_the_classifier_runs_at_ingest_and_its_verdict_follows_the_calendar(
    stored: StoredRegister,
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    settings: Settings,
) -> None:
    private = event(
        "rdv@ville-test.example", "Consultation", "20270112T080000", extra="CLASS:PRIVATE"
    )
    calendar.put("rdv.ics", private)
    # The attendee's domain, fbv.example, belongs to the federation of the test directory.
    calendar.put(
        "fbv.ics", event("fbv@ville-test.example", "Visite du chantier", "20270112T143000")
    )
    source_id = await _source(stored, caldav_server, calendar, settings)
    await sync_source(source_id, settings, now=NOW)
    fbv = await _meeting(source_id, "fbv@ville-test.example")
    assert fbv.classification.kind is ClassificationKind.INTEREST_REPRESENTATIVE
    assert fbv.classification.representative_ids == (stored.representative.id,)
    assert [reason.rule for reason in fbv.classification.reasons] == ["email_domain"]
    assert (await _meeting(source_id, "rdv@ville-test.example")).classification.kind is (
        ClassificationKind.PRIVATE
    )
    calendar.put("rdv.ics", private.replace("CLASS:PRIVATE\r\n", ""))
    calendar.put(
        "fbv.ics",
        event("fbv@ville-test.example", "Point hebdo", "20270112T143000").replace(
            "ATTENDEE;CN=Jean Martin:mailto:jean.martin@fbv.example\r\n", ""
        ),
    )

    await sync_source(source_id, settings, now=NOW + timedelta(minutes=5))

    # Public again, its text is read again: its attendee is the federation's.
    public_again = await _meeting(source_id, "rdv@ville-test.example")
    assert public_again.classification.kind is ClassificationKind.INTEREST_REPRESENTATIVE
    assert public_again.calendar.summary == "Consultation"
    assert (await _meeting(source_id, "fbv@ville-test.example")).classification.kind is (
        ClassificationKind.INTERNAL
    )


async def test_a_full_load_is_written_batch_by_batch_in_one_run(
    stored: StoredRegister,
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 7: each batch of a first sync is written before the next is handed on (here
    batches of 5) on PostgreSQL; on SQLite, whose one write lock every writer shares, the
    batches are spooled to a file meanwhile and written at the end, so that another writer (a
    staff save) is not kept waiting while the server answers. The run counts and meetings are
    those of one batch either way."""
    for number in range(12):
        calendar.put(
            f"e{number}.ics",
            event(
                f"e{number}@ville-test.example",
                f"Rendez-vous {number}",
                f"202701{10 + number}T090000",
            ),
        )
    source_id = await _source(stored, caldav_server, calendar, settings)
    monkeypatch.setattr(caldav_sync, "FULL_LOAD_BATCH", 5)
    written: list[int] = []
    stored_path = current_engine().path if is_sqlite() else ""

    class Watched(CalDAVConnector):
        async def stream(
            self, state: Mapping[str, Any], window: Window, sink: OutcomeSink
        ) -> SyncDelta:
            async def noted(batch: Sequence[ObjectOutcome]) -> None:
                # Read in the run's transaction: what the batches before wrote.
                written.append(len(await list_meetings(stored.authority.id)))
                if is_sqlite():
                    await asyncio.to_thread(_write_elsewhere, stored_path)
                await sink(batch)

            return await super().stream(state, window, noted)

    connector = Watched(calendar.url, caldav_server.username, caldav_server.password)

    run = await sync_source(source_id, settings, now=NOW, connector_override=connector)

    assert written == ([0, 0, 0] if is_sqlite() else [0, 5, 10])
    assert run.status is SyncRunStatus.SUCCEEDED
    assert (run.counts.new, run.counts.changed, run.counts.cancelled) == (12, 0, 0)
    uids = {m.source.uid for m in await list_meetings(stored.authority.id) if m.source}
    assert uids == {f"e{number}@ville-test.example" for number in range(12)}


def _write_elsewhere(path: str) -> None:
    """A write by another connection, as a staff save would be, that must not wait on the sync
    (0.5 s at most: the sync's own writes would keep it waiting for the whole download)."""
    connection = sqlite3.connect(path, timeout=0.5)
    try:
        connection.execute("UPDATE authority SET name = name")
        connection.commit()
    finally:
        connection.close()
