"""Expanding the recurrences of one calendar object within a window, with bounded work.

recurring_ical_events does the expansion (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides moved in
or out of the window, RANGE=THISANDFUTURE, wall-clock time across DST: RFC 5545 §3.8.5, §3.8.4.4)
of rules that `connectors.recurrence_rules` has checked. It runs lazily, series by series, and
more than `MAX_OCCURRENCES` occurrences in the window make the object malformed rather than
truncated: a register must not silently miss meetings, and no real agenda holds 5,000 meetings
of one event in two years.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

import recurring_ical_events
from icalendar import Calendar, Component

from connectors.malformed import MalformedObjectError
from connectors.timezones import time_of

MAX_OCCURRENCES = 5000
"""The most occurrences one calendar object may have in the window."""

WINDOW_MARGIN = timedelta(days=1)
"""How much wider than the window occurrences are expanded: all-day events are days, not
instants, until they are placed in their zone (at most 14 hours from UTC), after which the
caller keeps those that really meet the window."""


def single_span(event: Component) -> tuple[date, date]:
    """The start and end of an event outside any series (see `span_of`)."""
    duration: Any = event.get("DURATION")
    return span_of(
        time_of(event, "DTSTART"),
        time_of(event, "DTEND") if "DTEND" in event else None,
        duration.dt if duration is not None else None,
    )


def span_of(start: date, end: date | None, duration: timedelta | None) -> tuple[date, date]:
    """The start and end of an event outside any series, as recurring_ical_events computes
    them (§3.6.1): DTEND; else DTSTART + DURATION; else one day for a date, nothing for a
    date-time (end = start)."""
    if end is not None:
        return start, end
    if duration is not None:
        if not isinstance(start, datetime) and duration.seconds:
            return start, datetime.combine(start, time()) + duration
        return start, start + duration
    if not isinstance(start, datetime):
        return start, start + timedelta(days=1)
    return start, start


Occurrence = tuple[Component, date, date, date]
"""An occurrence: the VEVENT it was made from (the one handed in, not a copy), its start, end
and RECURRENCE-ID."""


def _this_and_future(events: list[Component]) -> dict[tuple[str, date], tuple[date, timedelta]]:
    """The start of each RANGE=THISANDFUTURE override and how far it moves the occurrences
    after it (§3.8.4.4), by UID and RECURRENCE-ID."""
    moves: dict[tuple[str, date], tuple[date, timedelta]] = {}
    for event in events:
        prop: Any = event.get("RECURRENCE-ID")
        if prop is not None and str(prop.params.get("RANGE", "")).upper() == "THISANDFUTURE":
            start, original = time_of(event, "DTSTART"), time_of(event, "RECURRENCE-ID")
            moves[(str(event["UID"]), original)] = (start, start - original)
    return moves


def expand(events: list[Component], start: datetime, end: datetime) -> list[Occurrence]:
    """Every occurrence of the VEVENTs `events` meeting [start - margin, end + margin), in no
    particular order.

    The times must already carry their zones (`ObjectZones.localise`), so the query is built
    directly rather than with `recurring_ical_events.of`, whose only extra step is that
    X-WR-TIMEZONE conversion. A bad series raises rather than being skipped.

    The occurrences that a RANGE=THISANDFUTURE override moves come out of recurring_ical_events
    3.8 with the override's own RECURRENCE-ID; theirs is recomputed here (their start, moved
    back), or every one of them would have the same key.
    """
    if not events:
        return []
    calendar = Calendar()
    calendar.subcomponents = list(events)
    occurrences: list[Occurrence] = []
    try:
        moves = _this_and_future(events)
        query = recurring_ical_events.CalendarQuery(
            calendar, components=["VEVENT"], skip_bad_series=False
        )
        for series in query.series:
            for occurrence in series.between(start - WINDOW_MARGIN, end + WINDOW_MARGIN):
                if len(occurrences) == MAX_OCCURRENCES:
                    raise MalformedObjectError(
                        f"more than {MAX_OCCURRENCES} occurrences of event {series.uid} in "
                        f"the window: a recurrence this dense is refused"
                    )
                source, begins, ends, original = _span(occurrence)
                own_start, move = moves.get((str(series.uid), original), (begins, timedelta(0)))
                if begins != own_start:
                    original = begins - move
                occurrences.append((source, begins, ends, original))
    except MalformedObjectError:
        raise
    except Exception as error:  # the library's own errors and whatever bad data makes it trip on
        raise MalformedObjectError(f"the recurrences cannot be expanded: {error}") from error
    return occurrences


def _span(occurrence: Any) -> Occurrence:
    """The VEVENT an occurrence of recurring_ical_events comes from, and the DTSTART, DTEND and
    RECURRENCE-ID that `occurrence.as_component` would give it (the VEVENT's own RECURRENCE-ID
    for an override, else the start), read without that method's copy of the VEVENT and of
    its properties for every occurrence (1.6 s for the 16,000 of a 5,000-object calendar).

    The VEVENT is on the occurrence's adapter, which is not public API: a version of the
    library without it goes through `as_component` again."""
    source = getattr(getattr(occurrence, "_adapter", None), "_component", None)
    if not isinstance(source, Component):
        copy = occurrence.as_component(False)
        return (
            copy,
            time_of(copy, "DTSTART"),
            time_of(copy, "DTEND"),
            time_of(copy, "RECURRENCE-ID"),
        )
    begins, ends = (
        _moment(source, "DTSTART", occurrence.start),
        _moment(source, "DTEND", occurrence.end),
    )
    original = time_of(source, "RECURRENCE-ID") if "RECURRENCE-ID" in source else begins
    return source, begins, ends, original


def _moment(event: Component, name: str, value: object) -> date:
    """`value` as `time_of` would accept it for property `name` of `event`."""
    if not isinstance(value, date):
        raise MalformedObjectError(
            f"{name} of VEVENT {str(event.get('UID'))!r} is not a date or a date-time"
        )
    return value
