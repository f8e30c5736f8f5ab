"""Series expanded in the window: RRULE, RDATE, EXDATE, overrides, DST, keys, and bombs."""

import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from connectors.delta import Window
from connectors.icalendar_events import MalformedObjectError, events_from_ical
from connectors.recurrence import MAX_OCCURRENCES, expand
from connectors.recurrence_rules import MAX_RULE_STEPS
from connectors.remote_event import RemoteEvent
from register.domain.kinds import MeetingStatus

CALENDARS = Path(__file__).parents[2] / "data" / "calendars"
YEAR_2026 = Window(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def window(start: datetime, end: datetime) -> Window:
    return Window(start=start, end=end)


def calendar(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *lines])


def read(data: str | bytes, within: Window = YEAR_2026) -> tuple[RemoteEvent, ...]:
    return events_from_ical(
        data, href="/cal/series.ics", window=within, default_timezone="Europe/Paris"
    )


def read_file(name: str, within: Window = YEAR_2026) -> tuple[RemoteEvent, ...]:
    return read((CALENDARS / name).read_bytes(), within)


def keys(events: tuple[RemoteEvent, ...]) -> list[str]:
    return [event.key.recurrence_id for event in events]


WEEKLY = [
    "BEGIN:VEVENT",
    "UID:bureau-municipal@bellerive.example",
    "DTSTAMP:20260101T000000Z",
    "DTSTART;TZID=Europe/Paris:20260105T090000",
    "DTEND;TZID=Europe/Paris:20260105T100000",
    "RRULE:FREQ=WEEKLY;COUNT=4",
    "SUMMARY:Bureau municipal",
    "END:VEVENT",
]


def test_weekly_rule_gives_one_occurrence_a_week() -> None:
    events = read(calendar(*WEEKLY, "END:VCALENDAR"))

    assert [(e.key.recurrence_id, e.start, e.end) for e in events] == [
        ("20260105T080000Z", at(2026, 1, 5, 8), at(2026, 1, 5, 9)),
        ("20260112T080000Z", at(2026, 1, 12, 8), at(2026, 1, 12, 9)),
        ("20260119T080000Z", at(2026, 1, 19, 8), at(2026, 1, 19, 9)),
        ("20260126T080000Z", at(2026, 1, 26, 8), at(2026, 1, 26, 9)),
    ]
    assert {e.key.uid for e in events} == {"bureau-municipal@bellerive.example"}


def test_dst_keeps_the_wall_clock_time_of_a_weekly_series() -> None:
    events = read_file("dst_weekly_paris.ics")

    assert len(events) == 34
    starts = {e.start.date().isoformat(): e.start for e in events}
    assert starts["2026-03-18"] == at(2026, 3, 18, 8)
    assert starts["2026-03-25"] == at(2026, 3, 25, 8)
    assert starts["2026-04-01"] == at(2026, 4, 1, 7)
    assert starts["2026-10-21"] == at(2026, 10, 21, 7)
    assert starts["2026-10-28"] == at(2026, 10, 28, 8)
    assert keys(events)[-1] == "20261104T080000Z"
    assert all(e.end is not None and (e.end - e.start).total_seconds() == 7200 for e in events)


def test_only_the_occurrences_in_the_window_are_returned() -> None:
    april = window(at(2026, 4, 1), at(2026, 5, 1))

    assert keys(read_file("dst_weekly_paris.ics", april)) == [
        "20260401T070000Z",
        "20260408T070000Z",
        "20260415T070000Z",
        "20260422T070000Z",
        "20260429T070000Z",
    ]


def test_cancelled_override_cancels_only_its_occurrence() -> None:
    events = read_file("cancelled_occurrence.ics")

    assert [(e.key.recurrence_id, e.status) for e in events] == [
        ("20260903T150000Z", MeetingStatus.CONFIRMED),
        ("20260917T150000Z", MeetingStatus.CANCELLED),
        ("20261001T150000Z", MeetingStatus.CONFIRMED),
        ("20261015T150000Z", MeetingStatus.CONFIRMED),
    ]
    assert events[1].summary == "Annulé : Commission urbanisme"
    assert events[1].sequence == 2


def test_exdate_with_a_tzid_removes_the_occurrence() -> None:
    events = read(
        calendar(*WEEKLY[:-1], "EXDATE;TZID=Europe/Paris:20260112T090000", "END:VEVENT")
        + "\r\nEND:VCALENDAR"
    )

    assert keys(events) == ["20260105T080000Z", "20260119T080000Z", "20260126T080000Z"]


def test_exdate_in_utc_removes_the_occurrence_of_a_local_series() -> None:
    events = read(calendar(*WEEKLY[:-1], "EXDATE:20260119T080000Z", "END:VEVENT", "END:VCALENDAR"))

    assert keys(events) == ["20260105T080000Z", "20260112T080000Z", "20260126T080000Z"]


def test_all_day_series_with_date_exdates_is_keyed_by_date() -> None:
    events = read(
        calendar(
            "BEGIN:VEVENT",
            "UID:permanence-cimetiere@bellerive.example",
            "DTSTART;VALUE=DATE:20260601",
            "RRULE:FREQ=DAILY;COUNT=5",
            "EXDATE;VALUE=DATE:20260602,20260604",
            "SUMMARY:Astreinte de l'élu",
            "END:VEVENT",
            "END:VCALENDAR",
        )
    )

    assert [(e.key.recurrence_id, e.start, e.end, e.all_day) for e in events] == [
        ("20260601", at(2026, 5, 31, 22), at(2026, 6, 1, 22), True),
        ("20260603", at(2026, 6, 2, 22), at(2026, 6, 3, 22), True),
        ("20260605", at(2026, 6, 4, 22), at(2026, 6, 5, 22), True),
    ]


def test_rdate_periods_have_their_own_ends() -> None:
    events = read(
        calendar(
            "BEGIN:VEVENT",
            "UID:visites-quartiers@bellerive.example",
            "DTSTART:20260210T140000Z",
            "DTEND:20260210T150000Z",
            "RDATE;VALUE=PERIOD:20260224T140000Z/20260224T170000Z,20260310T090000Z/PT30M",
            "SUMMARY:Visite de quartier",
            "END:VEVENT",
            "END:VCALENDAR",
        )
    )

    assert [(e.key.recurrence_id, e.start, e.end) for e in events] == [
        ("20260210T140000Z", at(2026, 2, 10, 14), at(2026, 2, 10, 15)),
        ("20260224T140000Z", at(2026, 2, 24, 14), at(2026, 2, 24, 17)),
        ("20260310T090000Z", at(2026, 3, 10, 9), at(2026, 3, 10, 9, 30)),
    ]


OVERRIDE_MOVED_TO_FEBRUARY = [
    "BEGIN:VEVENT",
    "UID:bureau-municipal@bellerive.example",
    "RECURRENCE-ID;TZID=Europe/Paris:20260112T090000",
    "DTSTART;TZID=Europe/Paris:20260220T090000",
    "DTEND;TZID=Europe/Paris:20260220T100000",
    "SUMMARY:Bureau municipal (reporté)",
    "END:VEVENT",
]


def test_override_moved_out_of_the_window_takes_its_occurrence_along() -> None:
    january = window(at(2026, 1, 1), at(2026, 2, 1))

    events = read(calendar(*WEEKLY, *OVERRIDE_MOVED_TO_FEBRUARY, "END:VCALENDAR"), january)

    assert keys(events) == ["20260105T080000Z", "20260119T080000Z", "20260126T080000Z"]


def test_override_moved_into_the_window_is_returned_with_its_original_key() -> None:
    february = window(at(2026, 2, 1), at(2026, 3, 1))

    (moved,) = read(calendar(*WEEKLY, *OVERRIDE_MOVED_TO_FEBRUARY, "END:VCALENDAR"), february)

    assert (moved.key.recurrence_id, moved.start, moved.summary) == (
        "20260112T080000Z",
        at(2026, 2, 20, 8),
        "Bureau municipal (reporté)",
    )


def test_an_occurrence_has_the_same_key_as_an_instance_and_as_an_override() -> None:
    plain = read(calendar(*WEEKLY, "END:VCALENDAR"))
    override_in_utc = [
        "BEGIN:VEVENT",
        "UID:bureau-municipal@bellerive.example",
        "RECURRENCE-ID:20260112T080000Z",
        "DTSTART;TZID=Europe/Paris:20260112T110000",
        "DTEND;TZID=Europe/Paris:20260112T120000",
        "SUMMARY:Bureau municipal (11 h)",
        "END:VEVENT",
    ]
    overridden = read(calendar(*WEEKLY, *override_in_utc, "END:VCALENDAR"))

    assert keys(plain) == keys(overridden)
    assert overridden[1].start == at(2026, 1, 12, 10)


def test_keys_are_the_same_from_one_sync_to_the_next() -> None:
    first = read_file("google_calendar.ics")
    second = read_file("google_calendar.ics")

    assert [e.key for e in first] == [e.key for e in second]
    assert first == second


def test_an_override_without_its_master_is_one_occurrence_of_a_series() -> None:
    (instance,) = read(calendar(*OVERRIDE_MOVED_TO_FEBRUARY, "END:VCALENDAR"))

    assert instance.key.recurrence_id == "20260112T080000Z"
    assert instance.start == at(2026, 2, 20, 8)


def test_utc_weekly_series_keeps_utc_without_x_wr_timezone() -> None:
    series = [
        "BEGIN:VEVENT",
        "UID:point-hebdo@bellerive.example",
        "DTSTART:20260318T080000Z",
        "DTEND:20260318T090000Z",
        "RRULE:FREQ=WEEKLY;COUNT=3",
        "END:VEVENT",
        "END:VCALENDAR",
    ]

    assert [e.start for e in read(calendar(*series))] == [
        at(2026, 3, 18, 8),
        at(2026, 3, 25, 8),
        at(2026, 4, 1, 8),
    ]
    google = read(calendar("X-WR-TIMEZONE:Europe/Paris", *series))
    assert [e.start for e in google] == [at(2026, 3, 18, 8), at(2026, 3, 25, 8), at(2026, 4, 1, 7)]


# Recurrence bombs


def test_the_cap_is_five_thousand() -> None:
    assert MAX_OCCURRENCES == 5000
    assert MAX_RULE_STEPS == 200_000


def test_secondly_rule_without_end_is_refused_at_once() -> None:
    began = time.perf_counter()

    with pytest.raises(MalformedObjectError) as refused:
        read_file("recurrence_bomb.ics")

    assert time.perf_counter() - began < 1
    assert str(refused.value) == (
        "RRULE FREQ=SECONDLY of event bomb-20260101@generator.example would take about "
        "31536000 steps to expand (at most 200000): a recurrence this dense is refused"
    )


def test_rule_begun_long_before_the_window_is_refused_before_iterating() -> None:
    minutely = calendar(
        "BEGIN:VEVENT",
        "UID:minutely@bellerive.example",
        "DTSTART:20000101T000000Z",
        "RRULE:FREQ=MINUTELY;INTERVAL=5",
        "END:VEVENT",
        "END:VCALENDAR",
    )

    with pytest.raises(MalformedObjectError, match="about 2840256 steps"):
        read(minutely)


def test_more_occurrences_than_the_cap_in_the_window_is_malformed() -> None:
    hourly = calendar(
        "BEGIN:VEVENT",
        "UID:hourly@bellerive.example",
        "DTSTART:20260101T000000Z",
        "RRULE:FREQ=HOURLY",
        "END:VEVENT",
        "END:VCALENDAR",
    )

    with pytest.raises(MalformedObjectError) as refused:
        read(hourly)

    assert str(refused.value) == (
        "more than 5000 occurrences of event hourly@bellerive.example in the window: "
        "a recurrence this dense is refused"
    )


def test_a_dense_but_bounded_series_is_read() -> None:
    minutely = calendar(
        "BEGIN:VEVENT",
        "UID:minutely@bellerive.example",
        "DTSTART:20260301T000000Z",
        "RRULE:FREQ=MINUTELY;COUNT=4000",
        "END:VEVENT",
        "END:VCALENDAR",
    )

    events = read(minutely)

    assert len(events) == 4000
    assert events[-1].key.recurrence_id == "20260303T183900Z"


def test_single_events_and_a_series_past_the_cap_together_are_malformed() -> None:
    # An object may hold at most 2,000 VEVENTs (connectors.ical_text.MAX_EVENTS), so the cap
    # on occurrences is reached by single events and a series together.
    lines = [
        f"BEGIN:VEVENT\r\nUID:e{n}@x\r\nDTSTART:20260301T{n // 60 % 24:02d}0000Z\r\nEND:VEVENT"
        for n in range(1500)
    ]
    series = ["BEGIN:VEVENT", "UID:s@x", "DTSTART:20260401T000000Z", "RRULE:FREQ=HOURLY;COUNT=4000"]

    with pytest.raises(MalformedObjectError, match="more than 5000 occurrences in the window"):
        read(calendar(*lines, *series, "END:VEVENT", "END:VCALENDAR"))


def test_this_and_future_override_moves_the_rest_of_the_series() -> None:
    this_and_future = [
        "BEGIN:VEVENT",
        "UID:bureau-municipal@bellerive.example",
        "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Paris:20260119T090000",
        "DTSTART;TZID=Europe/Paris:20260119T140000",
        "DTEND;TZID=Europe/Paris:20260119T150000",
        "SUMMARY:Bureau municipal (l'après-midi)",
        "END:VEVENT",
    ]

    events = read(calendar(*WEEKLY, *this_and_future, "END:VCALENDAR"))

    assert [(e.key.recurrence_id, e.start, e.summary) for e in events] == [
        ("20260105T080000Z", at(2026, 1, 5, 8), "Bureau municipal"),
        ("20260112T080000Z", at(2026, 1, 12, 8), "Bureau municipal"),
        ("20260119T080000Z", at(2026, 1, 19, 13), "Bureau municipal (l'après-midi)"),
        ("20260126T080000Z", at(2026, 1, 26, 13), "Bureau municipal (l'après-midi)"),
    ]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=HOURLY;BYMONTH=4;BYMONTHDAY=31;COUNT=3",
        "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2",
    ],
)
def test_a_rule_that_never_matches_leaves_the_first_instance_quickly(rule: str) -> None:
    began = time.perf_counter()

    events = read(
        calendar(
            "BEGIN:VEVENT",
            "UID:jamais@bellerive.example",
            "DTSTART;TZID=Europe/Paris:20260610T090000",
            f"RRULE:{rule}",
            "END:VEVENT",
            "END:VCALENDAR",
        )
    )

    assert keys(events) == ["20260610T070000Z"]
    assert time.perf_counter() - began < 3


def test_a_rule_that_matches_rarely_is_kept() -> None:
    """Monday 29 February: 2044 is the next after 2016."""
    events = read(
        calendar(
            "BEGIN:VEVENT",
            "UID:rare@bellerive.example",
            "DTSTART;VALUE=DATE:20160229",
            "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
            "END:VEVENT",
            "END:VCALENDAR",
        ),
        window(at(2040, 1, 1), at(2045, 1, 1)),
    )

    assert keys(events) == ["20440229"]


@pytest.mark.parametrize("part", ["INTERVAL=0", "COUNT=0"])
def test_interval_and_count_must_be_positive(part: str) -> None:
    data = calendar(
        "BEGIN:VEVENT",
        "UID:zero@bellerive.example",
        "DTSTART:20260610T090000Z",
        f"RRULE:FREQ=DAILY;{part}",
        "END:VEVENT",
        "END:VCALENDAR",
    )

    with pytest.raises(MalformedObjectError) as refused:
        read(data)

    name = part.split("=", maxsplit=1)[0]
    assert str(refused.value) == (
        f"RRULE FREQ=DAILY;{part} of event zero@bellerive.example: {name} must be positive"
    )


def test_occurrences_come_with_the_vevent_they_were_made_from_not_a_copy() -> None:
    """recurring_ical_events' `Occurrence.as_component` copies the VEVENT for every occurrence
    (1.6 s for a calendar of 5,000 objects): the span is read from the occurrence instead."""
    parsed = Calendar.from_ical(calendar(*WEEKLY, *OVERRIDE_MOVED_TO_FEBRUARY, "END:VCALENDAR"))
    master, moved = parsed.walk("VEVENT")

    found = expand([master, moved], at(2026, 1, 1), at(2026, 3, 1))

    def paris(month: int, day: int, hour: int) -> datetime:
        return datetime(2026, month, day, hour, tzinfo=ZoneInfo("Europe/Paris"))

    assert sorted(
        (start, end, original, "override" if source is moved else "master")
        for source, start, end, original in found
        if source is master or source is moved
    ) == [
        (paris(1, 5, 9), paris(1, 5, 10), paris(1, 5, 9), "master"),
        (paris(1, 19, 9), paris(1, 19, 10), paris(1, 19, 9), "master"),
        (paris(1, 26, 9), paris(1, 26, 10), paris(1, 26, 9), "master"),
        (paris(2, 20, 9), paris(2, 20, 10), paris(1, 12, 9), "override"),
    ]
