"""The contract every CalDAV server we support must pass with the connector, run against real
Radicale and Xandikos servers (vdirsyncer's approach): what another client does to a calendar is
reported by the next sync exactly, cheaply, and without loss, whatever goes wrong on the way.

Request counts are asserted exactly: they are what a sync costs an official's server every few
minutes. Radicale asks for credentials, so a first sync there has one more request (the 401
challenge that settles the scheme, remembered in the state afterwards).
"""

import copy
import multiprocessing
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from connectors import caldav_sync, object_parser
from connectors.caldav_source import CalDAVConnector
from connectors.delta import ObjectOutcome, SourceUnreachableError, SyncDelta, Window
from connectors.remote_event import EventKey, RemoteEvent
from register.domain.kinds import Visibility
from tests.servers import CalDAVServer, ServerCalendar

Connect = Callable[..., CalDAVConnector]

DOMAIN = "ville-bellerive.fr"

PARIS = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""


def escaped(text: str) -> str:
    """A TEXT value as RFC 5545 §3.3.11 writes it."""
    for special in ("\\", ",", ";"):
        text = text.replace(special, "\\" + special)
    return text.replace("\n", "\\n")


def vevent(
    uid: str,
    summary: str,
    start: str,
    end: str,
    *,
    location: str = "Hôtel de ville, salle du conseil",
    description: str = "",
    extra: str = "",
    sequence: int = 0,
) -> str:
    """One VEVENT, times in Europe/Paris (`20270112T100000`); `extra` adds raw lines."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261120T090000Z",
        f"DTSTART;TZID=Europe/Paris:{start}",
        f"DTEND;TZID=Europe/Paris:{end}",
        f"SUMMARY:{escaped(summary)}",
        f"LOCATION:{escaped(location)}",
        f"SEQUENCE:{sequence}",
        f"ORGANIZER;CN=Marie Dupont:mailto:marie.dupont@{DOMAIN}",
        f"ATTENDEE;CN=Paul Petit;ROLE=REQ-PARTICIPANT:mailto:paul.petit@{DOMAIN}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escaped(description)}")
    if extra:
        lines.extend(extra.strip().splitlines())
    lines.append("END:VEVENT")
    return "\n".join(lines)


def vcalendar(*events: str) -> str:
    """A calendar object as Thunderbird writes one: CRLF lines, the zone it uses included."""
    text = "\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
            PARIS,
            *events,
            "END:VCALENDAR",
        ]
    )
    return text.replace("\n", "\r\n") + "\r\n"


def meeting_ffb(summary: str = "Rencontre avec la Fédération française du bâtiment") -> str:
    return vcalendar(
        vevent(
            f"rdv-ffb-20270112@{DOMAIN}",
            summary,
            "20270112T100000",
            "20270112T110000",
            description="ZAC des Rives : calendrier des travaux et clauses d'insertion.",
            extra=f"ATTENDEE;CN=Claire Martin (FFB);ROLE=REQ-PARTICIPANT:mailto:c.martin@{DOMAIN}",
        )
    )


def meeting_veolia(start: str = "20270114T143000", end: str = "20270114T153000") -> str:
    return vcalendar(
        vevent(
            f"rdv-veolia-20270114@{DOMAIN}",
            "Entretien avec Veolia Eau : renouvellement de la DSP eau potable",
            start,
            end,
            location="Mairie annexe du Port, bureau 12",
        )
    )


def meeting_fnsea(visibility: str = "") -> str:
    return vcalendar(
        vevent(
            f"rdv-fnsea-20270119@{DOMAIN}",
            "Déjeuner de travail avec la FDSEA : circuits courts en restauration scolaire",
            "20270119T123000",
            "20270119T140000",
            location="Restaurant Le Bellerive",
            extra=f"CLASS:{visibility}" if visibility else "",
        )
    )


WEEKLY_UID = f"point-urbanisme@{DOMAIN}"


def weekly_town_planning() -> str:
    """Eight Monday meetings from 4 January 2027; the 18th cancelled (EXDATE), the 25th moved
    to 11:00 (an override, RECURRENCE-ID)."""
    master = vevent(
        WEEKLY_UID,
        "Point hebdomadaire avec l'adjoint à l'urbanisme",
        "20270104T090000",
        "20270104T100000",
        location="Bureau du maire",
        extra="RRULE:FREQ=WEEKLY;COUNT=8\nEXDATE;TZID=Europe/Paris:20270118T090000",
    )
    moved = vevent(
        WEEKLY_UID,
        "Point hebdomadaire avec l'adjoint à l'urbanisme (décalé)",
        "20270125T110000",
        "20270125T120000",
        location="Bureau du maire",
        extra="RECURRENCE-ID;TZID=Europe/Paris:20270125T090000",
        sequence=1,
    )
    return vcalendar(master, moved)


def saturday_office_hours() -> str:
    """A weekly series without end, to see recurrences appear as the window moves."""
    return vcalendar(
        vevent(
            f"permanence-elus@{DOMAIN}",
            "Permanence des élus",
            "20270501T100000",
            "20270501T120000",
            location="Mairie, accueil",
            extra="RRULE:FREQ=WEEKLY;BYDAY=SA",
        )
    )


def phone_meeting(start: str = "demain-matin") -> str:
    """By default an object our parser refuses: its DTSTART is not a date-time."""
    return vcalendar(
        vevent(
            f"rdv-casse@{DOMAIN}",
            "Rendez-vous saisi sur un vieux téléphone",
            start,
            "20270120T110000",
        )
    )


FFB = f"rdv-ffb-20270112@{DOMAIN}.ics"
VEOLIA = "veolia-dsp-eau.ics"
WEEKLY = f"point-urbanisme@{DOMAIN}.ics"
FNSEA = "fdsea-restauration-scolaire.ics"
VELO = "association-velo-cite.ics"
BROKEN_NAME = "rendez-vous-casse.ics"
SATURDAYS = "permanence-elus.ics"


def meeting_velo() -> str:
    return vcalendar(
        vevent(
            f"rdv-velo-cite-20270121@{DOMAIN}",
            "Rencontre avec l'association Vélo-Cité : plan vélo 2027-2030",
            "20270121T180000",
            "20270121T190000",
        )
    )


def fill(calendar: ServerCalendar, *names: str) -> None:
    """Write the diary's objects, in their first version, as another client would."""
    texts: dict[str, Callable[[], str]] = {
        FFB: meeting_ffb,
        VEOLIA: meeting_veolia,
        WEEKLY: weekly_town_planning,
        FNSEA: meeting_fnsea,
        VELO: meeting_velo,
        SATURDAYS: saturday_office_hours,
    }
    for name in names:
        calendar.put(name, texts[name]())


def changed(delta: SyncDelta) -> set[str]:
    return {change.href for change in delta.changed}


def events(delta: SyncDelta, href: str) -> tuple[RemoteEvent, ...]:
    [found] = [change for change in delta.changed if change.href == href]
    return found.events


def keys(delta: SyncDelta) -> set[EventKey]:
    return {event.key for change in delta.changed for event in change.events}


def first_sync_requests(server: CalDAVServer) -> int:
    """PROPFIND (what the URL is, its sync token) and the calendar-query REPORT; plus the 401
    challenge where the server asks for credentials."""
    return 2 + (1 if server.username else 0)


def paris(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A winter time in Paris, in UTC (CET is UTC+1)."""
    return datetime(year, month, day, hour - 1, minute, tzinfo=UTC)


async def test_first_sync_reports_every_event_with_stable_keys(
    caldav_server: CalDAVServer, calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    fill(calendar, FFB, VEOLIA, WEEKLY)

    delta = await connect(calendar.url).sync({}, window)

    assert delta.full
    assert changed(delta) == {calendar.href(FFB), calendar.href(VEOLIA), calendar.href(WEEKLY)}
    assert (delta.removed, delta.failed, delta.unchanged) == ((), (), 0)
    assert delta.requests == first_sync_requests(caldav_server)
    assert all(change.etag for change in delta.changed)
    [ffb] = events(delta, calendar.href(FFB))
    assert ffb.key == EventKey(uid=f"rdv-ffb-20270112@{DOMAIN}")
    assert ffb.href == calendar.href(FFB) == f"{calendar.path}rdv-ffb-20270112@{DOMAIN}.ics"
    assert (ffb.start, ffb.end) == (paris(2027, 1, 12, 10), paris(2027, 1, 12, 11))
    assert ffb.timezone == "Europe/Paris"
    assert ffb.summary == "Rencontre avec la Fédération française du bâtiment"
    assert ffb.location == "Hôtel de ville, salle du conseil"
    assert ffb.organizer is not None
    assert ffb.organizer.email == f"marie.dupont@{DOMAIN}"
    assert {person.name for person in ffb.attendees} == {"Paul Petit", "Claire Martin (FFB)"}
    assert ffb.visibility is Visibility.PUBLIC

    again = await connect(calendar.url).sync({}, window)
    assert keys(again) == keys(delta)
    assert {(change.href, change.etag) for change in again.changed} == {
        (change.href, change.etag) for change in delta.changed
    }


async def test_recurring_series_is_expanded_with_its_override_and_exclusion(
    calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    fill(calendar, WEEKLY)

    delta = await connect(calendar.url).sync({}, window)

    occurrences = events(delta, calendar.href(WEEKLY))
    assert [event.key.recurrence_id for event in occurrences] == [
        "20270104T080000Z",
        "20270111T080000Z",
        "20270125T080000Z",  # moved, still known by its original start
        "20270201T080000Z",
        "20270208T080000Z",
        "20270215T080000Z",
        "20270222T080000Z",
    ]
    assert {event.key.uid for event in occurrences} == {WEEKLY_UID}
    moved = occurrences[2]
    assert (moved.start, moved.end) == (paris(2027, 1, 25, 11), paris(2027, 1, 25, 12))
    assert moved.summary.endswith("(décalé)")
    assert all(event.start.hour == 8 for event in occurrences if event is not moved)


async def test_changes_by_another_client_are_reported_exactly(
    calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    fill(calendar, FFB, VEOLIA, WEEKLY, FNSEA)
    source = connect(calendar.url)
    first = await source.sync({}, window)

    fill(calendar, VELO)  # added
    calendar.put(FFB, meeting_ffb(summary="Rencontre avec la FFB (ordre du jour modifié)"))
    calendar.put(VEOLIA, meeting_veolia(start="20270115T090000", end="20270115T100000"))  # moved
    calendar.delete(WEEKLY)
    delta = await source.sync(first.state, window)

    assert not delta.full
    assert changed(delta) == {calendar.href(VELO), calendar.href(FFB), calendar.href(VEOLIA)}
    assert delta.removed == (calendar.href(WEEKLY),)
    assert (delta.failed, delta.unchanged) == ((), 1)
    assert delta.requests == 2  # sync-collection REPORT, one calendar-multiget
    [ffb] = events(delta, calendar.href(FFB))
    assert ffb.summary == "Rencontre avec la FFB (ordre du jour modifié)"
    [veolia] = events(delta, calendar.href(VEOLIA))
    assert (veolia.start, veolia.end) == (paris(2027, 1, 15, 9), paris(2027, 1, 15, 10))

    quiet = await source.sync(delta.state, window)
    assert (quiet.changed, quiet.removed, quiet.failed) == ((), (), ())
    assert (quiet.unchanged, quiet.requests, quiet.full) == (4, 1, False)


async def test_unchanged_calendar_costs_one_request(
    calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    fill(calendar, FFB, VEOLIA, WEEKLY)
    source = connect(calendar.url)
    first = await source.sync({}, window)

    delta = await source.sync(first.state, window)

    assert (delta.changed, delta.removed, delta.failed, delta.full) == ((), (), (), False)
    assert (delta.unchanged, delta.requests) == (3, 1)
    assert delta.state == first.state


async def test_deletion_alone_costs_one_request(
    calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    fill(calendar, FFB, VEOLIA)
    source = connect(calendar.url)
    first = await source.sync({}, window)

    calendar.delete(VEOLIA)
    delta = await source.sync(first.state, window)

    assert (delta.changed, delta.removed) == ((), (calendar.href(VEOLIA),))
    assert (delta.unchanged, delta.requests) == (1, 1)


async def test_event_made_private_is_reported_private(
    calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    fill(calendar, FNSEA, FFB)
    source = connect(calendar.url)
    first = await source.sync({}, window)
    [lunch] = events(first, calendar.href(FNSEA))
    assert lunch.visibility is Visibility.PUBLIC

    calendar.put(FNSEA, meeting_fnsea(visibility="PRIVATE"))
    delta = await source.sync(first.state, window)

    assert changed(delta) == {calendar.href(FNSEA)}
    assert delta.requests == 2
    [lunch] = events(delta, calendar.href(FNSEA))
    assert lunch.visibility is Visibility.PRIVATE
    assert lunch.key.uid == f"rdv-fnsea-20270119@{DOMAIN}"


def forge(token: str, how: str) -> str:
    return token[:-8] + "0badc0de" if how == "unknown" else "n'importe quoi"


@pytest.mark.parametrize("how", ["unknown", "garbled"])
async def test_invalid_sync_token_gives_clean_resync(
    calendar: ServerCalendar, connect: Connect, window: Window, how: str
) -> None:
    """A refused token (Radicale 403, Xandikos 412, DAV:valid-sync-token) → ETag comparison:
    no duplicates, the deletion made meanwhile reported, only the changed object fetched."""
    fill(calendar, FFB, VEOLIA, WEEKLY)
    source = connect(calendar.url)
    first = await source.sync({}, window)
    state: dict[str, Any] = copy.deepcopy(first.state)
    for stored in state["calendars"].values():
        stored["sync_token"] = forge(stored["sync_token"], how)

    calendar.delete(VEOLIA)
    calendar.put(FFB, meeting_ffb(summary="Rencontre avec la FFB (reportée)"))
    delta = await source.sync(state, window)

    assert delta.full
    assert changed(delta) == {calendar.href(FFB)}
    assert delta.removed == (calendar.href(VEOLIA),)
    assert (delta.failed, delta.unchanged) == ((), 1)
    assert delta.requests == 3  # refused REPORT, PROPFIND Depth 1, calendar-multiget
    again = await source.sync(delta.state, window)
    assert (again.changed, again.removed, again.requests) == ((), (), 1)


async def test_sync_token_forgotten_by_the_server_gives_clean_resync(
    caldav_server: CalDAVServer, calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    fill(calendar, FFB, VEOLIA, WEEKLY)
    source = connect(calendar.url)
    first = await source.sync({}, window)

    calendar.delete(WEEKLY)
    caldav_server.forget_sync_tokens(calendar)
    delta = await source.sync(first.state, window)

    assert delta.full
    assert (delta.changed, delta.removed) == ((), (calendar.href(WEEKLY),))
    assert (delta.unchanged, delta.requests) == (2, 2)  # refused REPORT, PROPFIND Depth 1
    fill(calendar, VELO)
    after = await source.sync(delta.state, window)
    assert changed(after) == {calendar.href(VELO)}
    assert (after.removed, after.full, after.requests) == ((), False, 2)


async def test_server_outage_fails_cleanly_then_sync_catches_up(
    caldav_server: CalDAVServer, calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    timeout, retries, backoff = 1.0, 2, 0.05
    source = connect(calendar.url, timeout=timeout, retries=retries, backoff=backoff)
    fill(calendar, FFB, VEOLIA, WEEKLY)
    first = await source.sync({}, window)
    fill(calendar, VELO)  # changed before the outage

    caldav_server.stop()
    try:
        started = time.monotonic()
        with pytest.raises(SourceUnreachableError) as refused:
            await source.sync(first.state, window)
        elapsed = time.monotonic() - started
    finally:
        caldav_server.start()

    budget = (retries + 1) * timeout + backoff * (2**retries - 1)
    assert elapsed < budget + 0.5
    message = str(refused.value)
    assert f"127.0.0.1:{caldav_server.port}" in message
    assert "connection refused" in message
    assert "gave up after 3 attempts" in message

    calendar.delete(WEEKLY)  # changed after the outage
    delta = await source.sync(first.state, window)
    assert changed(delta) == {calendar.href(VELO)}
    assert delta.removed == (calendar.href(WEEKLY),)
    assert (delta.failed, delta.unchanged, delta.requests) == ((), 2, 2)


async def test_malformed_object_fails_alone(
    caldav_server: CalDAVServer, calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    fill(calendar, FFB, VEOLIA)
    source = connect(calendar.url)
    first = await source.sync({}, window)

    caldav_server.store_broken_object(calendar, BROKEN_NAME, phone_meeting())
    fill(calendar, FNSEA)
    delta = await source.sync(first.state, window)

    assert changed(delta) == {calendar.href(FNSEA)}
    assert delta.requests == 2  # sync-collection REPORT, one multiget for both objects
    [failure] = delta.failed
    assert failure.href == calendar.href(BROKEN_NAME)
    assert "DTSTART" in failure.message
    assert f"rdv-casse@{DOMAIN}" in failure.message

    from_scratch = await source.sync({}, window)
    assert changed(from_scratch) == {
        calendar.href(FFB),
        calendar.href(VEOLIA),
        calendar.href(FNSEA),
    }
    assert [failure.href for failure in from_scratch.failed] == [calendar.href(BROKEN_NAME)]

    quiet = await source.sync(delta.state, window)  # not fetched again until it changes
    assert (quiet.changed, quiet.failed, quiet.requests) == ((), (), 1)
    calendar.delete(BROKEN_NAME)  # Xandikos cannot replace what it cannot parse (500)
    calendar.put(BROKEN_NAME, phone_meeting(start="20270120T100000"))  # repaired by its author
    repaired = await source.sync(quiet.state, window)
    assert (changed(repaired), repaired.failed) == ({calendar.href(BROKEN_NAME)}, ())


async def test_objects_read_in_worker_processes_arrive_alike(
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    connect: Connect,
    window: Window,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A big first sync reads its objects in worker processes (from `POOL_FROM` objects, here
    lowered to 1): the same occurrences, the malformed object failing alone, no worker left."""
    fill(calendar, FFB, VEOLIA, WEEKLY)
    caldav_server.store_broken_object(calendar, BROKEN_NAME, phone_meeting())
    in_thread = await connect(calendar.url).sync({}, window)
    pools: list[ProcessPoolExecutor] = []

    class Watched(ProcessPoolExecutor):
        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            pools.append(self)

    monkeypatch.setattr(object_parser, "POOL_FROM", 1)
    monkeypatch.setattr(object_parser, "ProcessPoolExecutor", Watched)

    pooled = await connect(calendar.url).sync({}, window)

    assert len(pools) == (1 if object_parser.available_cores() > 1 else 0)
    assert sorted(pooled.changed, key=lambda change: change.href) == sorted(
        in_thread.changed, key=lambda change: change.href
    )
    assert len(pooled.changed) == 3
    assert pooled.failed == in_thread.failed
    assert [failure.href for failure in pooled.failed] == [calendar.href(BROKEN_NAME)]
    assert multiprocessing.active_children() == []


# Xandikos has no authentication of its own (it is meant to sit behind a proxy that does it).
@pytest.mark.parametrize("caldav_server", ["radicale"], indirect=True)
async def test_wrong_password_is_refused_credentials_without_retry(
    caldav_server: CalDAVServer, calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    assert caldav_server.username
    source = connect(calendar.url, password="mot-de-passe-périmé", retries=3, backoff=5.0)

    started = time.monotonic()
    with pytest.raises(SourceUnreachableError) as refused:
        await source.sync({}, window)

    assert time.monotonic() - started < 2.0  # a retry would have waited 5 s first
    message = str(refused.value)
    assert "refused the credentials" in message
    assert "HTTP 401" in message
    assert caldav_server.username in message


@pytest.mark.parametrize("address", ["principal", "server root"])
async def test_principal_url_syncs_every_event_calendar(
    caldav_server: CalDAVServer,
    calendar: ServerCalendar,
    connect: Connect,
    window: Window,
    address: str,
) -> None:
    """Every calendar of the principal that may hold events, found from the principal's URL or
    from the server's root (which names the current user's principal, RFC 5397)."""
    cabinet = caldav_server.make_calendar(f"cabinet-{calendar.name}", "Réunions de cabinet")
    tasks = caldav_server.make_calendar(f"taches-{calendar.name}", "Tâches", ("VTODO",))
    fill(calendar, FFB)
    fill(cabinet, VEOLIA, WEEKLY)
    url = caldav_server.principal_url if address == "principal" else caldav_server.base_url + "/"
    source = connect(url)

    first = await source.sync({}, window)

    ours = (calendar.path, cabinet.path, tasks.path)
    mine = {href for href in changed(first) if href.startswith(ours)}
    assert mine == {calendar.href(FFB), cabinet.href(VEOLIA), cabinet.href(WEEKLY)}
    assert first.full
    assert not any(failure.href.startswith(ours) for failure in first.failed)
    calendars = len(first.state["calendars"])
    # PROPFIND the address (and the principal it names), PROPFIND the home, one REPORT each
    hops = 2 if address == "principal" else 3
    assert first.requests == hops + calendars + (1 if caldav_server.username else 0)

    quiet = await source.sync(first.state, window)
    assert (quiet.changed, quiet.removed, quiet.requests) == ((), (), 1)  # PROPFIND of the home

    fill(cabinet, FNSEA)
    delta = await source.sync(quiet.state, window)
    assert changed(delta) == {cabinet.href(FNSEA)}
    assert delta.requests == 3  # PROPFIND of the home, sync-collection REPORT, multiget

    cabinet.remove()
    gone = await source.sync(delta.state, window)
    assert gone.changed == ()
    assert set(gone.removed) == {cabinet.href(VEOLIA), cabinet.href(WEEKLY), cabinet.href(FNSEA)}
    assert gone.requests == 1


async def test_window_moved_a_month_reexpands_every_series(
    calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    fill(calendar, SATURDAYS, FFB)
    source = connect(calendar.url)
    first = await source.sync({}, window)
    assert len(events(first, calendar.href(SATURDAYS))) == 5  # the Saturdays of May 2027

    nudged = Window(start=window.start + timedelta(days=10), end=window.end + timedelta(days=10))
    small = await source.sync(first.state, nudged)
    assert (small.changed, small.full, small.requests) == ((), False, 1)

    moved = Window(start=window.start + timedelta(days=30), end=window.end + timedelta(days=30))
    delta = await source.sync(small.state, moved)
    assert delta.full
    assert changed(delta) == {calendar.href(SATURDAYS), calendar.href(FFB)}
    assert len(events(delta, calendar.href(SATURDAYS))) == 9  # and those of June
    assert delta.requests == 2  # PROPFIND (new token), calendar-query REPORT
    after = await source.sync(delta.state, moved)
    assert (after.changed, after.full, after.requests) == ((), False, 1)


def ctag(calendar: ServerCalendar) -> str:
    """The calendar's CalendarServer ctag, read by another client (PROPFIND Depth 0)."""
    response = calendar.server.client().request(
        "PROPFIND",
        calendar.url,
        content=(
            '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"'
            ' xmlns:CS="http://calendarserver.org/ns/"><D:prop><CS:getctag/></D:prop>'
            "</D:propfind>"
        ),
        headers={"Depth": "0", "Content-Type": "application/xml; charset=utf-8"},
    )
    assert response.status_code == 207, response.text
    found = re.search(r"<[^>]*getctag[^>]*>([^<]+)<", response.text)
    assert found, response.text
    return found.group(1).strip()


async def test_first_sync_asks_no_ctag_where_there_is_a_sync_token(
    calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    """The ctag is only compared without a token, and a server may compute it over every
    object (Radicale: 0.45 s for 5,000)."""
    fill(calendar, FFB)

    first = await connect(calendar.url).sync({}, window)

    [stored] = first.state["calendars"].values()
    assert stored["sync_token"]
    assert stored["ctag"] is None


async def test_without_sync_token_etags_are_compared(
    calendar: ServerCalendar, connect: Connect, window: Window
) -> None:
    """A server without RFC 6578 (simulated by a state without token, holding the ctag such a
    server's first sync stores): the ctag tells an unchanged calendar in one request;
    otherwise ETags are compared and only changes fetched."""
    fill(calendar, FFB, VEOLIA, WEEKLY)
    source = connect(calendar.url)
    first = await source.sync({}, window)
    state: dict[str, Any] = copy.deepcopy(first.state)
    for stored in state["calendars"].values():
        stored["sync_token"] = None
        stored["ctag"] = ctag(calendar)

    quiet = await source.sync(state, window)
    assert (quiet.changed, quiet.removed, quiet.unchanged, quiet.requests) == ((), (), 3, 1)

    calendar.put(FFB, meeting_ffb(summary="Rencontre avec la FFB (salle changée)"))
    calendar.delete(VEOLIA)
    delta = await source.sync(quiet.state, window)
    assert changed(delta) == {calendar.href(FFB)}
    assert delta.removed == (calendar.href(VEOLIA),)
    assert (delta.unchanged, delta.requests) == (1, 3)  # PROPFIND Depth 0, Depth 1, multiget
    assert all(stored["sync_token"] for stored in delta.state["calendars"].values())


# The failures below need no real CalDAV server: a socket that never answers, and a server that
# only ever answers 503.


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


async def test_server_that_never_answers_times_out(silent_port: int, window: Window) -> None:
    source = CalDAVConnector(
        f"http://127.0.0.1:{silent_port}/marie.dupont/agenda/", timeout=0.3, retries=1, backoff=0.05
    )

    started = time.monotonic()
    with pytest.raises(SourceUnreachableError) as refused:
        await source.sync({}, window)

    assert time.monotonic() - started < 2.0
    assert "no answer within 0.3 s" in str(refused.value)
    assert "gave up after 2 attempts" in str(refused.value)


class _Unavailable(BaseHTTPRequestHandler):
    hits = 0

    def do_PROPFIND(self) -> None:
        type(self).hits += 1
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Silent."""


@pytest.fixture
def unavailable_url() -> Iterator[str]:
    """A server that answers 503 Service Unavailable to everything."""
    _Unavailable.hits = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/marie.dupont/agenda/"
    server.shutdown()
    server.server_close()


async def test_server_errors_are_retried_with_backoff_then_reported(
    unavailable_url: str, window: Window
) -> None:
    source = CalDAVConnector(unavailable_url, timeout=2.0, retries=2, backoff=0.05)

    with pytest.raises(SourceUnreachableError) as refused:
        await source.sync({}, window)

    assert _Unavailable.hits == 3
    assert "answered HTTP 503" in str(refused.value)
    assert "gave up after 3 attempts" in str(refused.value)


async def test_a_full_load_larger_than_a_batch_is_handed_on_batch_by_batch_alike(
    calendar: ServerCalendar,
    connect: Connect,
    window: Window,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 7: a first sync hands its objects on in batches as the answer arrives (here of 5
    objects), each object once, with the same occurrences and state as read in one batch."""
    for number in range(12):
        calendar.put(
            f"rdv-{number}.ics",
            vcalendar(
                vevent(
                    f"rdv-{number}@{DOMAIN}",
                    f"Rendez-vous {number}",
                    f"202701{10 + number}T090000",
                    f"202701{10 + number}T100000",
                )
            ),
        )
    whole = await connect(calendar.url).sync({}, window)
    monkeypatch.setattr(caldav_sync, "FULL_LOAD_BATCH", 5)
    batches: list[list[str]] = []

    async def sink(batch: Sequence[ObjectOutcome]) -> None:
        batches.append([outcome.href for outcome in batch])

    streamed = await connect(calendar.url).stream({}, window, sink)

    assert [len(batch) for batch in batches] == [5, 5, 2]
    assert sorted(href for batch in batches for href in batch) == sorted(
        change.href for change in whole.changed
    )
    assert (streamed.changed, streamed.failed) == ((), ())
    assert streamed.state["calendars"] == whole.state["calendars"]
    batched = await connect(calendar.url).sync({}, window)
    assert sorted(batched.changed, key=lambda change: change.href) == sorted(
        whole.changed, key=lambda change: change.href
    )
