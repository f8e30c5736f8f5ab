"""A webcal feed split into one calendar object per UID, with stable bytes."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.delta import Window
from connectors.icalendar_events import MalformedObjectError, events_from_ical
from connectors.ics_feed import split_feed
from connectors.remote_event import RemoteEvent

CALENDARS = Path(__file__).parents[2] / "data" / "calendars"
FEED = (CALENDARS / "multi_uid_feed.ics").read_bytes()
GOOGLE = (CALENDARS / "google_calendar.ics").read_bytes()
YEAR_2026 = Window(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))

BUREAU = "uid:bureau-communautaire@cc-val-de-loire.example"
ADEME = "uid:visite-ademe-2026-02@cc-val-de-loire.example"
GUYANE = "uid:visio-guyane-2026-03@cc-val-de-loire.example"


def read(data: bytes, href: str = "feed") -> tuple[RemoteEvent, ...]:
    return events_from_ical(data, href=href, window=YEAR_2026, default_timezone="Europe/Paris")


def read_objects(objects: dict[str, bytes]) -> list[RemoteEvent]:
    events = [event for href, data in objects.items() for event in read(data, href)]
    return sorted(events, key=lambda event: (event.start, event.key.uid))


def test_one_object_per_uid_with_its_pseudo_href() -> None:
    assert list(split_feed(FEED)) == [BUREAU, ADEME, GUYANE]


def test_a_series_object_holds_master_and_override_and_the_zone_it_uses() -> None:
    bureau = split_feed(FEED)[BUREAU].decode()

    assert bureau == "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//agenda-register//ICS feed object//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-TIMEZONE:Europe/Paris",
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Paris",
            "BEGIN:STANDARD",
            "DTSTART:19701025T030000",
            "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
            "TZNAME:CET",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "END:STANDARD",
            "BEGIN:DAYLIGHT",
            "DTSTART:19700329T020000",
            "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
            "TZNAME:CEST",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "END:DAYLIGHT",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
            "UID:bureau-communautaire@cc-val-de-loire.example",
            "LAST-MODIFIED:20260105T100000Z",
            "DTSTART;TZID=Europe/Paris:20260108T183000",
            "DTEND;TZID=Europe/Paris:20260108T203000",
            "RRULE:FREQ=MONTHLY;BYDAY=2TH;UNTIL=20260430T220000Z",
            "SUMMARY:Bureau communautaire",
            "LOCATION:Siège de la communauté de communes",
            "CATEGORIES:Instances",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:bureau-communautaire@cc-val-de-loire.example",
            "LAST-MODIFIED:20260201T100000Z",
            "RECURRENCE-ID;TZID=Europe/Paris:20260212T183000",
            "DTSTART;TZID=Europe/Paris:20260219T183000",
            "DTEND;TZID=Europe/Paris:20260219T203000",
            "SUMMARY:Bureau communautaire (reporté)",
            "LOCATION:Siège de la communauté de communes",
            "CATEGORIES:Instances",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )


def test_each_object_keeps_only_the_vtimezones_its_events_name() -> None:
    objects = split_feed(FEED)

    assert b"BEGIN:VTIMEZONE" not in objects[ADEME]
    assert objects[GUYANE].count(b"BEGIN:VTIMEZONE") == 1
    assert b"TZID:America/Cayenne" in objects[GUYANE]
    assert not any(b"Europe/London" in data for data in objects.values())


def test_calendar_name_and_publication_properties_are_left_out() -> None:
    objects = split_feed(FEED)

    assert not any(
        b"X-WR-CALNAME" in data or b"X-PUBLISHED-TTL" in data for data in objects.values()
    )


def test_the_objects_read_as_the_whole_feed_does() -> None:
    for feed in (FEED, GOOGLE):
        from_objects = [
            e.model_copy(update={"href": "feed"}) for e in read_objects(split_feed(feed))
        ]

        assert from_objects == list(read(feed))


def test_the_objects_read_with_their_keys_and_times() -> None:
    events = read_objects(split_feed(FEED))

    assert [(e.href, e.key.recurrence_id, e.start, e.timezone) for e in events] == [
        (BUREAU, "20260108T173000Z", datetime(2026, 1, 8, 17, 30, tzinfo=UTC), "Europe/Paris"),
        (ADEME, "", datetime(2026, 2, 11, 9, 0, tzinfo=UTC), "Europe/Paris"),
        (BUREAU, "20260212T173000Z", datetime(2026, 2, 19, 17, 30, tzinfo=UTC), "Europe/Paris"),
        (BUREAU, "20260312T173000Z", datetime(2026, 3, 12, 17, 30, tzinfo=UTC), "Europe/Paris"),
        (GUYANE, "", datetime(2026, 3, 17, 12, 0, tzinfo=UTC), "America/Cayenne"),
        (BUREAU, "20260409T163000Z", datetime(2026, 4, 9, 16, 30, tzinfo=UTC), "Europe/Paris"),
    ]


def test_a_new_download_with_new_stamps_and_another_order_gives_the_same_bytes() -> None:
    text = FEED.decode()
    blocks = text.split("BEGIN:VEVENT")
    reordered = blocks[0] + "BEGIN:VEVENT" + "BEGIN:VEVENT".join(reversed(blocks[1:-1]))
    reordered += "BEGIN:VEVENT" + blocks[-1]
    redownloaded = reordered.replace("DTSTAMP:20261129T060000Z", "DTSTAMP:20261130T071512Z")
    assert redownloaded != text

    assert split_feed(redownloaded.encode()) == split_feed(FEED)


def test_a_changed_event_changes_only_its_object() -> None:
    changed = FEED.replace(b"LOCATION:En ligne", b"LOCATION:Salle du conseil")

    before, after = split_feed(FEED), split_feed(changed)

    assert [href for href in before if before[href] != after[href]] == [GUYANE]


def test_dtstamp_is_kept_in_a_feed_without_method() -> None:
    """Without METHOD, DTSTAMP is when the event was last revised (RFC 5545 §3.8.7.2)."""
    objects = split_feed(FEED.replace(b"METHOD:PUBLISH\r\n", b""))

    assert b"DTSTAMP:20261129T060000Z" in objects[ADEME]
    assert b"DTSTAMP" not in split_feed(FEED)[ADEME]


def test_google_feed_splits_into_its_five_events() -> None:
    objects = split_feed(GOOGLE)

    assert list(objects) == [
        "uid:7kq3v1m2p9r8s6t5u4w3x2y1z0@google.com",
        "uid:0c9rtfv7h3h0k9a2bq4jm1p5ls@google.com",
        "uid:5ar8vhq2l0u3c7e1o9s4d6f2g8@google.com",
        "uid:3m0fq1c4k7tbn2hd8e6r9s5a1v@google.com",
        "uid:1h6t2w8x0y4z7a3b5c9d1e2f4g@google.com",
    ]
    series = objects["uid:3m0fq1c4k7tbn2hd8e6r9s5a1v@google.com"]
    assert series.count(b"BEGIN:VEVENT") == 2
    assert series.index(b"RRULE:") < series.index(b"RECURRENCE-ID")


def test_long_lines_are_folded_at_75_octets() -> None:
    for data in split_feed(GOOGLE).values():
        assert max(len(line) for line in data.split(b"\r\n")) <= 75


def test_privacy_marking_on_the_feed_is_kept_on_every_object() -> None:
    private = FEED.replace(
        b"METHOD:PUBLISH\r\n", b"METHOD:PUBLISH\r\nX-CALENDARSERVER-ACCESS:PRIVATE\r\n"
    )

    assert all(b"X-CALENDARSERVER-ACCESS:PRIVATE" in data for data in split_feed(private).values())


def test_escaped_uid_is_the_uid_the_parser_reads() -> None:
    feed = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "BEGIN:VEVENT",
            "UID:réunion\\,2026\\;a",
            "DTSTART:20260610T090000Z",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    )

    ((href, data),) = split_feed(feed).items()

    assert href == "uid:réunion,2026;a"
    assert read(data)[0].key.uid == "réunion,2026;a"


def test_events_without_uid_become_an_object_that_reports_it() -> None:
    feed = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "BEGIN:VEVENT",
            "DTSTART:20260610T090000Z",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    )

    objects = split_feed(feed)

    assert list(objects) == ["uid:"]
    with pytest.raises(MalformedObjectError, match="a VEVENT has no UID"):
        read(objects["uid:"])


def test_an_event_broken_inside_is_kept_for_its_object_to_report() -> None:
    broken = FEED.replace(b"DTSTART:20260211T100000", b"DTSTART:2026-02-11 10:00")

    objects = split_feed(broken)

    with pytest.raises(MalformedObjectError, match="DTSTART in VEVENT"):
        read(objects[ADEME])
    assert len(read(objects[BUREAU])) == 4


def test_a_feed_of_tasks_has_no_objects() -> None:
    assert split_feed("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\nEND:VCALENDAR") == {}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ((CALENDARS / "not_icalendar.ics").read_bytes(),
         "not valid iCalendar: it begins with '<!DOCTYPE html>'"),
        (b"", "not valid iCalendar: it begins with ''"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n",
         "not valid iCalendar: END:VCALENDAR is missing"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VTODO\r\nEND:VCALENDAR\r\n",
         "not valid iCalendar: 'END:VTODO' at line 3"),
        (b"BEGIN:VCALENDAR\r\nrien\r\nEND:VCALENDAR\r\n",
         "not valid iCalendar: line 2 is 'rien'"),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
         "not valid iCalendar: line 3 follows END:VCALENDAR"),
    ],
)  # fmt: skip
def test_what_is_not_a_feed(data: bytes, message: str) -> None:
    with pytest.raises(MalformedObjectError) as refused:
        split_feed(data)

    assert str(refused.value) == message
