"""VTIMEZONE components (RFC 5545 §3.6.5) made from the system's time zone database.

Each onset of a new offset is found in the zone's history and yearly runs of the same rule
("last Sunday of March at 02:00") are written as one RRULE, the current rule without an end, as
calendar apps write them; an irregular onset gets an observance of its own. icalendar's
`Timezone.from_tzid` lists every onset as one multi-valued RDATE, which vobject (hence
dateutil-based readers) cuts to its first value, and puts each daylight onset at the wall
time after the change instead of before it (§3.6.5: DTSTART and RDATE are in TZOFFSETFROM),
an hour late: this module exists for those two reasons.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PROBE = timedelta(days=1)  # onsets of one zone are never less than a day apart
_UNTIL_SLACK = timedelta(days=1)
"""UNTIL is a bound, not an instance (§3.3.10): a day past the last onset, so that readers that
take the UTC value for a wall time (dateutil, hence vobject) still keep the last onset."""


@dataclass(frozen=True)
class Observance:
    """A zone's offset from UTC and the name of its time (TZNAME)."""

    offset: timedelta
    name: str


@dataclass(frozen=True)
class Onset:
    """The moment (UTC) a zone goes from one observance to the next."""

    at: datetime
    before: Observance
    after: Observance

    @property
    def wall(self) -> datetime:
        """The onset as the clocks read it just before (§3.6.5), without a zone."""
        return (self.at + self.before.offset).replace(tzinfo=None)


def _observance(zone: tzinfo, instant: datetime) -> Observance:
    local = instant.astimezone(zone)
    offset = local.utcoffset() or timedelta(0)
    return Observance(offset, local.tzname() or _offset_name(offset))


def _offset_name(offset: timedelta) -> str:
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def onsets(zone: tzinfo, first: datetime, last: datetime) -> tuple[Observance, list[Onset]]:
    """The observance at `first` and every onset until `last` (UTC instants), to the second:
    probed day by day, then narrowed by bisection."""
    current = _observance(zone, first)
    initial, found = current, []
    moment = first
    while moment < last:
        probe = min(moment + _PROBE, last)
        if _observance(zone, probe) == current:
            moment = probe
            continue
        low, high = int(moment.timestamp()), int(probe.timestamp())
        while high - low > 1:
            middle = (low + high) // 2
            if _observance(zone, datetime.fromtimestamp(middle, UTC)) == current:
                low = middle
            else:
                high = middle
        moment = datetime.fromtimestamp(high, UTC)
        after = _observance(zone, moment)
        found.append(Onset(moment, current, after))
        current = after
    return initial, found


def _weekday_rules(day: date) -> frozenset[str]:
    """The BYDAY values (§3.3.10) that name `day` in its month: "2SU", and "-1SU" if last."""
    weekday = _WEEKDAYS[day.weekday()]
    rules = {f"{(day.day - 1) // 7 + 1}{weekday}"}
    if (day + timedelta(days=7)).month != day.month:
        rules.add(f"-1{weekday}")
    return frozenset(rules)


@dataclass
class _Run:
    """Onsets of the same kind in consecutive years, on the same weekday rule."""

    onsets: list[Onset]
    rules: frozenset[str]

    def extends(self, onset: Onset) -> frozenset[str]:
        """The weekday rules this run keeps if `onset` joins it (none: it cannot)."""
        last = self.onsets[-1]
        if onset.wall.year != last.wall.year + 1:
            return frozenset()
        return self.rules & _weekday_rules(onset.wall.date())


def _runs(found: list[Onset]) -> list[_Run]:
    runs: list[_Run] = []
    open_runs: dict[tuple[object, ...], _Run] = {}
    for onset in found:
        wall = onset.wall
        kind = (onset.before, onset.after, wall.month, wall.time())
        run = open_runs.get(kind)
        rules = run.extends(onset) if run is not None else frozenset()
        if run is not None and rules:
            run.onsets.append(onset)
            run.rules = rules
            continue
        run = _Run([onset], _weekday_rules(wall.date()))
        open_runs[kind] = run
        runs.append(run)
    return runs


def _component(
    before: Observance, after: Observance, start: datetime, *, daylight: bool
) -> TimezoneStandard | TimezoneDaylight:
    """One observance. DAYLIGHT is the one that sets the clocks forward, whatever the database
    calls it: readers resolve the repeated hour of a change by it, and tzdata's negative
    daylight saving time (Dublin's winter, Morocco's Ramadan) would mislead them."""
    component = TimezoneDaylight() if daylight else TimezoneStandard()
    component.add("dtstart", start)
    component.add("tzoffsetfrom", before.offset)
    component.add("tzoffsetto", after.offset)
    component.add("tzname", after.name)
    return component


def _byday(rules: frozenset[str]) -> str:
    """The BYDAY of a run: "-1SU" rather than "4SU" when its days are both (the rule, not the
    coincidence)."""
    return min(rules, key=lambda rule: (not rule.startswith("-"), rule))


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE of `tzid`, exact from the start of `first_year` to the end of `last_year`,
    and projecting the zone's rule of `last_year` beyond. Raises ValueError for a zone this
    system does not know."""
    try:
        zone = ZoneInfo(tzid)
    except Exception as error:  # ZoneInfoNotFoundError, or ValueError for a malformed key
        raise ValueError(f"unknown time zone {tzid!r}") from error
    start = datetime(first_year, 1, 1, tzinfo=UTC)
    initial, found = onsets(zone, start, datetime(last_year + 1, 1, 1, tzinfo=UTC))
    timezone = Timezone()
    timezone.add("tzid", tzid)
    # The observance in force at the start; it came, as a rule, from the one that follows it
    # (the other side of a daylight saving change), which tells readers which way it went.
    previous = found[0].after if found else initial
    timezone.add_component(
        _component(
            previous,
            initial,
            (start + initial.offset).replace(tzinfo=None),
            daylight=initial.offset > previous.offset,
        )
    )
    for run in _runs(found):
        head, tail = run.onsets[0], run.onsets[-1]
        component = _component(
            head.before, head.after, head.wall, daylight=head.after.offset > head.before.offset
        )
        if len(run.onsets) > 1:
            rule: dict[str, object] = {
                "freq": "yearly",
                "bymonth": head.wall.month,
                "byday": _byday(run.rules),
            }
            if tail.wall.year < last_year:  # the rule stopped within the span
                rule["until"] = tail.at + _UNTIL_SLACK
            component.add("rrule", rule)
        timezone.add_component(component)
    document: bytes = timezone.to_ical()
    return document
