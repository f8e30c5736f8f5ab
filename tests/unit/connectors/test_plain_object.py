"""The plain reading (`connectors.plain_object`) against the full one (icalendar): on every object
it accepts, both give the same occurrences, field by field; everything else it leaves alone.

The objects: the benchmark's generated calendar, the client exports of tests/data/calendars,
the fuzzer's generated and mangled objects, and a single meeting written in every form of every
property the register reads that clients are known to write (and some they should not), alone
and in seeded random combinations.
"""

import random
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bench.calendar_data import generate, series_count
from connectors.delta import Window
from connectors.ical_text import decode
from connectors.icalendar_events import events_from_ical, read_fully
from connectors.ics_feed import split_feed
from connectors.malformed import MalformedObjectError
from connectors.plain_object import plain_events
from connectors.remote_event import RemoteEvent
from tests.fuzz.ical_strategies import EVENT_NAMES, date_time, day, from_seed, lines, write

CALENDARS = Path(__file__).parents[2] / "data" / "calendars"
WINDOW = Window(start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))
ZONE = "Europe/Paris"


def plain(text: str) -> tuple[RemoteEvent, ...] | None:
    """The plain reading of `text` as `events_from_ical` calls it: on the decoded text."""
    return plain_events(decode(text), href="/cal/a.ics", window=WINDOW, default_timezone=ZONE)


def full(text: str) -> tuple[RemoteEvent, ...] | Exception:
    try:
        return read_fully(text, href="/cal/a.ics", window=WINDOW, default_timezone=ZONE)
    except Exception as error:  # the outcome compared: which error the full reading raises
        return error


def agree(text: str) -> bool:
    """Whether the plain reading read `text`; fails the test when it read it otherwise than
    the full reading does."""
    found = plain(text)
    if found is None:
        return False
    expected = full(text)
    assert not isinstance(expected, Exception), f"plain read what icalendar refuses: {expected}"
    assert found == expected
    assert [event.model_dump_json() for event in found] == [
        event.model_dump_json() for event in expected
    ]
    return True


def meeting(*lines: str, calendar: tuple[str, ...] = (), before: tuple[str, ...] = ()) -> str:
    """A single meeting, with `lines` in its VEVENT and `calendar` in its VCALENDAR."""
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            *calendar,
            *before,
            "BEGIN:VEVENT",
            "UID:rencontre-42@bellerive.example",
            *lines,
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )


PARIS_ZONE = (
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:STANDARD",
    "DTSTART:19701025T030000",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)

STARTS = [
    "DTSTART:20260610T090000Z",
    "DTSTART;TZID=Europe/Paris:20260610T090000",
    'DTSTART;TZID="Europe/Paris":20260610T090000',
    "DTSTART;TZID=Romance Standard Time:20260610T090000",
    "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Paris:20260610T090000",
    "DTSTART;TZID=America/Cayenne:20261231T230000",
    "DTSTART;TZID=Nowhere/Atlantis:20260610T090000",
    "DTSTART;TZID=Customized Time Zone:20260610T090000",
    "DTSTART:20260610T090000",
    "DTSTART;VALUE=DATE-TIME:20260610T090000",
    "DTSTART;VALUE=DATE:20260610",
    "DTSTART:20260610",
    "DTSTART;TZID=Europe/Paris;VALUE=DATE:20260610",
    "DTSTART;TZID=Europe/Paris:20260610",
    "DTSTART;VALUE=DATE:20260610T090000",
    "DTSTART;TZID=Europe/Paris:20260610T090000Z",
    "DTSTART:20261310T090000",
    "DTSTART:20260610T250000",
    "DTSTART:2026-06-10T09:00:00",
    "DTSTART:PT1H",
    "dtstart;tzid=Europe/Paris:20260610T090000",
    "DTSTART:20251231T233000Z",
    "DTSTART;VALUE=DATE:20251231",
    "DTSTART:99991231T235959Z",
    "DTSTART;TZID=:20260610T090000",
    'DTSTART;TZID="":20260610T090000',
]
ENDS = [
    "",
    "DTEND:20260610T100000Z",
    "DTEND;TZID=Europe/Paris:20260610T103000",
    "DTEND:20260610T100000",
    "DTEND;VALUE=DATE:20260612",
    "DTEND:20260611",
    "DTEND:20200101T000000Z",
    "DURATION:PT1H",
    "DURATION:PT1H30M",
    "DURATION:P1D",
    "DURATION:P1DT2H",
    "DURATION:P2W",
    "DURATION:-PT1H",
    "DURATION:PT0S",
    "DURATION:PT",
    "DURATION:1H",
    "DURATION;VALUE=TEXT:PT1H",
]
TEXTS = [
    "SUMMARY:Rencontre avec la FNSEA",
    "SUMMARY:Réunion\\, FNSEA\\; point\\nsuite\\Nfin \\\\ barre",
    "SUMMARY;LANGUAGE=fr:Visite de chantier",
    'DESCRIPTION;ALTREP="cid:part1.0001@example.org":Ordre du jour',
    "DESCRIPTION:Ligne 1\\nLigne 2 : suite",
    "LOCATION:Mairie\\, salle 2",
    "LOCATION;VALUE=URI:https://example.org/salle",
    "SUMMARY:",
    "SUMMARY:   espaces   ",
    "SUMMARY;X-PARAM=^'quoted^':Titre",
    "SUMMARY;X-PARAM=a,b:Titre",
    "SUMMARY;X-PARAM=100%:Titre",
]
PEOPLE = [
    "ORGANIZER;CN=Marie Dupont:mailto:marie.dupont@bellerive.example",
    'ORGANIZER;CN="Dupont, Marie":MAILTO:Marie.Dupont@Bellerive.example',
    'ATTENDEE;CN="Jean-Luc Martin";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:jl@b.example',
    "ATTENDEE;ROLE=chair;PARTSTAT=needs-action:mailto:x@y.example",
    "ATTENDEE:urn:uuid:1234",
    "ATTENDEE;CN=Salle du conseil:",
    "ATTENDEE:Pas une adresse",
    "ATTENDEE;CN= espace:mailto:a@b.example",
    'ATTENDEE;MEMBER="mailto:a@b.example","mailto:c@d.example":mailto:e@f.example',
    "ATTENDEE;CN=a\\,b:mailto:a@b.example",
    "ATTENDEE:mailto:a\\;b@c.example",
    "ATTENDEE;CN=A;cn=B:mailto:a@b.example",
    "ATTENDEE;EMAIL=x@y.example;CN=Y:mailto:x@y.example",
]
OTHERS = [
    "CATEGORIES:Représentants d'intérêts",
    "CATEGORIES:a,b,a",
    "CATEGORIES:a\\,b, c ,,",
    "CATEGORIES:",
    "STATUS:TENTATIVE",
    "STATUS:cancelled",
    "STATUS:CANCELED",
    "STATUS:UNKNOWN",
    "CLASS:PRIVATE",
    "CLASS:confidential",
    "CLASS:X-PERSONAL",
    "CLASS:PUBLIC",
    "X-CALENDARSERVER-ACCESS:CONFIDENTIAL",
    "X-CALENDARSERVER-ACCESS:RESTRICTED",
    "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE",
    "X-MICROSOFT-CDO-ALLDAYEVENT:false",
    "SEQUENCE:3",
    "SEQUENCE:007",
    "SEQUENCE:-1",
    "SEQUENCE:trois",
    "LAST-MODIFIED:20260601T120000Z",
    "LAST-MODIFIED:20260601T120000",
    "LAST-MODIFIED;VALUE=DATE:20260601",
    "DTSTAMP:20260602T080000Z",
    "X-MS-OLK-CONFTYPE:0",
    "GEO:not;a;position",
    "URL:https://example.org",
    "RRULE:FREQ=WEEKLY;COUNT=3",
    "RECURRENCE-ID:20260610T090000Z",
    "EXDATE:20260617T090000Z",
    "SUMMARY:une deuxième",
    "UID:a-second-uid",
]
CALENDAR_LINES = [
    "X-WR-TIMEZONE:America/New_York",
    "X-WR-TIMEZONE:Pas/Une_Zone",
    "METHOD:CANCEL",
    "METHOD:PUBLISH",
    "CALSCALE:GREGORIAN",
    "CALSCALE:JULIAN",
    "CALSCALE:",
    "CALSCALE:gregorian",
    "X-WR-TIMEZONE:",
    "METHOD:",
    "X-CALENDARSERVER-ACCESS:PRIVATE",
    "X-WR-CALNAME:Agenda",
]
AROUND = [
    PARIS_ZONE,
    tuple(line.replace("Europe/Paris", "Customized Time Zone") for line in PARIS_ZONE),
    ("BEGIN:VTODO", "UID:t", "END:VTODO"),
    ("BEGIN:X-VENDOR", "X-A:b", "END:X-VENDOR"),
]
NESTED = [
    ("BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT15M", "END:VALARM"),
    ("BEGIN:VALARM", "ACTION:DISPLAY", "END:VEVENT"),
    ("BEGIN:X-APPLE", "BEGIN:X-INNER", "END:X-INNER", "END:X-APPLE"),
]


def test_every_object_of_the_benchmark_calendar_that_is_one_meeting_is_read_plainly() -> None:
    objects = generate(400, series=series_count(400), seed=7, today=date(2026, 6, 1))

    read = [agree(item.text) for item in objects]

    assert read == [not item.recurring for item in objects]


@pytest.mark.parametrize("path", sorted(CALENDARS.glob("*.ics")), ids=lambda path: path.name)
def test_client_exports_agree_whole_and_object_by_object(path: Path) -> None:
    text = decode(path.read_bytes())
    agree(text)
    try:
        pieces = list(split_feed(text).values())
    except MalformedObjectError:  # not a well-nested calendar: nothing to split
        pieces = []
    for piece in pieces:
        agree(decode(piece))


def test_client_dialects_of_one_meeting_are_read_plainly() -> None:
    google = meeting(
        "DTSTART:20260610T070000Z",
        "DTEND:20260610T080000Z",
        "SUMMARY:Rencontre\\, FNSEA",
        "ORGANIZER;CN=marie.dupont@bellerive.example:mailto:marie.dupont@bellerive.example",
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Jean Martin;"
        "X-NUM-GUESTS=0:mailto:jean.martin@fnsea.example",
        "CLASS:PRIVATE",
        calendar=("X-WR-TIMEZONE:Europe/Paris", "METHOD:PUBLISH"),
    )
    outlook = meeting(
        "DTSTART;TZID=Romance Standard Time:20260610T090000",
        "DTEND;TZID=Romance Standard Time:20260610T100000",
        'ORGANIZER;CN="Dupont, Marie":mailto:marie.dupont@bellerive.example',
        "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE",
        before=tuple(line.replace("Europe/Paris", "Romance Standard Time") for line in PARIS_ZONE),
    )
    apple = meeting(
        "DTSTART;VALUE=DATE:20260610",
        "DTEND;VALUE=DATE:20260612",
        "X-CALENDARSERVER-ACCESS:CONFIDENTIAL",
        *NESTED[0],
        calendar=("CALSCALE:GREGORIAN",),
    )
    thunderbird = meeting(
        "DTSTART;TZID=/mozilla.org/20050126_1/Europe/Paris:20260610T090000",
        "DURATION:PT1H30M",
        "CATEGORIES:Rencontres,Urbanisme",
    )

    assert [agree(text) for text in (google, outlook, apple, thunderbird)] == [True] * 4


@pytest.mark.parametrize(
    "lines",
    [(start,) for start in STARTS]
    + [("DTSTART;TZID=Europe/Paris:20260610T090000", end) for end in ENDS]
    + [("DTSTART;VALUE=DATE:20260610", end) for end in ENDS]
    + [("DTSTART:20260610T090000Z", line) for line in TEXTS + PEOPLE + OTHERS],
)
def test_each_form_of_each_property_agrees(lines: tuple[str, ...]) -> None:
    agree(meeting(*lines))


@pytest.mark.parametrize("calendar_line", CALENDAR_LINES)
@pytest.mark.parametrize("start", ["DTSTART:20260610T090000Z", "DTSTART:20260610T090000"])
def test_each_calendar_property_agrees(calendar_line: str, start: str) -> None:
    agree(meeting(start, "CLASS:PUBLIC", calendar=(calendar_line,)))


@pytest.mark.parametrize("around", AROUND)
@pytest.mark.parametrize("nested", NESTED)
def test_components_around_and_inside_the_event_agree(
    around: tuple[str, ...], nested: tuple[str, ...]
) -> None:
    agree(meeting("DTSTART;TZID=Europe/Paris:20260610T090000", *nested, before=around))


def test_random_combinations_agree_and_most_common_ones_are_read_plainly() -> None:
    rng = random.Random(20261130)  # noqa: S311 - a test's input, not a secret
    read = 0
    for _ in range(1500):
        start = rng.choice(STARTS[:13] if rng.random() < 0.8 else STARTS)
        found = [start, rng.choice(ENDS), *rng.sample(TEXTS + PEOPLE + OTHERS, 3)]
        text = meeting(
            *[line for line in found if line],
            *(rng.choice(NESTED) if rng.random() < 0.2 else ()),
            calendar=tuple(rng.sample(CALENDAR_LINES, rng.randint(0, 2))),
            before=rng.choice(AROUND) if rng.random() < 0.3 else (),
        )
        if rng.random() < 0.3:  # folded as clients write long lines (§3.1)
            text = "\r\n ".join(text[index : index + 60] for index in range(0, len(text), 60))
        read += agree(text)

    assert read > 100, "too few combinations were plain for this test to check the plain path"


def fuzzed_meeting(rng: random.Random) -> str:
    """One VEVENT without recurrence whose other lines are the fuzzer's: the properties the
    register reads, with random parameters and values valid, nearly valid or random."""
    names = [name for name in EVENT_NAMES if name not in ("RRULE", "RDATE", "EXDATE", "EXRULE")]
    zone = rng.choice(["", ";TZID=Europe/Paris", ";VALUE=DATE", ";TZID=Romance Standard Time"])
    start = day(rng) if zone == ";VALUE=DATE" else date_time(rng)
    head = lines(rng, ["VERSION", "CALSCALE", "X-WR-TIMEZONE", "METHOD"], 3)
    body = lines(rng, names, 8)
    event = ["BEGIN:VEVENT", "UID:a@bellerive.example", f"DTSTART{zone}:{start}", *body]
    return write(rng, ["BEGIN:VCALENDAR", *head, *event, "END:VEVENT", "END:VCALENDAR"])


def test_fuzzed_meetings_agree() -> None:
    rng = random.Random(5545)  # noqa: S311 - a test's input, not a secret
    read = sum(agree(fuzzed_meeting(rng)) for _ in range(3000))

    assert read > 100, "too few fuzzed meetings were plain for this test to check the plain path"


def test_fuzzed_objects_agree() -> None:
    """Series, custom zones, mangled lines, other encodings: left to the full reading, or
    read as it reads them."""
    for seed in range(600):
        agree(decode(from_seed(seed)))


UTC_START = "DTSTART:20260610T090000Z"


@pytest.mark.parametrize(
    "text",
    [
        meeting(UTC_START, "ATTENDEE;CN=a = b:mailto:a@b.example"),
        meeting(UTC_START, "ORGANIZER;PARTSTAT=x= y:mailto:a@b.example"),
        meeting("DTSTART:20260610T090000", calendar=("X-WR-TIMEZONE:America/New_York\\n",)),
        meeting(UTC_START, "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\\n"),
        meeting(UTC_START, "X-CALENDARSERVER-ACCESS:PUBLIC\\N"),
        meeting(UTC_START, calendar=("X-CALENDARSERVER-ACCESS:RESTRICTED\\n",)),
        meeting("DTSTART:２０２６０６１０"),
        meeting(UTC_START, "DTEND;VALUE=DATE:٢٠٢٦٠٦١١"),
        meeting(UTC_START, "LAST-MODIFIED:20260601T120000Z", "DTSTAMP:20261310T000000Z"),
        meeting(UTC_START, "ATTENDEE:mailto:a@b.example\r"),
        meeting(UTC_START, "ORGANIZER:mailto:a\rb@c.example"),
        meeting(
            UTC_START,
            before=(
                *("BEGIN:VTIMEZONE", "BEGIN:X-A", "TZID:Europe/Paris", "END:X-A"),
                *("TZID:Custom", "END:VTIMEZONE"),
            ),
        ),
        meeting(
            UTC_START,
            before=("BEGIN:VTIMEZONE", "TZID:Europe/Paris")
            + ("BEGIN:STANDARD", "TZOFFSETTO:+0100", "END:STANDARD") * 101
            + ("END:VTIMEZONE",),
        ),
        meeting(UTC_START, "SUMMARY:a\x00b"),
    ],
)
def test_what_a_review_found_agrees(text: str) -> None:
    """Spaces around `=` in a parameter (icalendar drops them), X- values (icalendar does not
    unescape them), digits of other scripts, a broken DTSTAMP beside a LAST-MODIFIED, a carriage
    return in an address, a VTIMEZONE holding another component or past the observance budget,
    a NUL character (dropped when the text is decoded)."""
    agree(text)


def test_what_the_full_reading_refuses_is_left_to_it() -> None:
    ends_before = meeting("DTSTART:20260610T090000Z", "DTEND:20260610T080000Z")
    no_start = meeting("SUMMARY:Sans début")

    assert plain(ends_before) is None
    assert plain(no_start) is None
    with pytest.raises(ValueError, match="ends before it starts"):
        events_from_ical(ends_before, href="/a", window=WINDOW, default_timezone=ZONE)


def test_a_meeting_outside_the_window_has_no_occurrence_in_both_readings() -> None:
    text = meeting("DTSTART:20250610T090000Z", "DURATION:PT1H")

    assert plain(text) == () == full(text)


def test_the_plain_reading_is_what_a_sync_uses() -> None:
    text = meeting("DTSTART;TZID=Europe/Paris:20260610T090000", "SUMMARY:Rencontre\\, FNSEA")

    (event,) = events_from_ical(text, href="/cal/a.ics", window=WINDOW, default_timezone=ZONE)

    assert plain(text) == (event,)
    assert (event.start, event.end, event.timezone) == (
        datetime(2026, 6, 10, 7, tzinfo=UTC),
        None,
        "Europe/Paris",
    )
    assert event.summary == "Rencontre, FNSEA"
