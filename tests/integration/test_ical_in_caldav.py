"""The iCalendar feed's events uploaded, as they are written, into a real Radicale server with
the `caldav` library and read back: the server accepts every one (it validates what it stores),
and keeps their UIDs, start times (in their zones, across a daylight saving change), end times
and statuses.

Each event is stored as its own calendar object resource with the VTIMEZONE it uses and without
METHOD (RFC 4791 §4.1), as a client importing the feed does.
"""

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest
import vobject  # type: ignore[import-untyped]
from caldav.davclient import DAVClient

from feeds.ical import calendar_feed
from register.domain.kinds import MeetingStatus
from register.domain.public_record import PublishedMeeting
from tests.servers import RadicaleServer, started
from tests.unit.feeds.builders import BASE_URL, corrected, meeting_id, published, withdrawn

OBJECT_HEAD = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//import//FR\r\n"
OBJECT_END = b"END:VCALENDAR\r\n"


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    with started(RadicaleServer(tmp_path_factory.mktemp("radicale-feeds"))) as server:
        yield server


def meetings() -> list[PublishedMeeting]:
    """One of each kind of event the feed writes."""
    paris_midnight = datetime(2026, 3, 9, 23, 0, tzinfo=UTC)
    return [
        published(id=meeting_id(1)),  # 10 March, 14:30 in Paris (winter time)
        published(  # 1 July, 10:00 in Paris (summer time)
            id=meeting_id(2),
            starts_at=datetime(2026, 7, 1, 8, 0, tzinfo=UTC),
            ends_at=datetime(2026, 7, 1, 9, 0, tzinfo=UTC),
        ),
        published(
            id=meeting_id(3),
            all_day=True,
            starts_at=paris_midnight,
            ends_at=paris_midnight + timedelta(days=2),
        ),
        published(id=meeting_id(4), ends_at=None),
        withdrawn(published(id=meeting_id(5))),
        corrected(published(id=meeting_id(6), status=MeetingStatus.CANCELLED)),
        published(
            id=meeting_id(7),
            subject="Déchets ; tri, collecte\nSecond volet <script>x</script> \\ fin",
        ),
        published(id=meeting_id(8), timezone="Indian/Reunion"),
    ]


def calendar_objects(document: bytes) -> dict[str, bytes]:
    """The feed split into calendar object resources, by UID: each VEVENT as written, with the
    VTIMEZONE of its TZID."""
    zones = {
        match.group(1): match.group(0)
        for match in re.finditer(
            rb"BEGIN:VTIMEZONE\r\nTZID:([^\r]+)\r\n.*?END:VTIMEZONE\r\n", document, re.DOTALL
        )
    }
    objects: dict[str, bytes] = {}
    for event in re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", document, re.DOTALL):
        uid = re.search(rb"^UID:([^\r]+)\r$", event, re.MULTILINE)
        assert uid is not None
        tzid = re.search(rb";TZID=([^:;]+):", event)
        zone = zones[tzid.group(1)] if tzid else b""
        objects[uid.group(1).decode()] = OBJECT_HEAD + zone + event + OBJECT_END
    return objects


def store_and_read_back(radicale: RadicaleServer, name: str, document: bytes) -> list[str]:
    """Each event of `document` stored in a new calendar `name` with caldav; the calendar's
    objects as the server then gives them."""
    collection = radicale.make_calendar(name, "Registre public")
    with DAVClient(
        url=collection.url, username=radicale.username, password=radicale.password
    ) as client:
        calendar = client.calendar(url=collection.url)  # type: ignore[no-untyped-call]
        for text in calendar_objects(document).values():
            calendar.add_event(ical=text.decode("utf-8"), increase_seqno=False)
        return [str(event.data) for event in calendar.get_events()]


def start_of(component: Any) -> date:
    value: date = component.start
    return value


def test_the_feeds_events_stored_in_radicale_read_back_the_same(radicale: RadicaleServer) -> None:
    sent = meetings()
    document = calendar_feed(
        sent,
        name="Rencontres de la Ville de Bellerive",
        description="Registre public",
        timezone="Europe/Paris",
        base_url=BASE_URL,
    )
    assert len(calendar_objects(document)) == len(sent)

    stored = store_and_read_back(radicale, "registre-public", document)

    by_uid = {
        str(component["UID"]): component
        for data in stored
        for component in icalendar.Calendar.from_ical(data).events
    }
    assert sorted(by_uid) == sorted(str(meeting.record.id) for meeting in sent)
    sent_by_uid = {str(meeting.record.id): meeting for meeting in sent}
    for uid, component in by_uid.items():
        record = sent_by_uid[uid].record
        if record.all_day:
            assert start_of(component) == date(2026, 3, 10)
            assert component.end == date(2026, 3, 12)
        else:
            assert start_of(component) == record.starts_at
            assert ("DTEND" in component) == (record.ends_at is not None)
    statuses = {uid: str(component["STATUS"]) for uid, component in by_uid.items()}
    assert statuses == {
        str(meeting_id(number)): "CANCELLED" if number in {5, 6} else "CONFIRMED"
        for number in range(1, 9)
    }
    assert str(by_uid[str(meeting_id(7))]["DESCRIPTION"]).startswith(
        "Objet : Déchets ; tri, collecte\nSecond volet <script>x</script> \\ fin\n"
    )
    sequence: Any = by_uid[str(meeting_id(6))]["SEQUENCE"]
    assert sequence == 1


def test_the_stored_vtimezones_give_the_right_instants(radicale: RadicaleServer) -> None:
    """Read with vobject, which takes the offsets from the VTIMEZONE the server kept."""
    sent = meetings()[:2] + meetings()[7:]
    document = calendar_feed(
        sent, name="Rencontres", description="", timezone="Europe/Paris", base_url=BASE_URL
    )

    stored = store_and_read_back(radicale, "registre-zones", document)

    starts = {
        str(event.uid.value): event.dtstart.value
        for data in stored
        for event in vobject.readOne(data).vevent_list
    }
    assert starts == {str(meeting.record.id): meeting.record.starts_at for meeting in sent}
    assert {start.utcoffset() for start in starts.values()} == {
        timedelta(hours=1),  # Paris in winter
        timedelta(hours=2),  # Paris in summer
        timedelta(hours=4),  # Réunion
    }
