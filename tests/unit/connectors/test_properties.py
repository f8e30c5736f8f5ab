"""Properties that hold for any input: only MalformedObjectError escapes, what is written is
read back, the occurrence cap holds, and feeds split the same whatever their order."""

from datetime import UTC, date, datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from connectors import recurrence
from connectors.delta import Window
from connectors.icalendar_events import MalformedObjectError, events_from_ical
from connectors.ics_feed import split_feed
from connectors.remote_event import RemoteEvent

YEAR_2026 = Window(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
ZONES = ["Europe/Paris", "America/Cayenne", "Indian/Reunion", "Pacific/Noumea", "Asia/Tokyo"]

fuzzing = settings(
    database=None, deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow]
)
checking = settings(database=None, deadline=None, max_examples=100)


def read(data: str | bytes, within: Window = YEAR_2026) -> tuple[RemoteEvent, ...]:
    return events_from_ical(data, href="/h", window=within, default_timezone="Europe/Paris")


def assert_well_formed(events: tuple[RemoteEvent, ...], within: Window) -> None:
    for event in events:
        assert event.start.utcoffset() == timedelta(0)
        assert event.end is None or event.end >= event.start
        assert event.key.uid
        assert event.start < within.end
    assert [e.start for e in events] == sorted(e.start for e in events)
    assert len({event.key for event in events}) == len(events)


# Arbitrary input never raises anything but MalformedObjectError

NAMES = ["UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"]
NAMES += ["SUMMARY", "CLASS", "STATUS", "SEQUENCE", "ATTENDEE", "ORGANIZER", "CATEGORIES"]
NAMES += ["TZID", "TZOFFSETFROM", "TZOFFSETTO", "X-WR-TIMEZONE", "LAST-MODIFIED", "CALSCALE"]
NAMES += ["METHOD", "X-LIC-LOCATION", "X-CALENDARSERVER-ACCESS", "X-MICROSOFT-CDO-ALLDAYEVENT"]
PARAMETERS = ["", ";TZID=Europe/Paris", ";TZID=Romance Standard Time", ";TZID=Heure locale"]
PARAMETERS += [";VALUE=DATE", ";VALUE=PERIOD", ";RANGE=THISANDFUTURE", ';CN="a:b"', ";TZID=/x/Y"]
VALUES = ["20260610T090000Z", "20260610T090000", "20260610", "99991231", "00010101T000000"]
VALUES += ["PT1H", "P1D", "-PT1H", "P0D", "20260610T090000Z/PT1H", "20260610T090000Z/20260609"]
VALUES += [
    "FREQ=DAILY;COUNT=3",
    "FREQ=WEEKLY;BYDAY=MO,FR",
    "FREQ=MINUTELY",
    "FREQ=YEARLY;BYMONTH=13",
]
VALUES += ["FREQ=MONTHLY;BYDAY=-1SU;UNTIL=20260101", "FREQ=DAILY;INTERVAL=0", "+0100", "-0500"]
VALUES += ["Europe/Paris", "PRIVATE", "CANCELLED", "mailto:a@b.fr", "x,y", "", "TRUE", "-3"]
STARTS = ["20260610T090000Z", "20260610T090000", "20260610", "20261231T233000", "20260329T023000"]
COMPONENTS = ["VCALENDAR", "VEVENT", "VTIMEZONE", "STANDARD", "DAYLIGHT", "VALARM", "VTODO"]

content_lines = st.one_of(
    st.builds(
        "{}{}:{}".format,
        st.sampled_from(NAMES),
        st.sampled_from(PARAMETERS),
        st.sampled_from(VALUES) | st.text(max_size=20),
    ),
    st.builds("BEGIN:{}".format, st.sampled_from(COMPONENTS)),
    st.builds("END:{}".format, st.sampled_from(COMPONENTS)),
    st.text(max_size=30),
)
chaotic = st.builds(
    lambda lines, ending: "\r\n".join(["BEGIN:VCALENDAR", "BEGIN:VEVENT", *lines, *ending]),
    st.lists(content_lines, max_size=25),
    st.sampled_from([[], ["END:VEVENT", "END:VCALENDAR"], ["END:VCALENDAR"]]),
)
properties = st.builds(
    "{}{}:{}".format,
    st.sampled_from(NAMES[1:]),
    st.sampled_from(PARAMETERS),
    st.sampled_from(VALUES),
)
zone_definition = st.builds(
    lambda offsets, rule: [
        "BEGIN:VTIMEZONE",
        "TZID:Heure locale",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        *rule,
        f"TZOFFSETFROM:{offsets[0]}",
        f"TZOFFSETTO:{offsets[1]}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ],
    st.tuples(st.sampled_from(["+0100", "-0330", "+0000"]), st.sampled_from(["+0200", "-0230"])),
    st.sampled_from([[], ["RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"]]),
)
almost_valid = st.builds(
    lambda calendar, zone, events: "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            *calendar,
            *zone,
            *(line for e in events for line in e),
            "END:VCALENDAR",
        ]
    ),
    st.lists(properties, max_size=2),
    st.just([]) | zone_definition,
    st.lists(
        st.builds(
            lambda uid, start, lines: ["BEGIN:VEVENT", uid, start, *lines, "END:VEVENT"],
            st.sampled_from(["UID:a@x", "UID:b@x"]),
            st.builds("DTSTART{}:{}".format, st.sampled_from(PARAMETERS), st.sampled_from(STARTS)),
            st.lists(properties, max_size=6),
        ),
        min_size=1,
        max_size=3,
    ),
)
ical_like = chaotic | almost_valid


@fuzzing
@given(st.text() | st.binary() | ical_like)
def test_any_input_gives_occurrences_or_a_malformed_object_error(data: str | bytes) -> None:
    try:
        events = read(data)
    except MalformedObjectError:
        return
    assert_well_formed(events, YEAR_2026)


@fuzzing
@given(st.text() | st.binary() | ical_like)
def test_any_feed_splits_or_is_refused_with_a_malformed_object_error(data: str | bytes) -> None:
    try:
        objects = split_feed(data)
    except MalformedObjectError:
        return
    for href, body in objects.items():
        assert href.startswith("uid:")
        assert body.startswith(b"BEGIN:VCALENDAR\r\n")
        assert body.endswith(b"END:VCALENDAR\r\n")


# What is written is read back

summaries = st.text(st.characters(exclude_categories=("Cs", "Cc")) | st.just("\n"), max_size=80)


@checking
@given(
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31)),
    seconds=st.integers(min_value=0, max_value=3 * 86400),
    summary=summaries,
)
def test_a_simple_timed_event_reads_back(
    zone: str, start: datetime, seconds: int, summary: str
) -> None:
    local = start.replace(microsecond=0, tzinfo=ZoneInfo(zone))
    begins = local.astimezone(UTC)
    if local.replace(fold=1).astimezone(UTC) != begins or begins.astimezone(local.tzinfo) != local:
        return  # an ambiguous or skipped wall-clock time names no single instant
    ends = begins + timedelta(seconds=seconds)
    event = Event.new(uid="rencontre@bellerive.example", summary=summary, stamp=STAMP)
    event.add("DTSTART", local)
    event.add("DTEND", ends.astimezone(local.tzinfo))
    data = Calendar.new(prodid="-//test//EN", subcomponents=[event]).to_ical()

    (read_back,) = read(
        data, Window(start=begins - timedelta(days=1), end=ends + timedelta(days=1))
    )

    assert (read_back.start, read_back.end, read_back.timezone) == (begins, ends, zone)
    assert read_back.summary == summary


@checking
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)),
    days=st.integers(min_value=1, max_value=10),
)
def test_a_simple_all_day_event_reads_back(zone: str, day: date, days: int) -> None:
    event = Event.new(
        uid="salon@bellerive.example", start=day, end=day + timedelta(days=days), stamp=STAMP
    )
    data = Calendar.new(prodid="-//test//EN", subcomponents=[event]).to_ical()
    midnight = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo("Europe/Paris"))
    within = Window(start=midnight - timedelta(days=2), end=midnight + timedelta(days=days + 2))

    (read_back,) = events_from_ical(data, href="/h", window=within, default_timezone="Europe/Paris")

    end = (midnight.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=midnight.tzinfo)
    assert (read_back.start, read_back.end) == (midnight.astimezone(UTC), end.astimezone(UTC))
    assert read_back.all_day


# The occurrence cap holds for any rule

FREQUENCIES = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"]
rules = st.builds(
    lambda freq, interval, count, days, hours: ";".join(
        part
        for part in (
            f"FREQ={freq}",
            f"INTERVAL={interval}",
            f"COUNT={count}" if count else "",
            f"BYDAY={','.join(days)}" if days else "",
            f"BYHOUR={','.join(map(str, hours))}" if hours else "",
        )
        if part
    ),
    st.sampled_from(FREQUENCIES),
    st.integers(min_value=1, max_value=6),
    st.none() | st.integers(min_value=1, max_value=300),
    st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), unique=True),
    st.lists(st.integers(min_value=0, max_value=23), unique=True, max_size=6),
)


@checking
@given(
    rule=rules, start=st.datetimes(min_value=datetime(2025, 6, 1), max_value=datetime(2026, 12, 31))
)
def test_no_object_gives_more_occurrences_than_the_cap(rule: str, start: datetime) -> None:
    data = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "BEGIN:VEVENT",
            "UID:serie@bellerive.example",
            f"DTSTART;TZID=Europe/Paris:{start:%Y%m%dT%H%M%S}",
            "DURATION:PT30M",
            f"RRULE:{rule}",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    )
    with patch.object(recurrence, "MAX_OCCURRENCES", 40):
        try:
            events = read(data)
        except MalformedObjectError:
            return

    assert len(events) <= 40
    assert_well_formed(events, YEAR_2026)


# A feed splits the same whatever the order of its events

feed_events = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.integers(min_value=1, max_value=28)),
    min_size=1,
    max_size=8,
    unique=True,
)


@checking
@given(events=feed_events, order=st.randoms(use_true_random=False))
def test_a_feed_splits_into_the_same_objects_in_any_order(
    events: list[tuple[str, int]], order: object
) -> None:
    blocks = [
        "\r\n".join(
            [
                "BEGIN:VEVENT",
                f"UID:{uid}@bellerive.example",
                f"DTSTART;TZID=Europe/Paris:202603{day:02d}T090000",
                *([f"RECURRENCE-ID;TZID=Europe/Paris:202603{day:02d}T090000"] if day > 1 else []),
                "END:VEVENT",
            ]
        )
        for uid, day in events
    ]
    shuffled = blocks[:]
    order.shuffle(shuffled)  # type: ignore[attr-defined]

    def feed(parts: list[str]) -> str:
        return "\r\n".join(["BEGIN:VCALENDAR", "METHOD:PUBLISH", *parts, "END:VCALENDAR"])

    assert sorted(split_feed(feed(blocks)).items()) == sorted(split_feed(feed(shuffled)).items())
