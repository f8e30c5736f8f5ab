"""Calendar servers that misbehave (issue 8), played by a fault-injecting proxy on 127.0.0.1 in
front of a real Radicale, through the register's own sync service on SQLite and PostgreSQL.

One calendar is connected twice: through the proxy (the faulty source) and directly (its twin,
which never sees a fault, and is the other source that must go on). Then, for each fault in
turn, as a flaky server's faults come over days: the calendar changes (a meeting moved, one
deleted, one added), the fault is switched on for one sync, then off for the next. For every
fault: the faulty source's run records a precise error (or the failing object, when only one is
at fault), the twin syncs, the next run recovers, and the faulty source's meetings are exactly
the twin's, field by field of what the calendar owns.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from connectors.caldav_source import CalDAVConnector
from connectors.delta import Window
from register.domain.kinds import MeetingStatus, SourceKind, SyncRunStatus
from register.domain.source import SyncRun
from register.services.connector_factory import ConnectorLimits
from register.services.sources import add_source
from register.services.sync import SourceResult, sync_sources
from register.settings import Settings
from register.store.repositories.sources import get_source
from tests.faults.calendars import calendar_view, event
from tests.faults.proxy import HUGE_NAME, Fault, FaultKind, FaultProxy
from tests.servers import RadicaleServer, ServerCalendar
from tests.stored import StoredRegister

WINDOW = Window(start=datetime(2026, 12, 1, tzinfo=UTC), end=datetime(2027, 6, 1, tzinfo=UTC))

# One worker, one Radicale, for every test of this folder.
pytestmark = pytest.mark.xdist_group("faults")

LIMITS = ConnectorLimits(timeout=5.0, retries=0)
"""No retry (the retries are the contract suite's), and a wait long enough for a busy
machine."""

STALL_LIMITS = ConnectorLimits(timeout=2.0, retries=0)
"""A stalled server costs two seconds, not two minutes (and the twin, synced with the same
limits, still has time on a busy machine)."""

TRICKLE_LIMITS = ConnectorLimits(timeout=2.0, retries=0, deadline=4.0)
"""A server that trickles its answer is given up after four seconds."""


WEEKLY = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//Agenda//FR\r\n"
    "BEGIN:VEVENT\r\nUID:bureau@ville-test.example\r\nDTSTAMP:20261201T090000Z\r\n"
    "DTSTART;TZID=Europe/Paris:20270104T090000\r\nDTEND;TZID=Europe/Paris:20270104T100000\r\n"
    "RRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Bureau municipal\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:bureau@ville-test.example\r\nDTSTAMP:20261201T090000Z\r\n"
    "RECURRENCE-ID;TZID=Europe/Paris:20270118T090000\r\n"
    "DTSTART;TZID=Europe/Paris:20270119T140000\r\nDTEND;TZID=Europe/Paris:20270119T150000\r\n"
    "SUMMARY:Bureau municipal (décalé)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def fill(folder: Path) -> None:
    """The calendar's first objects. Written into Radicale's storage folder, which it serves
    as it finds it (as after an edit by another program): a PUT costs a tenth of a second,
    and each test writes seven objects."""
    (folder / "fbv.ics").write_text(event("fbv@ville-test.example", "RDV FBV gare", 12))
    (folder / "bureau.ics").write_text(WEEKLY)
    (folder / "deplace.ics").write_text(event("deplace@ville-test.example", "Point chantier", 13))
    (folder / "annule.ics").write_text(event("annule@ville-test.example", "Visite usine", 14))


def change(folder: Path, step: int) -> None:
    """What happens in the calendar between two syncs: a meeting moved and renamed, the one
    added at the step before deleted (at the first step, another one), one added."""
    (folder / "deplace.ics").write_text(
        event("deplace@ville-test.example", f"Point chantier ({step})", 13, 8 + step % 10)
    )
    previous = folder / (f"ajout-{step - 1}.ics" if step > 1 else "annule.ics")
    previous.unlink()
    (folder / f"ajout-{step}.ics").write_text(
        event(f"ajout-{step}@ville-test.example", f"Fédération du BTP ({step})", 1 + step % 28)
    )


def added(step: int) -> tuple[str, str]:
    return (f"ajout-{step}@ville-test.example", "")


def deleted(step: int) -> tuple[str, str]:
    return (f"ajout-{step - 1}@ville-test.example" if step > 1 else "annule@ville-test.example", "")


@dataclass(frozen=True)
class Case:
    """A fault, the status the faulty source's run then gets, and what its record must say."""

    fault: Fault | None
    status: SyncRunStatus
    says: str
    refuse: bool = False
    limits: ConnectorLimits = LIMITS
    forget_tokens: bool = False


CALDAV_CASES: dict[str, Case] = {
    "connection-refused": Case(None, SyncRunStatus.FAILED, "connection refused", refuse=True),
    "reset-during-listing": Case(
        Fault(FaultKind.RESET, body_contains="sync-collection"),
        SyncRunStatus.FAILED,
        "while listing the changes to calendar",
    ),
    "reset-during-data": Case(
        Fault(FaultKind.RESET, body_contains="calendar-multiget"),
        SyncRunStatus.FAILED,
        "the connection was cut in the middle of the answer",
    ),
    "stalled-past-the-timeout": Case(
        Fault(FaultKind.STALL), SyncRunStatus.FAILED, "no answer within 2 s", limits=STALL_LIMITS
    ),
    "answer-trickled-past-the-deadline": Case(
        Fault(FaultKind.TRICKLE),
        SyncRunStatus.FAILED,
        "did not finish answering within 4 s",
        limits=TRICKLE_LIMITS,
    ),
    "server-error-503": Case(
        Fault(FaultKind.SERVER_ERROR), SyncRunStatus.FAILED, "answered HTTP 503"
    ),
    "truncated-listing": Case(
        Fault(FaultKind.TRUNCATE, body_contains="sync-collection"),
        SyncRunStatus.FAILED,
        "could not be read while listing the changes",
    ),
    "truncated-data": Case(
        Fault(FaultKind.TRUNCATE, body_contains="calendar-multiget"),
        SyncRunStatus.FAILED,
        "could not be read while fetching the changed events",
    ),
    "malformed-xml-listing": Case(
        Fault(FaultKind.CORRUPT, body_contains="sync-collection"),
        SyncRunStatus.FAILED,
        "sent an answer that could not be read while listing the changes",
    ),
    "malformed-xml-data": Case(
        Fault(FaultKind.CORRUPT, body_contains="calendar-multiget"),
        SyncRunStatus.FAILED,
        "sent an answer that could not be read while fetching the changed events",
    ),
    "login-page-instead-of-xml": Case(
        Fault(FaultKind.LOGIN_PAGE),
        SyncRunStatus.FAILED,
        "is not a WebDAV multistatus (RFC 4918 §13) but text/html",
    ),
    "calendar-data-not-icalendar": Case(
        Fault(FaultKind.NOT_ICALENDAR, body_contains="calendar-multiget"),
        SyncRunStatus.PARTIAL,
        "not iCalendar",
    ),
    "event-of-50-mb": Case(Fault(FaultKind.HUGE_EVENT), SyncRunStatus.PARTIAL, "larger than 8 MB"),
    "sync-token-forgotten-by-the-server": Case(
        None, SyncRunStatus.SUCCEEDED, "", forget_tokens=True
    ),
}

ICS_CASES: dict[str, Case] = {
    "connection-refused": Case(None, SyncRunStatus.FAILED, "connection refused", refuse=True),
    "reset": Case(Fault(FaultKind.RESET), SyncRunStatus.FAILED, "connection reset by peer"),
    "stalled-past-the-timeout": Case(
        Fault(FaultKind.STALL), SyncRunStatus.FAILED, "no answer within 2 s", limits=STALL_LIMITS
    ),
    "server-error-503": Case(
        Fault(FaultKind.SERVER_ERROR), SyncRunStatus.FAILED, "the server answered 503"
    ),
    "truncated": Case(Fault(FaultKind.TRUNCATE), SyncRunStatus.FAILED, "END:VCALENDAR is missing"),
    "body-not-icalendar": Case(
        Fault(FaultKind.NOT_ICALENDAR),
        SyncRunStatus.FAILED,
        "did not return an iCalendar feed: not valid iCalendar: it begins with '<html>",
    ),
    "feed-of-50-mb": Case(
        Fault(FaultKind.HUGE_EVENT), SyncRunStatus.FAILED, "sent more than 20 MB"
    ),
}


@dataclass(frozen=True)
class Twins:
    """One calendar connected through the proxy (`faulty`) and directly (`twin`)."""

    calendar: ServerCalendar
    folder: Path
    faulty: UUID
    twin: UUID


async def connect_twins(
    kind: SourceKind,
    stored: StoredRegister,
    radicale: RadicaleServer,
    proxy: FaultProxy,
    settings: Settings,
) -> Twins:
    calendar = radicale.make_calendar(f"agenda-{uuid4().hex[:10]}", "Agenda de Marie Durand")
    folder = radicale.collection_folder(calendar)
    fill(folder)
    sources = []
    for official, base in ((stored.owner, proxy.url), (stored.colleague, radicale.base_url)):
        source = await add_source(
            official,
            kind=kind,
            url=base + calendar.path,
            username=radicale.username,
            password=radicale.password,
            settings=settings,
        )
        sources.append(source.id)
    return Twins(calendar, folder, *sources)


async def sync_both(
    twins: Twins, settings: Settings, limits: ConnectorLimits = LIMITS
) -> tuple[SyncRun, SyncRun]:
    results = await sync_sources([twins.faulty, twins.twin], settings, limits=limits, concurrency=2)
    faulty, twin = (_run(result) for result in results)
    assert twin.status is SyncRunStatus.SUCCEEDED, twin.error  # the other source goes on
    return faulty, twin


def _run(result: SourceResult) -> SyncRun:
    assert result.run is not None, result.error  # no bug escaped the run's record
    return result.run


@dataclass
class Outcome:
    """What the faulty source's run under each fault was, and what the proxy saw then."""

    runs: dict[str, SyncRun]
    methods: dict[str, list[str]]


async def check_faults(  # noqa: PLR0917 - the test's fixtures, handed on
    cases: dict[str, Case],
    kind: SourceKind,
    stored: StoredRegister,
    radicale: RadicaleServer,
    proxy: FaultProxy,
    settings: Settings,
) -> Outcome:
    """Sync; then for each fault in turn, change the calendar, sync under the fault and again
    without it, checking each time what every fault must leave behind."""
    twins = await connect_twins(kind, stored, radicale, proxy, settings)
    first, _ = await sync_both(twins, settings)
    assert first.status is SyncRunStatus.SUCCEEDED, first.error
    assert len(await calendar_view(stored, twins.faulty)) == 7
    outcome = Outcome({}, {})
    for step, (name, case) in enumerate(cases.items(), start=1):
        before = await calendar_view(stored, twins.faulty)
        change(twins.folder, step)
        proxy.seen.clear()
        faulty = await _sync_under(case, twins, radicale, proxy, settings)
        outcome.runs[name] = faulty
        outcome.methods[name] = [seen.method for seen in proxy.seen]
        assert faulty.status is case.status, (name, faulty)
        found = await get_source(twins.faulty)
        assert found is not None
        health = found[0].health
        if case.status is SyncRunStatus.FAILED:
            assert case.says in faulty.error, (name, faulty.error)
            assert health.consecutive_failures == 1, name
            assert health.last_error == faulty.error, name
            # A failed run changes no meeting.
            assert await calendar_view(stored, twins.faulty) == before, name
        else:
            assert all(case.says in failure.message for failure in faulty.failures), name
            assert health.healthy, name

        recovered, _ = await sync_both(twins, settings)
        assert recovered.status is SyncRunStatus.SUCCEEDED, (name, recovered)
        after = await calendar_view(stored, twins.faulty)
        assert after == await calendar_view(stored, twins.twin), name
        assert after[deleted(step)][1] is MeetingStatus.CANCELLED, name
        assert after[added(step)][2].summary == f"Fédération du BTP ({step})", name
        found = await get_source(twins.faulty)
        assert found is not None
        assert found[0].health.healthy, name
    return outcome


async def _sync_under(
    case: Case, twins: Twins, radicale: RadicaleServer, proxy: FaultProxy, settings: Settings
) -> SyncRun:
    if case.refuse:
        with proxy.refusing():
            faulty, _ = await sync_both(twins, settings, case.limits)
        return faulty
    if case.forget_tokens:
        radicale.forget_sync_tokens(twins.calendar)
        faulty, _ = await sync_both(twins, settings, case.limits)
        return faulty
    assert case.fault is not None
    with proxy.faulty(case.fault):
        faulty, _ = await sync_both(twins, settings, case.limits)
    assert proxy.faults_served() >= 1
    return faulty


async def test_caldav_faults_are_recorded_and_the_next_run_recovers(
    stored: StoredRegister,
    radicale: RadicaleServer,
    proxy: FaultProxy,
    settings: Settings,
) -> None:
    outcome = await check_faults(CALDAV_CASES, SourceKind.CALDAV, stored, radicale, proxy, settings)

    huge = outcome.runs["event-of-50-mb"]
    assert [failure.href.rsplit("/", 1)[1] for failure in huge.failures] == [HUGE_NAME]
    assert huge.counts.new == 1  # the others arrived all the same
    # Read as it arrived and dropped at the limit: far from 50 MB were taken in.
    assert proxy.huge_sent
    assert max(proxy.huge_sent) < 24 * 1024 * 1024
    garbled = outcome.runs["calendar-data-not-icalendar"]
    failed = sorted(failure.href.rsplit("/", 1)[1] for failure in garbled.failures)
    step = list(CALDAV_CASES).index("calendar-data-not-icalendar") + 1
    assert failed == [f"ajout-{step}.ics", "deplace.ics"]
    # A forgotten token (DAV:valid-sync-token refused): every ETag listed, then only the
    # changed objects fetched.
    forgotten = "sync-token-forgotten-by-the-server"
    assert outcome.methods[forgotten] == ["REPORT", "PROPFIND", "REPORT"]
    counts = outcome.runs[forgotten].counts
    assert (counts.new, counts.changed, counts.cancelled) == (1, 1, 1)


# The feed's faults end where the CalDAV ones do (a failed run recorded by the same service,
# tested on both engines): SQLite alone keeps the suite's time.
@pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)
async def test_ics_feed_faults_are_recorded_and_the_next_run_recovers(
    stored: StoredRegister,
    radicale: RadicaleServer,
    proxy: FaultProxy,
    settings: Settings,
) -> None:
    await check_faults(ICS_CASES, SourceKind.ICS, stored, radicale, proxy, settings)

    assert proxy.huge_sent
    assert max(proxy.huge_sent) < 36 * 1024 * 1024


@pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)  # the connector's state
async def test_an_event_garbled_then_deleted_becomes_cancelled(
    stored: StoredRegister,
    radicale: RadicaleServer,
    proxy: FaultProxy,
    settings: Settings,
) -> None:
    """An object waiting to be read again (its data was not iCalendar) that is deleted before
    the next sync is cancelled like any other, not forgotten with its meeting confirmed."""
    twins = await connect_twins(SourceKind.CALDAV, stored, radicale, proxy, settings)
    await sync_both(twins, settings)
    change(twins.folder, 1)
    with proxy.faulty(Fault(FaultKind.NOT_ICALENDAR, body_contains="calendar-multiget")):
        garbled, _ = await sync_both(twins, settings)
    assert garbled.status is SyncRunStatus.PARTIAL
    (twins.folder / "deplace.ics").unlink()

    after, _ = await sync_both(twins, settings)

    assert after.status is SyncRunStatus.SUCCEEDED
    view = await calendar_view(stored, twins.faulty)
    twin = await calendar_view(stored, twins.twin)
    gone = ("deplace@ville-test.example", "")
    assert view[gone][1] is twin[gone][1] is MeetingStatus.CANCELLED
    # The rest as the twin has it (the cancelled one keeps the last text each source read).
    del view[gone], twin[gone]
    assert view == twin


async def test_a_50_mb_event_at_the_first_sync_is_refused_alone(
    radicale: RadicaleServer, proxy: FaultProxy
) -> None:
    """A first sync reads every event in one calendar-query: its answer is dropped at the large
    object, the calendar listed, and the others fetched by multiget."""
    calendar = radicale.make_calendar(f"agenda-{uuid4().hex[:10]}", "Agenda de Marie Durand")
    fill(radicale.collection_folder(calendar))
    connector = CalDAVConnector(
        proxy.url + calendar.path, radicale.username, radicale.password, timeout=5, retries=0
    )

    with proxy.faulty(Fault(FaultKind.HUGE_EVENT)):
        delta = await connector.sync({}, WINDOW)

    names = sorted(change.href.rsplit("/", 1)[1] for change in delta.changed)
    assert names == ["annule.ics", "bureau.ics", "deplace.ics", "fbv.ics"]
    assert [failure.href.rsplit("/", 1)[1] for failure in delta.failed] == [HUGE_NAME]
    assert [seen.method for seen in proxy.seen][-3:] == ["REPORT", "PROPFIND", "REPORT"]
    assert max(proxy.huge_sent) < 24 * 1024 * 1024
    # Not read again while it does not change.
    again = await connector.sync(delta.state, WINDOW)
    assert (again.changed, again.failed, again.removed) == ((), (), ())
