"""Instants in UTC, the zone each event was written in, all-day and open-ended events, and the
window's edges."""

from datetime import UTC, datetime

import pytest

from connectors.delta import Window
from connectors.icalendar_events import events_from_ical
from connectors.remote_event import RemoteEvent
from connectors.timezones import iana_zone

YEAR_2026 = Window(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def one_event(*lines: str, calendar_lines: tuple[str, ...] = ()) -> str:
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            *calendar_lines,
            "BEGIN:VEVENT",
            "UID:rencontre@bellerive.example",
            "DTSTAMP:20260101T000000Z",
            *lines,
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )


def read(
    data: str, default_timezone: str = "Europe/Paris", within: Window = YEAR_2026
) -> tuple[RemoteEvent, ...]:
    return events_from_ical(
        data, href="/cal/rencontre.ics", window=within, default_timezone=default_timezone
    )


def read_one(data: str, default_timezone: str = "Europe/Paris") -> RemoteEvent:
    (event,) = read(data, default_timezone)
    return event


def when(event: RemoteEvent) -> tuple[datetime, datetime | None, str, bool]:
    return (event.start, event.end, event.timezone, event.all_day)


def vtimezone(tzid: str, standard: str, daylight: str, *extra: str) -> tuple[str, ...]:
    """A VTIMEZONE with European (last Sunday of March and October) rules."""
    return (
        "BEGIN:VTIMEZONE",
        f"TZID:{tzid}",
        *extra,
        "BEGIN:STANDARD",
        "DTSTART:16011028T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        f"TZOFFSETFROM:{daylight}",
        f"TZOFFSETTO:{standard}",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:16010325T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        f"TZOFFSETFROM:{standard}",
        f"TZOFFSETTO:{daylight}",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
    )


def us_vtimezone(tzid: str, *names: str) -> tuple[str, ...]:
    """A VTIMEZONE with US Eastern rules, with TZNAMEs if given (standard, daylight)."""
    standard_name, daylight_name = (f"TZNAME:{name}" for name in names) if names else ("", "")
    return tuple(
        line
        for line in (
            "BEGIN:VTIMEZONE",
            f"TZID:{tzid}",
            "BEGIN:STANDARD",
            "DTSTART:16011104T020000",
            "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
            standard_name,
            "TZOFFSETFROM:-0400",
            "TZOFFSETTO:-0500",
            "END:STANDARD",
            "BEGIN:DAYLIGHT",
            "DTSTART:16010311T020000",
            "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
            daylight_name,
            "TZOFFSETFROM:-0500",
            "TZOFFSETTO:-0400",
            "END:DAYLIGHT",
            "END:VTIMEZONE",
        )
        if line
    )


# Floating and UTC times


def test_floating_time_is_in_the_default_zone() -> None:
    event = read_one(
        one_event("DTSTART:20260610T090000", "DTEND:20260610T100000"), "America/Martinique"
    )

    assert when(event) == (at(2026, 6, 10, 13), at(2026, 6, 10, 14), "America/Martinique", False)


def test_floating_time_is_in_the_x_wr_timezone_when_the_calendar_has_one() -> None:
    event = read_one(
        one_event(
            "DTSTART:20260610T090000",
            "DTEND:20260610T100000",
            calendar_lines=("X-WR-TIMEZONE:Europe/Paris",),
        ),
        "America/Martinique",
    )

    assert when(event) == (at(2026, 6, 10, 7), at(2026, 6, 10, 8), "Europe/Paris", False)


def test_utc_time_keeps_its_instant_and_shows_in_the_default_zone() -> None:
    event = read_one(one_event("DTSTART:20260610T090000Z", "DTEND:20260610T100000Z"))

    assert when(event) == (at(2026, 6, 10, 9), at(2026, 6, 10, 10), "Europe/Paris", False)


def test_utc_time_shows_in_the_x_wr_timezone_when_the_calendar_has_one() -> None:
    event = read_one(
        one_event(
            "DTSTART:20260610T090000Z",
            "DTEND:20260610T100000Z",
            calendar_lines=("X-WR-TIMEZONE:America/Cayenne",),
        )
    )

    assert when(event) == (at(2026, 6, 10, 9), at(2026, 6, 10, 10), "America/Cayenne", False)


def test_an_x_wr_timezone_that_names_no_zone_is_ignored() -> None:
    event = read_one(
        one_event("DTSTART:20260610T090000", calendar_lines=("X-WR-TIMEZONE:Mars/Olympus_Mons",))
    )

    assert when(event) == (at(2026, 6, 10, 7), None, "Europe/Paris", False)


def test_an_unknown_default_zone_is_a_programming_error_not_a_malformed_object() -> None:
    with pytest.raises(ValueError, match="unknown default time zone 'Paris'") as raised:
        read(one_event("DTSTART:20260610T090000Z"), default_timezone="Paris")

    assert type(raised.value) is ValueError


# TZID dialects


@pytest.mark.parametrize(
    ("tzid", "zone", "start"),
    [
        ("Europe/Paris", "Europe/Paris", at(2026, 6, 10, 7)),
        ("America/Cayenne", "America/Cayenne", at(2026, 6, 10, 12)),
        ("Romance Standard Time", "Europe/Paris", at(2026, 6, 10, 7)),
        ('"W. Europe Standard Time"', "Europe/Berlin", at(2026, 6, 10, 7)),
        ("Eastern Standard Time", "America/New_York", at(2026, 6, 10, 13)),
        ("/mozilla.org/20070129_1/Europe/Paris", "Europe/Paris", at(2026, 6, 10, 7)),
        ("/softwarestudio.org/Olson_20011030_5/America/Guadeloupe", "America/Guadeloupe",
         at(2026, 6, 10, 13)),
    ],
)  # fmt: skip
@pytest.mark.filterwarnings("ignore:Timezone .* is a globally unique TZID")  # icalendar's own
def test_known_tzid_without_vtimezone(tzid: str, zone: str, start: datetime) -> None:
    event = read_one(one_event(f"DTSTART;TZID={tzid}:20260610T090000"))

    assert (event.start, event.timezone) == (start, zone)


def test_unknown_tzid_without_vtimezone_is_floating_time() -> None:
    event = read_one(one_event("DTSTART;TZID=Heure de la mairie:20260610T090000"), "Asia/Tokyo")

    assert (event.start, event.timezone) == (at(2026, 6, 10, 0), "Asia/Tokyo")


def test_iana_tzid_is_read_from_the_tz_database_not_from_a_wrong_vtimezone() -> None:
    wrong = vtimezone("Europe/Paris", "+0500", "+0600")

    event = read_one(one_event("DTSTART;TZID=Europe/Paris:20260610T090000"), "Europe/Paris")
    with_wrong = read_one(
        one_event("DTSTART;TZID=Europe/Paris:20260610T090000", calendar_lines=wrong)
    )

    assert with_wrong.start == event.start == at(2026, 6, 10, 7)


def test_custom_vtimezone_gives_the_instants_and_the_matching_default_zone() -> None:
    custom = vtimezone("Heure de Bellerive", "+0100", "+0200")

    event = read_one(
        one_event("DTSTART;TZID=Heure de Bellerive:20260110T090000", calendar_lines=custom)
    )

    assert (event.start, event.timezone) == (at(2026, 1, 10, 8), "Europe/Paris")


def test_custom_vtimezone_named_after_cities_is_one_of_them() -> None:
    display_name = "(UTC+01:00) Bruxelles, Copenhague, Madrid, Paris"
    custom = vtimezone(display_name, "+0100", "+0200")

    event = read_one(
        one_event(f'DTSTART;TZID="{display_name}":20260710T090000', calendar_lines=custom),
        "America/Martinique",
    )

    assert (event.start, event.timezone) == (at(2026, 7, 10, 7), "Europe/Madrid")


def test_custom_vtimezone_with_a_location_is_that_location() -> None:
    custom = vtimezone("Fuseau perso", "+0100", "+0200", "X-LIC-LOCATION:Europe/Brussels")

    event = read_one(
        one_event("DTSTART;TZID=Fuseau perso:20260710T090000", calendar_lines=custom),
        "America/Martinique",
    )

    assert (event.start, event.timezone) == (at(2026, 7, 10, 7), "Europe/Brussels")


def test_custom_vtimezone_with_abbreviations_is_told_apart_from_lookalikes() -> None:
    custom = us_vtimezone("Customized Time Zone", "EST", "EDT")

    event = read_one(
        one_event("DTSTART;TZID=Customized Time Zone:20261006T100000", calendar_lines=custom)
    )

    assert (event.start, event.timezone) == (at(2026, 10, 6, 14), "America/New_York")


def test_custom_vtimezone_matching_no_zone_is_shown_in_the_default_zone() -> None:
    custom = vtimezone("Heure fantaisie", "+0117", "+0217")

    event = read_one(
        one_event("DTSTART;TZID=Heure fantaisie:20260110T090000", calendar_lines=custom),
        "Europe/Paris",
    )

    assert (event.start, event.timezone) == (at(2026, 1, 10, 7, 43), "Europe/Paris")


def test_a_custom_tzid_reused_with_other_rules_by_another_object_gets_its_own_rules() -> None:
    """icalendar caches VTIMEZONEs by TZID for the whole process: the second object used to
    get the first one's offsets."""
    paris_rules = vtimezone("Customized Time Zone", "+0100", "+0200")
    new_york_rules = us_vtimezone("Customized Time Zone")
    start = "DTSTART;TZID=Customized Time Zone:20261006T100000"

    in_paris = read_one(one_event(start, calendar_lines=paris_rules))
    in_new_york = read_one(one_event(start, calendar_lines=new_york_rules))

    assert in_paris.start == at(2026, 10, 6, 8)
    assert in_new_york.start == at(2026, 10, 6, 14)


def test_iana_zone_names() -> None:
    assert iana_zone("Europe/Paris") is not None
    assert iana_zone("Romance Standard Time") == iana_zone("Europe/Paris")
    assert iana_zone("/citadel.org/20190914_1/Europe/Paris") == iana_zone("Europe/Paris")
    assert iana_zone("localtime") is None
    assert iana_zone("Europe") is None
    assert iana_zone("../../etc/passwd") is None
    assert iana_zone("") is None


# All-day, multi-day, durations and missing ends


def test_all_day_event_without_dtend_lasts_one_day() -> None:
    event = read_one(one_event("DTSTART;VALUE=DATE:20260714"))

    assert when(event) == (at(2026, 7, 13, 22), at(2026, 7, 14, 22), "Europe/Paris", True)


def test_multi_day_event_ends_at_the_midnight_of_dtend() -> None:
    event = read_one(one_event("DTSTART;VALUE=DATE:20260330", "DTEND;VALUE=DATE:20260402"))

    assert when(event) == (at(2026, 3, 29, 22), at(2026, 4, 1, 22), "Europe/Paris", True)


def test_all_day_event_crossing_the_dst_change_starts_and_ends_at_local_midnight() -> None:
    event = read_one(one_event("DTSTART;VALUE=DATE:20260328", "DTEND;VALUE=DATE:20260330"))

    assert (event.start, event.end) == (at(2026, 3, 27, 23), at(2026, 3, 29, 22))


def test_all_day_event_with_a_duration() -> None:
    event = read_one(one_event("DTSTART;VALUE=DATE:20260907", "DURATION:P2D"))

    assert when(event) == (at(2026, 9, 6, 22), at(2026, 9, 8, 22), "Europe/Paris", True)


def test_timed_event_with_a_duration() -> None:
    event = read_one(one_event("DTSTART;TZID=Europe/Paris:20260907T093000", "DURATION:PT1H45M"))

    assert (event.start, event.end) == (at(2026, 9, 7, 7, 30), at(2026, 9, 7, 9, 15))


def test_timed_event_without_end_or_duration_has_no_end() -> None:
    event = read_one(one_event("DTSTART;TZID=Europe/Paris:20260907T093000"))

    assert (event.start, event.end) == (at(2026, 9, 7, 7, 30), None)


def test_timed_event_ending_when_it_starts_has_that_end() -> None:
    event = read_one(one_event("DTSTART:20260907T073000Z", "DTEND:20260907T073000Z"))

    assert (event.start, event.end) == (at(2026, 9, 7, 7, 30), at(2026, 9, 7, 7, 30))


def test_outlook_all_day_flag_marks_a_midnight_to_midnight_event() -> None:
    event = read_one(
        one_event(
            "DTSTART;TZID=Romance Standard Time:20260501T000000",
            "DTEND;TZID=Romance Standard Time:20260502T000000",
            "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE",
        )
    )

    assert when(event) == (at(2026, 4, 30, 22), at(2026, 5, 1, 22), "Europe/Paris", True)


def test_date_with_a_tzid_is_placed_in_that_zone() -> None:
    event = read_one(one_event("DTSTART;TZID=America/Cayenne;VALUE=DATE:20260714"))

    assert when(event) == (at(2026, 7, 14, 3), at(2026, 7, 15, 3), "America/Cayenne", True)


# The window's edges


@pytest.mark.parametrize(
    ("start", "end", "inside"),
    [
        ("20260531T230000Z", "20260601T010000Z", True),  # overlaps the window's start
        ("20260531T230000Z", "20260601T000000Z", False),  # ends as the window starts
        ("20260601T000000Z", None, True),  # no duration, at the window's start
        ("20260630T235959Z", "20260701T010000Z", True),  # starts just before its end
        ("20260701T000000Z", "20260701T010000Z", False),  # starts as the window ends
        ("20260701T000000Z", None, False),  # no duration, at the window's end
        ("20260501T000000Z", "20260801T000000Z", True),  # spans the whole window
    ],
)
def test_an_occurrence_counts_if_its_span_meets_the_window(
    start: str, end: str | None, inside: bool
) -> None:
    june = Window(start=at(2026, 6, 1), end=at(2026, 7, 1))
    lines = [f"DTSTART:{start}"] + ([f"DTEND:{end}"] if end else [])

    assert len(read(one_event(*lines), within=june)) == (1 if inside else 0)


def test_all_day_event_meets_the_window_by_its_local_day() -> None:
    event = one_event("DTSTART;VALUE=DATE:20260601")

    assert read(event, within=Window(start=at(2026, 5, 31, 21), end=at(2026, 5, 31, 22))) == ()
    assert len(read(event, within=Window(start=at(2026, 5, 31, 22), end=at(2026, 5, 31, 23))))
    assert len(read(event, within=Window(start=at(2026, 6, 1, 21), end=at(2026, 6, 1, 22))))
    assert read(event, within=Window(start=at(2026, 6, 1, 22), end=at(2026, 6, 2))) == ()
