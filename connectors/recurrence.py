"""Expanding the recurrences of one calendar object within a window, with bounded work.

recurring_ical_events does the expansion (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides moved in
or out of the window, RANGE=THISANDFUTURE, wall-clock time across DST: RFC 5545 §3.8.5, §3.8.4.4).
Two limits keep a hostile or broken object ("recurrence bomb") from running unbounded:

- before expanding, each RRULE's work is estimated: dateutil iterates a rule from its DTSTART,
  so `FREQ=SECONDLY` begun a year before the window costs 30 million steps before the first
  occurrence is even returned; a rule needing more than `MAX_RULE_STEPS` is refused;
- while expanding (lazily, series by series), more than `MAX_OCCURRENCES` occurrences in the
  window make the object malformed rather than truncated: a register must not silently miss
  meetings, and no real agenda holds 5,000 meetings of one event in two years.
"""

import math
from datetime import date, datetime, time, timedelta
from typing import Any

import recurring_ical_events
from icalendar import Calendar, Component

from connectors.malformed import MalformedObjectError
from connectors.timezones import UTC, time_of, to_utc

MAX_OCCURRENCES = 5000
"""The most occurrences one calendar object may have in the window."""

MAX_RULE_STEPS = 200_000
"""The most iterations one RRULE may need, from its DTSTART to the end of the window: a daily
rule begun in 1500 fits, a secondly one for more than two days does not."""

WINDOW_MARGIN = timedelta(days=1)
"""How much wider than the window occurrences are expanded: all-day events are days, not
instants, until they are placed in their zone (at most 14 hours from UTC), after which the
caller keeps those that really meet the window."""

_PERIODS = {
    "SECONDLY": timedelta(seconds=1),
    "MINUTELY": timedelta(minutes=1),
    "HOURLY": timedelta(hours=1),
    "DAILY": timedelta(days=1),
    "WEEKLY": timedelta(weeks=1),
    "MONTHLY": timedelta(days=28),
    "YEARLY": timedelta(days=365),
}

_EXPANDING_PARTS = (
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
)
"""Rule parts that can multiply the occurrences of a period (§3.3.10); counted as if they all
did, which overestimates filters and so errs on the side of refusing."""


def _first(rule: Any, part: str, default: Any) -> Any:
    values = rule.get(part) or [default]
    return values[0]


def rule_steps(rule: Any, start: datetime, until: datetime) -> float:
    """An upper estimate of the iterations dateutil makes for `rule` from `start` to `until`."""
    period = _PERIODS.get(str(_first(rule, "FREQ", "")).upper(), timedelta(days=1))
    interval = max(1, int(_first(rule, "INTERVAL", 1)))
    rule_until = _first(rule, "UNTIL", None)
    end = min(until, to_utc(rule_until, UTC)) if rule_until is not None else until
    periods = max(0.0, (end - start) / (period * interval))
    count = _first(rule, "COUNT", None)
    if count is not None:
        periods = min(periods, float(count))
    return periods * math.prod(len(rule.get(part) or [None]) for part in _EXPANDING_PARTS)


def check_rules(event: Component, until: datetime) -> None:
    """Refuse an event whose RRULEs would take more than `MAX_RULE_STEPS` to reach `until`."""
    rules = event.get("RRULE")
    if rules is None:
        return
    start = to_utc(time_of(event, "DTSTART"), UTC)
    for rule in rules if isinstance(rules, list) else [rules]:
        steps = rule_steps(rule, start, until)
        if steps > MAX_RULE_STEPS:
            text = rule.to_ical().decode(errors="replace")
            raise MalformedObjectError(
                f"RRULE {text} of event {event.get('UID')!s} would take about {steps:.0f} "
                f"steps to expand (at most {MAX_RULE_STEPS}): a recurrence this dense is refused"
            )


def single_span(event: Component) -> tuple[date, date]:
    """The start and end of an event outside any series, as recurring_ical_events computes
    them (§3.6.1): DTEND; else DTSTART + DURATION; else one day for a date, nothing for a
    date-time (end = start)."""
    start = time_of(event, "DTSTART")
    if "DTEND" in event:
        return start, time_of(event, "DTEND")
    duration: Any = event.get("DURATION")
    if duration is not None:
        length: timedelta = duration.dt
        if not isinstance(start, datetime) and length.seconds:
            return start, datetime.combine(start, time()) + length
        return start, start + length
    if not isinstance(start, datetime):
        return start, start + timedelta(days=1)
    return start, start


def expand(events: list[Component], start: datetime, end: datetime) -> list[Component]:
    """Every occurrence of the VEVENTs `events` meeting [start - margin, end + margin), as
    components with their own DTSTART, DTEND and RECURRENCE-ID, in no particular order.

    The times must already carry their zones (`ObjectZones.localise`), so the query is built
    directly rather than with `recurring_ical_events.of`, whose only extra step is that
    X-WR-TIMEZONE conversion. A bad series raises rather than being skipped.
    """
    calendar = Calendar()
    calendar.subcomponents = list(events)
    occurrences: list[Component] = []
    try:
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
                occurrences.append(occurrence.as_component(False))
    except MalformedObjectError:
        raise
    except Exception as error:  # the library's own errors and whatever bad data makes it trip on
        raise MalformedObjectError(f"the recurrences cannot be expanded: {error}") from error
    return occurrences
