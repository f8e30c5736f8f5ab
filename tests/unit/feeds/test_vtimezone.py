"""VTIMEZONEs read back by vobject (dateutil underneath), which takes the offsets from the
definition rather than from its own zone database: they must agree with the system's zone
database at every change of the period they cover, in the zones of French authorities and in
the zones whose rules trip readers up."""

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
import vobject  # type: ignore[import-untyped]

from feeds.vtimezone import onsets, vtimezone

FIRST_YEAR, LAST_YEAR = 2000, 2037

FRENCH_ZONES = [
    "Europe/Paris",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "America/Miquelon",
    "Indian/Reunion",
    "Indian/Mayotte",
    "Pacific/Noumea",
    "Pacific/Tahiti",
]
TRICKY_ZONES = [
    "Europe/Dublin",  # negative daylight saving time in winter
    "Africa/Casablanca",  # clocks back for Ramadan, a different date every year
    "Australia/Lord_Howe",  # a 30-minute change, southern hemisphere
    "America/Sao_Paulo",  # daylight saving time abolished in 2019
    "Europe/Moscow",  # permanent summer time from 2011, then back in 2014
    "America/Santiago",  # changes at midnight
    "UTC",
]


def read_back(tzid: str) -> tzinfo:
    """The VTIMEZONE as vobject's tzinfo."""
    document = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + vtimezone(tzid, FIRST_YEAR, LAST_YEAR).decode()
        + "END:VCALENDAR\r\n"
    )
    zone: tzinfo = vobject.readOne(document).vtimezone.gettzinfo()
    return zone


def instants_around_changes(tzid: str) -> list[datetime]:
    """Every change of the period, a second, an hour and a day either side; and one instant
    every 29 days from the second day (at the very first instant, before any change, dateutil
    guesses daylight saving time from the wrong side in the southern hemisphere)."""
    start = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
    end = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)
    _, changes = onsets(ZoneInfo(tzid), start, end)
    instants = [start + timedelta(days=1 + 29 * step) for step in range(38 * 365 // 29)]
    for change in changes:
        for delta in (timedelta(seconds=1), timedelta(hours=1), timedelta(days=1)):
            instants += [change.at - delta, change.at, change.at + delta]
    return instants


@pytest.mark.parametrize("tzid", FRENCH_ZONES + TRICKY_ZONES)
def test_the_definition_gives_the_databases_offset_at_every_change(tzid: str) -> None:
    written, zone = read_back(tzid), ZoneInfo(tzid)

    wrong = [
        (instant, instant.astimezone(written).utcoffset(), instant.astimezone(zone).utcoffset())
        for instant in instants_around_changes(tzid)
        if instant.astimezone(written).utcoffset() != instant.astimezone(zone).utcoffset()
    ]

    assert wrong == []


def test_paris_is_written_as_calendar_apps_write_it() -> None:
    assert vtimezone("Europe/Paris", FIRST_YEAR, LAST_YEAR).decode().splitlines() == [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Paris",
        "BEGIN:STANDARD",
        "DTSTART:20000101T010000",
        "TZNAME:CET",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:20000326T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZNAME:CEST",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "DTSTART:20001029T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZNAME:CET",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def test_a_rule_that_stopped_ends_and_the_current_one_goes_on() -> None:
    text = vtimezone("America/Sao_Paulo", FIRST_YEAR, LAST_YEAR).decode()

    rules = [line for line in text.splitlines() if line.startswith("RRULE:")]
    assert rules
    assert all("UNTIL=" in rule for rule in rules)  # no daylight saving time since 2019
    paris = vtimezone("Europe/Paris", FIRST_YEAR, LAST_YEAR).decode()
    assert "UNTIL=" not in paris


def test_the_current_rule_goes_on_after_the_period() -> None:
    written = read_back("Europe/Paris")

    summer_2050 = datetime(2050, 7, 1, 12, tzinfo=UTC)
    assert summer_2050.astimezone(written).utcoffset() == timedelta(hours=2)


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        vtimezone("Mars/Olympus", FIRST_YEAR, LAST_YEAR)
