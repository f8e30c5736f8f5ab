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

The bounds hold for the whole object, not rule by rule: its rules share one budget of steps,
and it may hold at most `MAX_RULES` rules (each may cost a probe of a few milliseconds). The
observances of its custom VTIMEZONEs (§3.6.5), which dateutil expands in the same way whenever a
time is placed in their zone, are checked likewise (`check_zone_rules`).
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
"""The most iterations the RRULEs of one object may need together, each from its DTSTART to the
end of the window: a daily rule begun in 1500 fits, a secondly one for more than two days does
not."""

MAX_RULES = 50
"""The most RRULEs in one object (§3.8.5.3: an event SHOULD have one)."""

MAX_ZONE_STEPS = 20_000
"""The most iterations the observances' rules may need together, up to `ZONE_RULES_UNTIL`:
yearly rules (every real zone's) begun in 1601, as Outlook writes them, need 440 each."""

_OBSERVANCES = frozenset({"STANDARD", "DAYLIGHT"})

ZONE_RULES_UNTIL = datetime(2040, 1, 1, tzinfo=UTC)
"""How far zone rules are counted: icalendar expands them up to 2038 when they have no end."""

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
_SUB_DAILY = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})
_RANGES = {
    "BYSECOND": (0, 60),
    "BYMINUTE": (0, 59),
    "BYHOUR": (0, 23),
    "BYMONTHDAY": (1, 31),
    "BYYEARDAY": (1, 366),
    "BYWEEKNO": (1, 53),
    "BYMONTH": (1, 12),
    "BYSETPOS": (1, 366),
}
"""The values RFC 5545 §3.3.10 allows (in absolute value where a sign is allowed): dateutil
checks few of them, and `FREQ=MINUTELY;BYWEEKNO=70` kept it busy for seconds (found by the
calendar fuzz test)."""


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


class RuleBudget:
    """The rules and the steps an object has used so far, refused past their limits."""

    def __init__(self) -> None:
        self.rules = 0
        self.steps = 0.0

    def spend(self, steps: float, text: str, uid: str) -> None:
        self.rules += 1
        self.steps += steps
        if self.rules > MAX_RULES:
            raise MalformedObjectError(
                f"more than {MAX_RULES} RRULEs in one calendar object: an object this large "
                "is refused"
            )
        if steps > MAX_RULE_STEPS:
            raise MalformedObjectError(
                f"RRULE {text} of event {uid} would take about {steps:.0f} steps to expand "
                f"(at most {MAX_RULE_STEPS}): a recurrence this dense is refused"
            )
        if self.steps > MAX_RULE_STEPS:
            raise MalformedObjectError(
                f"RRULE {text} of event {uid} and the object's other rules would take about "
                f"{self.steps:.0f} steps to expand (at most {MAX_RULE_STEPS} in one object): "
                "recurrences this dense are refused"
            )


def _written(rule: Any) -> str:
    """A rule as written in the calendar, for messages."""
    try:
        return str(rule.to_ical().decode(errors="replace"))
    except Exception as error:  # a part icalendar parsed but cannot write back (found by fuzzing)
        raise MalformedObjectError(f"an RRULE cannot be read: {error}") from error


def _check_parts(rule: Any, text: str, owner: str) -> None:
    for part in ("INTERVAL", "COUNT"):
        if not isinstance(_first(rule, part, 1), int) or _first(rule, part, 1) < 1:
            raise MalformedObjectError(f"RRULE {text} of {owner}: {part} must be positive")
    if not isinstance(_first(rule, "UNTIL", date.min), date):  # `UNTIL=PT1H`, found by fuzzing
        raise MalformedObjectError(f"RRULE {text} of {owner}: UNTIL is not a date or date-time")
    for part, (low, high) in _RANGES.items():
        for value in rule.get(part) or []:
            signed = value if low == 0 else abs(value)  # BYHOUR and the like have no sign
            if not isinstance(value, int) or not low <= signed <= high:
                raise MalformedObjectError(
                    f"RRULE {text} of {owner}: {part} value {value} is out of range (§3.3.10)"
                )
    freq = str(_first(rule, "FREQ", "")).upper()
    if freq in _SUB_DAILY and rule.get("BYSETPOS"):
        # Found by the calendar fuzz test: 100 s of CPU for one object.
        raise MalformedObjectError(
            f"RRULE {text} of {owner}: BYSETPOS with FREQ={freq} is refused (dateutil spends "
            "about 0.1 s on each period of such a rule)"
        )


def prepare_rules(event: Component, until: datetime, budget: RuleBudget | None = None) -> None:
    """Check the RRULEs of `event` and drop those that never match; raise MalformedObjectError
    for one that is invalid or would take the object's rules past `MAX_RULE_STEPS` (counted in
    `budget`, shared by the object's events) to reach `until`."""
    rules = event.get("RRULE")
    if rules is None:
        return
    budget = budget or RuleBudget()
    start = time_of(event, "DTSTART")
    uid = str(event.get("UID"))
    kept = []
    for rule in rules if isinstance(rules, list) else [rules]:
        text = _written(rule)
        _check_parts(rule, text, f"event {uid}")
        budget.spend(rule_steps(rule, to_utc(start, UTC), until), text, uid)
        try:
            if matches_ever(rule, start):
                kept.append(rule)
        except MalformedObjectError:
            raise
        except Exception as error:  # dateutil trips on odd rules: IndexError on MONTHLY 53FR
            raise MalformedObjectError(f"RRULE {text} of event {uid}: {error!r}") from error
    if not kept:
        del event["RRULE"]
    elif len(kept) < len(rules if isinstance(rules, list) else [rules]):
        event["RRULE"] = kept


def check_zone_rules(zones: list[Component], until: datetime) -> None:
    """Refuse custom VTIMEZONEs whose observances' rules would keep dateutil busy: more than
    `MAX_ZONE_STEPS` iterations together up to `until` or `ZONE_RULES_UNTIL`, whichever is
    later. Their number and RDATEs are bounded with the object's size
    (`connectors.ical_text.MAX_OBSERVANCES`, `MAX_DATE_VALUES`)."""
    observances = [
        part for zone in zones for part in zone.subcomponents if part.name in _OBSERVANCES
    ]
    end = max(until, ZONE_RULES_UNTIL)
    steps = 0.0
    for part in observances:
        start = getattr(part.get("DTSTART"), "dt", None)
        rules = part.get("RRULE")
        if not isinstance(start, date) or rules is None:
            continue  # icalendar's own reading of the zone reports it, if it is wrong
        candidates: list[Any] = rules if isinstance(rules, list) else [rules]
        for rule in candidates:
            if not isinstance(rule, vRecur):
                continue
            text = _written(rule)
            _check_parts(rule, text, "a VTIMEZONE")
            steps += rule_steps(rule, to_utc(start, UTC), end)
            if steps > MAX_ZONE_STEPS:
                raise MalformedObjectError(
                    f"the VTIMEZONE rule {text} would take too many steps to expand (at most "
                    f"{MAX_ZONE_STEPS} in one object): a time zone changes a few times a year"
                )
