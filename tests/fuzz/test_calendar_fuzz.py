"""Fuzzing the calendar path a sync takes: whatever text a server or a feed sends, reading it
gives occurrences or a per-object failure (MalformedObjectError, recorded as ObjectFailed for
staff), never another exception, and each object costs bounded CPU time.

The generated text is described in `tests.fuzz.ical_strategies`; the number of cases per
property is `REGISTER_FUZZ_EXAMPLES` (see `tests.fuzz.examples`).
"""

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from hypothesis import given, note

from connectors.caldav_report import Body
from connectors.delta import ObjectChanged, ObjectFailed, Window
from connectors.icalendar_events import MalformedObjectError, events_from_ical
from connectors.ics_feed import split_feed
from connectors.object_parser import parse
from connectors.remote_event import RemoteEvent
from tests.fuzz.examples import examples, fuzz_settings
from tests.fuzz.ical_strategies import ical_objects

WINDOW = Window(start=datetime(2025, 6, 1, tzinfo=UTC), end=datetime(2027, 6, 1, tzinfo=UTC))
OBJECTS, PAIRS, FEEDS = 1000, 300, 500
"""Cases per property in the default run; `REGISTER_FUZZ_EXAMPLES` sets them all."""
CPU_SECONDS = 2.0
"""The most CPU time one object may take to read, whatever it holds."""


def read(data: str | bytes) -> tuple[RemoteEvent, ...]:
    return events_from_ical(data, href="/h", window=WINDOW, default_timezone="Europe/Paris")


def texts(value: object) -> Iterator[str]:
    """Every string in a dumped model."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts(item)


def assert_well_formed(events: tuple[RemoteEvent, ...]) -> None:
    for event in events:
        for value in texts(event.model_dump()):
            assert "\x00" not in value, "PostgreSQL refuses NUL in text"
            value.encode()  # valid UTF-8: no lone surrogate
        assert event.start.utcoffset() == timedelta(0)
        assert event.end is None or event.end >= event.start
        assert event.key.uid
        assert event.start < WINDOW.end
        assert (event.end or event.start) >= WINDOW.start - timedelta(days=1)
    assert [e.start for e in events] == sorted(e.start for e in events)
    assert len({event.key for event in events}) == len(events)


def read_within_bounds(data: str | bytes) -> tuple[RemoteEvent, ...] | MalformedObjectError:
    """The events of one object or the error that refuses it, asserting the CPU time taken."""
    note(repr(data))
    began = time.process_time()
    try:
        outcome: tuple[RemoteEvent, ...] | MalformedObjectError = read(data)
    except MalformedObjectError as refused:
        outcome = refused
    spent = time.process_time() - began
    assert spent < CPU_SECONDS, f"{spent:.2f} s of CPU for {len(data)} characters"
    return outcome


def split_or_refuse(feed: str | bytes) -> dict[str, bytes] | MalformedObjectError:
    try:
        return split_feed(feed)
    except MalformedObjectError as refused:
        return refused


def test_any_object_gives_occurrences_or_a_failure_for_staff() -> None:
    runs: list[bool] = []

    @fuzz_settings(OBJECTS)
    @given(ical_objects)
    def check(data: str | bytes) -> None:
        outcome = read_within_bounds(data)
        runs.append(isinstance(outcome, tuple))
        if isinstance(outcome, MalformedObjectError):
            assert str(outcome), "a failure says what is wrong"
        else:
            assert_well_formed(outcome)

    check()

    assert len(runs) >= examples(OBJECTS)
    assert any(runs), "some generated objects are read"
    assert not all(runs), "some generated objects are refused"


def test_the_sync_parser_reports_every_object_changed_or_failed() -> None:
    runs = 0

    @fuzz_settings(PAIRS)
    @given(ical_objects, ical_objects)
    def check(first: str | bytes, second: str | bytes) -> None:
        nonlocal runs
        runs += 1
        bodies = [Body("/a.ics", '"1"', first), Body("/b.ics", None, second)]
        outcomes = parse(bodies, WINDOW, "Europe/Paris")
        assert [outcome.href for outcome in outcomes] == ["/a.ics", "/b.ics"]
        for outcome in outcomes:
            assert isinstance(outcome, ObjectChanged | ObjectFailed)
            if isinstance(outcome, ObjectFailed):
                assert outcome.message
                assert "Traceback" not in outcome.message

    check()

    assert runs >= examples(PAIRS)


def test_any_feed_splits_into_objects_that_read_or_fail_alone() -> None:
    runs = 0

    @fuzz_settings(FEEDS)
    @given(ical_objects)
    def check(feed: str | bytes) -> None:
        nonlocal runs
        runs += 1
        began = time.process_time()
        objects = split_or_refuse(feed)
        assert time.process_time() - began < CPU_SECONDS
        if isinstance(objects, MalformedObjectError):
            assert str(objects), "a refusal says what is wrong"
            return
        for href, body in objects.items():
            assert href.startswith("uid:")
            assert body.startswith(b"BEGIN:VCALENDAR\r\n")
            assert body.endswith(b"END:VCALENDAR\r\n")
            outcome = read_within_bounds(body)
            if isinstance(outcome, tuple):
                assert_well_formed(outcome)
                assert {f"uid:{event.key.uid}" for event in outcome} <= {href}

    check()

    assert runs >= examples(FEEDS)
