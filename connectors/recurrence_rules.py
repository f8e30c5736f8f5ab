"""Recurrence rules checked before they are expanded, so that no rule runs unbounded.

recurring_ical_events expands RRULEs with dateutil, which iterates a rule from its DTSTART and
stops only when it yields an occurrence past the span asked for (or its COUNT or UNTIL). Two kinds
of rule ("recurrence bombs") would keep it busy for seconds or forever:

- dense rules begun long before the window: `FREQ=SECONDLY` begun a year earlier costs 30 million
  steps before the first occurrence is returned. A rule needing more than `MAX_RULE_STEPS`
  iterations to reach the end of the window is refused;
- rules that never match (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`, `BYSETPOS=5` of a one-day set):
  dateutil looks for their next occurrence up to the year 9999, 5 to 10 seconds per rule, even
  with an UNTIL. Calendar patterns repeat every 400 years (146,097 days, a whole number of
  weeks), so such a rule is found by probing it for one cycle near the year 9999, where dateutil
  gives up quickly, and then dropped: the event keeps its DTSTART (§3.8.5.3: the first instance)
  and RDATEs, which is all that dateutil would have given after those seconds.

INTERVAL and COUNT must be positive integers (RFC 5545 §3.3.10); dateutil loops forever on
INTERVAL=0.
"""

import math
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from dateutil.rrule import rrulestr  # type: ignore[import-untyped]  # icalendar's dependency
from icalendar import Component, vRecur

from connectors.malformed import MalformedObjectError
from connectors.timezones import UTC, time_of, to_utc

MAX_RULE_STEPS = 200_000
"""The most iterations one RRULE may need, from its DTSTART to the end of the window: a daily
rule begun in 1500 fits, a secondly one for more than two days does not."""

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

_CYCLE_YEARS = 400
_PERIODS_PER_CYCLE = {
    "YEARLY": 400,
    "MONTHLY": 4800,
    "WEEKLY": 20871,
    "DAILY": 146097,
    "HOURLY": 146097 * 24,
    "MINUTELY": 146097 * 24 * 60,
    "SECONDLY": 146097 * 24 * 60 * 60,
}
_LAST_YEAR = 9999


def _first(rule: Any, part: str, default: Any) -> Any:
    values = rule.get(part) or [default]
    return values[0]


def rule_steps(rule: Any, start: datetime, until: datetime) -> float:
    """An upper estimate of the iterations dateutil makes for `rule` from `start` to `until`."""
    period = _PERIODS.get(str(_first(rule, "FREQ", "")).upper(), timedelta(days=1))
    rule_until = _first(rule, "UNTIL", None)
    end = min(until, to_utc(rule_until, UTC)) if rule_until is not None else until
    periods = max(0.0, (end - start) / (period * int(_first(rule, "INTERVAL", 1))))
    count = _first(rule, "COUNT", None)
    if count is not None:
        periods = min(periods, float(count))
    return periods * math.prod(len(rule.get(part) or [None]) for part in _EXPANDING_PARTS)


def matches_ever(rule: Any, start: date) -> bool:
    """Whether `rule`, begun at `start`, has any occurrence (§3.3.10), by probing it from a start
    a whole number of 400-year cycles later, so that dateutil has at most a few cycles to search
    before the year 9999. The shift is also a whole number of INTERVALs, so the probe sees the
    same periods. Rules that cannot be shifted so are said to match: their search is short."""
    first = start if isinstance(start, datetime) else datetime.combine(start, time())
    freq = str(_first(rule, "FREQ", "")).upper()
    interval = int(_first(rule, "INTERVAL", 1))
    cycle = _CYCLE_YEARS * interval // math.gcd(_PERIODS_PER_CYCLE.get(freq, 1), interval)
    shifts = (_LAST_YEAR - cycle - first.year) // cycle
    if shifts < 1:
        return True
    probe: Any = vRecur({p: v for p, v in rule.items() if p not in {"COUNT", "UNTIL"}})
    return _has_occurrence(
        probe.to_ical().decode(), first.replace(year=first.year + shifts * cycle)
    )


@lru_cache(maxsize=1024)
def _has_occurrence(rule: str, start: datetime) -> bool:
    """Whether dateutil finds an occurrence of `rule` from `start` (cached: a calendar that
    repeats a rule that never matches costs one search, not one per copy)."""
    return next(iter(rrulestr(rule, dtstart=start)), None) is not None


def prepare_rules(event: Component, until: datetime) -> None:
    """Check the RRULEs of `event` and drop those that never match; raise MalformedObjectError
    for one that is invalid or would take more than `MAX_RULE_STEPS` to reach `until`."""
    rules = event.get("RRULE")
    if rules is None:
        return
    start = time_of(event, "DTSTART")
    uid = str(event.get("UID"))
    kept = []
    for rule in rules if isinstance(rules, list) else [rules]:
        text = rule.to_ical().decode(errors="replace")
        for part in ("INTERVAL", "COUNT"):
            if not isinstance(_first(rule, part, 1), int) or _first(rule, part, 1) < 1:
                raise MalformedObjectError(f"RRULE {text} of event {uid}: {part} must be positive")
        steps = rule_steps(rule, to_utc(start, UTC), until)
        if steps > MAX_RULE_STEPS:
            raise MalformedObjectError(
                f"RRULE {text} of event {uid} would take about {steps:.0f} steps to expand "
                f"(at most {MAX_RULE_STEPS}): a recurrence this dense is refused"
            )
        try:
            if matches_ever(rule, start):
                kept.append(rule)
        except (ValueError, TypeError, OverflowError) as error:
            raise MalformedObjectError(f"RRULE {text} of event {uid}: {error}") from error
    if not kept:
        del event["RRULE"]
    elif len(kept) < len(rules if isinstance(rules, list) else [rules]):
        event["RRULE"] = kept
