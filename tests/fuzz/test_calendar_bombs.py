"""Recurrence bombs and oversized objects: each is read within the window and the per-object
limits, or refused with a message naming the limit (an ObjectFailed staff see on the sync's
page), in bounded CPU time and memory, and the sync goes on with the other objects.

The limits: `connectors.recurrence.MAX_OCCURRENCES` (5,000 occurrences in the window),
`connectors.recurrence_rules.MAX_RULE_STEPS` / `MAX_RULES` / `MAX_ZONE_STEPS` (the work the
object's rules may cost), and `connectors.ical_text` budgets on what is parsed (VEVENTs,
observances, lines, RDATE/EXDATE values, characters).
"""

import time
import tracemalloc
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pytest

from connectors.caldav_report import Body
from connectors.delta import ObjectChanged, ObjectFailed, Window
from connectors.object_parser import parse

WINDOW = Window(start=datetime(2025, 6, 1, tzinfo=UTC), end=datetime(2027, 6, 1, tzinfo=UTC))
CPU_SECONDS = 1.5
PEAK_FACTOR = 6
"""The most memory an oversized object may hold while it is refused, in multiples of its size:
the text, its unfolded copy and its lines."""
FIRST = datetime(2026, 1, 5, 9)


def stamp(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%S}Z"


def calendar(*lines: str | Iterable[str]) -> str:
    flat = [line for part in lines for line in ([part] if isinstance(part, str) else part)]
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN", *flat]) + (
        "\r\nEND:VCALENDAR\r\n"
    )


def event(*lines: str, uid: str = "bomb@generator.example") -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", *lines, "END:VEVENT"]


def daily(*lines: str) -> list[str]:
    return event(f"DTSTART:{stamp(FIRST)}", "DURATION:PT1H", "RRULE:FREQ=DAILY", *lines)


def override(day: int, *, range_: str = "") -> list[str]:
    original = FIRST + timedelta(days=day)
    return event(
        f"RECURRENCE-ID{range_}:{stamp(original)}",
        f"DTSTART:{stamp(original + timedelta(hours=2))}",
    )


def custom_zone(*observances: Iterable[str]) -> list[str]:
    flat = [line for part in observances for line in part]
    return ["BEGIN:VTIMEZONE", "TZID:Heure locale", *flat, "END:VTIMEZONE"]


def standard(start: str = "19701025T030000", *lines: str) -> list[str]:
    return [
        "BEGIN:STANDARD",
        f"DTSTART:{start}",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        *lines,
        "END:STANDARD",
    ]


def nested(name: str, depth: int) -> list[str]:
    return [f"BEGIN:{name}"] * depth + [f"END:{name}"] * depth


LOCAL_START = "DTSTART;TZID=Heure locale:20260105T090000"

REFUSED = {
    "FREQ=SECONDLY without end": (
        calendar(event(f"DTSTART:{stamp(FIRST)}", "RRULE:FREQ=SECONDLY")),
        "would take about 44204400 steps to expand (at most 200000)",
    ),
    "FREQ=MINUTELY;COUNT=10000000": (
        calendar(event(f"DTSTART:{stamp(FIRST)}", "RRULE:FREQ=MINUTELY;COUNT=10000000")),
        "would take about 736740 steps to expand (at most 200000)",
    ),
    "FREQ=HOURLY without end: more occurrences than the cap": (
        calendar(event(f"DTSTART:{stamp(FIRST)}", "RRULE:FREQ=HOURLY")),
        "more than 5000 occurrences of event bomb@generator.example in the window",
    ),
    "50 daily rules begun in 1500, each within the budget": (
        calendar(
            event("DTSTART:15000101T090000Z", *(f"RRULE:FREQ=DAILY;BYHOUR={n}" for n in range(24)))
        ),
        "and the object's other rules would take about",
    ),
    "FREQ=HOURLY;BYSETPOS=42, found by the fuzz test (100 s of CPU)": (
        calendar(event("DTSTART;VALUE=DATE:20280407", "RRULE:FREQ=HOURLY;BYSETPOS=42;COUNT=9")),
        "BYSETPOS with FREQ=HOURLY is refused",
    ),
    "FREQ=MINUTELY;BYWEEKNO=70, found by the fuzz test": (
        calendar(event("DTSTART:20270718T035525Z", "RRULE:FREQ=MINUTELY;BYDAY=MO;BYWEEKNO=70")),
        "BYWEEKNO value 70 is out of range",
    ),
    "UNTIL=PT1H, found by fuzzing (AttributeError)": (
        calendar(event("DTSTART;VALUE=DATE:00010325", "RRULE:FREQ=MINUTELY;UNTIL=PT1H")),
        "UNTIL is not a date or date-time",
    ),
    "FREQ=MONTHLY;BYDAY=53FR, found by fuzzing (IndexError in dateutil)": (
        calendar(event(f"DTSTART:{stamp(FIRST)}", "RRULE:FREQ=MONTHLY;BYDAY=53FR,1SA")),
        "IndexError",
    ),
    "300 rules that never match": (
        calendar(
            event(
                f"DTSTART:{stamp(FIRST)}",
                *(
                    f"RRULE:FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;INTERVAL={n}"
                    for n in range(1, 301)
                ),
            )
        ),
        "more than 50 RRULEs in one calendar object",
    ),
    "3,000 overrides": (
        calendar(daily(), *(override(day) for day in range(3000))),
        "more than 2000 VEVENTs in one calendar object",
    ),
    "20,000 EXDATE lines": (
        calendar(daily(*(f"EXDATE:{stamp(FIRST + timedelta(minutes=n))}" for n in range(20_000)))),
        "more than 5000 RDATE and EXDATE values in one calendar object",
    ),
    "20,000 EXDATEs on one line": (
        calendar(
            daily("EXDATE:" + ",".join(stamp(FIRST + timedelta(minutes=n)) for n in range(20_000)))
        ),
        "more than 5000 RDATE and EXDATE values in one calendar object",
    ),
    "a SUMMARY of 5 MB": (
        calendar(event(f"DTSTART:{stamp(FIRST)}", "SUMMARY:" + "a" * 5_000_000)),
        "more than 1000000 characters in one calendar object",
    ),
    "a time zone changing every second": (
        calendar(
            custom_zone(standard("16010101T000000", "RRULE:FREQ=SECONDLY")), event(LOCAL_START)
        ),
        "the VTIMEZONE rule FREQ=SECONDLY would take too many steps",
    ),
    "a time zone of 3,000 observances": (
        calendar(custom_zone(*(standard() for _ in range(3000))), event(LOCAL_START)),
        "more than 100 STANDARD and DAYLIGHT observances in one calendar object",
    ),
    "a time zone of 20,000 RDATEs": (
        calendar(
            custom_zone(
                standard(
                    "19700101T030000",
                    "RDATE:" + ",".join(f"{y}0101T030000" for y in range(1970, 21970)),
                )
            ),
            event(LOCAL_START),
        ),
        "more than 5000 RDATE and EXDATE values in one calendar object",
    ),
    "60,000 content lines": (
        calendar(
            event(f"DTSTART:{stamp(FIRST)}", *(f"ATTENDEE:mailto:p{n}@x.fr" for n in range(60_000)))
        ),
        "more than 20000 content lines in one calendar object",
    ),
}

READ = {
    "1,500 overrides of a daily series": (
        calendar(daily(), *(override(day) for day in range(1500))),
        512,
    ),
    "1,000 THISANDFUTURE overrides": (
        calendar(daily(), *(override(day, range_=";RANGE=THISANDFUTURE") for day in range(1000))),
        512,
    ),
    "10,000 nested VALARMs in an event": (
        calendar(event(f"DTSTART:{stamp(FIRST)}", *nested("VALARM", 10_000))),
        1,
    ),
    "10,000 nested X- components beside an event": (
        calendar(nested("X-VENDOR", 10_000), event(f"DTSTART:{stamp(FIRST)}")),
        1,
    ),
    "10,000 nested VTIMEZONEs beside an event": (
        calendar(nested("VTIMEZONE", 10_000), event(f"DTSTART:{stamp(FIRST)}")),
        1,
    ),
    "4,000 RDATEs, under the cap": (
        calendar(
            event(
                f"DTSTART:{stamp(FIRST)}",
                "RDATE:" + ",".join(stamp(FIRST + timedelta(hours=n)) for n in range(1, 4000)),
            )
        ),
        4000,
    ),
    "4,999 EXDATEs of a minutely series": (
        calendar(
            event(
                f"DTSTART:{stamp(FIRST)}",
                "RRULE:FREQ=MINUTELY;COUNT=5000",
                "EXDATE:" + ",".join(stamp(FIRST + timedelta(minutes=n)) for n in range(1, 5000)),
            )
        ),
        1,
    ),
    "1,999 single events in one object": (
        calendar(
            *(
                event(f"DTSTART:{stamp(FIRST + timedelta(hours=n))}", uid=f"e{n}")
                for n in range(1999)
            )
        ),
        1999,
    ),
    "a daily series begun in 1500": (
        calendar(event("DTSTART:15000101T090000Z", "RRULE:FREQ=DAILY")),
        730,
    ),
}


def parse_bounded(data: str) -> ObjectChanged | ObjectFailed:
    """The sync's outcome for `data`, beside a good object, asserting the CPU time taken."""
    good = calendar(event(f"DTSTART:{stamp(FIRST)}", uid="good@x"))
    began = time.process_time()
    outcome, after = parse(
        [Body("/bomb.ics", None, data), Body("/good.ics", None, good)], WINDOW, "Europe/Paris"
    )
    spent = time.process_time() - began
    assert spent < CPU_SECONDS, f"{spent:.2f} s of CPU"
    assert isinstance(after, ObjectChanged), "the next object is read all the same"
    assert len(after.events) == 1
    return outcome


def peak_memory(data: str) -> int:
    """The most memory reading `data` held at once, in bytes (traced: ten times slower)."""
    tracemalloc.start()
    try:
        parse([Body("/bomb.ics", None, data)], WINDOW, "Europe/Paris")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("bomb", REFUSED, ids=list(REFUSED))
def test_a_bomb_is_refused_with_its_limit_for_staff(bomb: str) -> None:
    data, message = REFUSED[bomb]

    outcome = parse_bounded(data)

    assert isinstance(outcome, ObjectFailed), outcome
    assert message in outcome.message
    if len(data) > 100_000:  # refused before it is parsed, so memory stays within a few copies
        assert peak_memory(data) < PEAK_FACTOR * len(data) + 2**20


@pytest.mark.parametrize("load", READ, ids=list(READ))
def test_a_heavy_but_bounded_object_is_read(load: str) -> None:
    data, occurrences = READ[load]

    outcome = parse_bounded(data)

    assert isinstance(outcome, ObjectChanged), outcome
    assert len(outcome.events) == occurrences
