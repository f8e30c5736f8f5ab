"""Which time zone the times of a calendar object are in (RFC 5545 §3.2.19, §3.3.5, §3.6.5).

Times are stored in UTC with the event's own IANA zone kept, so every TZID becomes a tzinfo that
gives the right instants and an IANA name to show. Clients write TZIDs in several dialects:

- an IANA name (Google, Apple, Thunderbird, most servers): the tz database gives the instants,
  whatever the VTIMEZONE says, because it is the maintained definition of that very zone;
- a Windows name ("Romance Standard Time", Outlook and Exchange): mapped with the CLDR table that
  icalendar ships (`icalendar.timezone.windows_to_olson`), then as above;
- a "globally unique" TZID ("/mozilla.org/20050126_1/Europe/Paris", old Lightning, Evolution):
  its trailing IANA name, then as above;
- anything else ("Customized Time Zone", "(UTC+01:00) Bruxelles, Copenhague, Madrid, Paris"):
  the object's own VTIMEZONE gives the instants (§3.6.5), and the name shown is its
  X-LIC-LOCATION, else the IANA zone whose offsets it matches (the calendar's zone first), else
  the calendar's zone.

A TZID that is none of these and has no VTIMEZONE is read as floating time (§3.3.5), in the
calendar's zone, rather than losing the whole object. The calendar's zone is its X-WR-TIMEZONE
(Google's convention) when that names a known zone, else the authority's default zone.

icalendar caches VTIMEZONE definitions process-wide by TZID, so a second object reusing a custom
TZID ("Customized Time Zone" is common) with other rules would get the first one's offsets. Here
definitions are built from each VTIMEZONE's own text, never looked up by TZID.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache, lru_cache
from typing import Any, cast
from zoneinfo import ZoneInfo, available_timezones

from icalendar import Component, Timezone
from icalendar.timezone import tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from connectors.malformed import MalformedObjectError

UTC = ZoneInfo("UTC")

_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
"""Files of the tz database that are not zones one may name in a calendar."""

_REGIONS = frozenset(
    {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian"}
    | {"Pacific", "Etc"}
)
"""The areas of canonical zone names, searched when identifying a custom VTIMEZONE."""

_SAMPLES = tuple(datetime(2025, 1, 4, 12, tzinfo=UTC) + timedelta(weeks=n) for n in range(104))
"""Instants at which two zones must agree to be taken for the same one: weekly over two years,
so that daylight saving rules are compared to within a week."""

TIME_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")
"""The properties of a VEVENT that hold instants (§3.8.2.4, §3.8.2.2, §3.8.4.4, §3.8.5.1-2)."""


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones() - _NOT_ZONES)


def iana_zone(name: str) -> ZoneInfo | None:
    """The tz database zone that `name` stands for, if any: an IANA name, a Windows name, or a
    vendor-prefixed ("globally unique") IANA name."""
    cleaned = name.strip().strip("/")
    candidates = [cleaned]
    if cleaned in WINDOWS_TO_OLSON:
        candidates.append(WINDOWS_TO_OLSON[cleaned])
    if name.startswith("/"):
        parts = cleaned.split("/")
        candidates.extend("/".join(parts[first:]) for first in range(1, len(parts)))
    for candidate in candidates:
        if candidate in _zone_names():
            return ZoneInfo(candidate)
    return None


def _offsets(zone: tzinfo) -> tuple[timedelta | None, ...]:
    return tuple(sample.astimezone(zone).utcoffset() for sample in _SAMPLES)


@cache
def _zones_by_offsets() -> dict[tuple[timedelta | None, ...], tuple[str, ...]]:
    """Canonical zones grouped by their offsets at the sample instants (built once, ~50 ms)."""
    groups: defaultdict[tuple[timedelta | None, ...], list[str]] = defaultdict(list)
    for name in sorted(_zone_names()):
        if name.split("/", 1)[0] in _REGIONS and "/" in name:
            groups[_offsets(ZoneInfo(name))].append(name)
    return {offsets: tuple(names) for offsets, names in groups.items()}


def _names(zone: tzinfo) -> tuple[str | None, ...]:
    return tuple(sample.astimezone(zone).tzname() for sample in _SAMPLES)


def _identify(zone: tzinfo, tzid: str, preferred: str) -> str:
    """The IANA name of a zone defined only by a VTIMEZONE, among the zones with the same
    offsets: `preferred`, else one whose city the TZID names, else one with the same
    abbreviations (TZNAME: EST tells New York from Havana), else the one CLDR gives for a
    Windows zone, else an `Etc/` zone for a fixed offset, else the first; `preferred` when no
    zone has those offsets."""
    offsets = _offsets(zone)
    if offsets == _offsets(ZoneInfo(preferred)):
        return preferred
    matches = _zones_by_offsets().get(offsets, ())
    words = tzid.casefold()
    for name in matches:
        if name.rsplit("/", 1)[-1].replace("_", " ").casefold() in words:
            return name
    names = _names(zone)
    if None not in names:
        matches = tuple(name for name in matches if _names(ZoneInfo(name)) == names) or matches
    for name in _representatives():
        if name in matches:
            return name
    fixed = [name for name in matches if name.startswith("Etc/")]
    if fixed and len(set(offsets)) == 1:
        return fixed[0]
    return next((name for name in matches if not name.startswith("Etc/")), preferred)


@cache
def _representatives() -> tuple[str, ...]:
    """The zones CLDR maps Windows zones to, in the order of the Windows names."""
    return tuple(dict.fromkeys(WINDOWS_TO_OLSON.values()))


@lru_cache(maxsize=256)
def zone_from_definition(text: bytes, preferred: str) -> tuple[tzinfo, str]:
    """The tzinfo a VTIMEZONE (given as its text) defines, and the IANA name to show for it."""
    definition = cast(Timezone, Timezone.from_ical(text))
    tzid = str(definition.get("TZID", ""))
    location = iana_zone(str(definition.get("X-LIC-LOCATION", "")))
    try:
        zone = cast(tzinfo, definition.to_tz(tzp, lookup_tzid=False))
        _offsets(zone)  # try it out here, where its errors are reported for what they are
        return zone, location.key if location else _identify(zone, tzid, preferred)
    except Exception as error:  # dateutil's tzical raises assorted errors on odd definitions
        raise MalformedObjectError(f"VTIMEZONE {tzid!r} cannot be read: {error}") from error


class ObjectZones:
    """The zones of one calendar object: its floating zone and what each of its TZIDs means."""

    def __init__(self, calendar: Component, default_timezone: str) -> None:
        default = iana_zone(default_timezone)
        if default is None:
            raise ValueError(f"unknown default time zone {default_timezone!r}")
        declared = calendar.get("X-WR-TIMEZONE")
        self.calendar_zone = iana_zone(str(declared)) if declared is not None else None
        """The zone of the calendar's X-WR-TIMEZONE, if it names one (Google's convention)."""
        self.floating: ZoneInfo = self.calendar_zone or default
        """Where floating times, dates and unknown TZIDs are placed."""
        self._definitions = {
            str(component["TZID"]): component
            for component in calendar.subcomponents
            if component.name == "VTIMEZONE" and "TZID" in component
        }
        self._resolved: dict[str, tuple[tzinfo, str]] = {}

    def resolve(self, tzid: str) -> tuple[tzinfo, str]:
        """The tzinfo giving the instants of times written with `tzid`, and its IANA name."""
        resolved = self._resolved.get(tzid)
        if resolved is None:
            resolved = self._resolved[tzid] = self._resolve(tzid)
        return resolved

    def _resolve(self, tzid: str) -> tuple[tzinfo, str]:
        known = iana_zone(tzid)
        if known is not None:
            return known, known.key
        definition = self._definitions.get(tzid)
        if definition is None:
            return self.floating, self.floating.key
        return zone_from_definition(definition.to_ical(), self.floating.key)

    def of_start(self, event: Component) -> tuple[tzinfo, str]:
        """The zone an event is written in: its DTSTART's TZID, else the floating zone (also
        for UTC times, whose zone is only for display)."""
        prop: Any = event["DTSTART"]
        tzid = prop.params.get("TZID")
        if tzid:
            return self.resolve(str(tzid))
        return self.floating, self.floating.key

    def localise(self, event: Component) -> None:
        """Give every time of `event` its instant, in place, before recurrences are expanded:
        TZID times get the zone resolved above, floating times the floating zone, and UTC
        times the X-WR-TIMEZONE zone if any (the same instants, but a weekly series written in
        UTC by Google then keeps its wall-clock time across DST, as x-wr-timezone does)."""
        for name in TIME_PROPERTIES:
            value = event.get(name)
            for prop in value if isinstance(value, list) else [value]:
                if prop is None:
                    continue
                tzid = prop.params.get("TZID")
                as_date = prop.params.get("VALUE") == "DATE"
                for item in getattr(prop, "dts", [prop]):
                    item.dt = self._localise(item.dt, str(tzid) if tzid else None, as_date=as_date)

    def _localise(self, value: Any, tzid: str | None, *, as_date: bool) -> Any:
        if isinstance(value, tuple):  # a PERIOD of RDATE (§3.3.9): start and end or duration
            start, end = value
            if not isinstance(end, timedelta):
                end = self._localise(end, tzid, as_date=False)
            return (self._localise(start, tzid, as_date=False), end)
        if not isinstance(value, datetime):
            return value
        if as_date:  # icalendar turns `;TZID=…;VALUE=DATE:` into a midnight; a date it is
            return value.date()
        if tzid:
            value = value.replace(tzinfo=self.resolve(tzid)[0])
        elif value.tzinfo is None:
            value = value.replace(tzinfo=self.floating)
        elif self.calendar_zone is not None:
            value = value.astimezone(self.calendar_zone)
        return value


def to_utc(value: date, zone: tzinfo) -> datetime:
    """The UTC instant of a date (its midnight in `zone`, §3.3.4) or of a date-time (naive ones
    are in `zone`)."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)  # noqa: DTZ001 - placed in zone below
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


_KINDS = ((timedelta, "a duration"), (tuple, "a period"), (time, "a time"))


def time_of(component: Component, name: str) -> date:
    """The date or date-time of a property holding one (DTSTART, DTEND, RECURRENCE-ID); icalendar
    also reads `DTSTART:PT1H` or `DTSTART:120000` without complaint, as a duration or a time."""
    value = getattr(component[name], "dt", None)
    if not isinstance(value, date):
        kind = next((kind for cls, kind in _KINDS if isinstance(value, cls)), "something else")
        raise MalformedObjectError(
            f"{name} of VEVENT {str(component.get('UID'))!r} is {kind}, not a date or a date-time"
        )
    return value
