"""The common calendar object, read without icalendar's parser.

Most objects of a real calendar are one meeting: one VEVENT, no recurrence, times in an IANA (or
Windows) zone, plain values. icalendar reads such an object in about 1.1 ms, nearly all of it in
splitting content lines into name, parameters and value (a Python loop over every character)
and building its property objects; the register then reads a dozen values from them. This
module reads those values straight from the unfolded lines, about five times faster, so that a
first sync of thousands of objects is not bound by the parser (`bench.sync_bench`).

It never decides anything on its own. Whatever is not plainly the common case gives None, and
the object is read by icalendar as before (`connectors.icalendar_events`): a series or an
override, a VTIMEZONE that must be read (a custom TZID), a component other than a VEVENT, a
property read twice where once is expected, a parameter with quoting, escapes or lists it
would have to interpret, a value not in its strict form, any exception. What is accepted is
read with the same rules as the full reading (`connectors.event_details`,
`connectors.recurrence.span_of`, `connectors.timezones`) and the same library functions for
text escapes, categories and durations, and `tests/unit/connectors/test_plain_object.py`
checks that both readings agree on every object the tests know and on generated variants.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from icalendar import vDuration
from icalendar.parser import split_on_unescaped_comma, unescape_backslash

from connectors.delta import Window
from connectors.event_details import (
    EventDetails,
    distinct_categories,
    flags_all_day,
    person_of,
    status_of,
    visibility_of,
)
from connectors.ical_text import (
    CALENDAR_PROPERTIES,
    EVENT_PROPERTIES,
    MAX_OBSERVANCES,
    line_name,
    logical_lines,
    needs_definition,
)
from connectors.occurrence import meets, occurrence
from connectors.recurrence import span_of
from connectors.remote_event import MAX_UID_LENGTH, Person, RemoteEvent
from connectors.timezones import UTC, iana_zone

MAX_CHARACTERS = 50_000
"""Larger objects are left to the full reading, which enforces the budgets of
`connectors.ical_text` (a meeting's object is a few kilobytes)."""

_TIMES = frozenset({"DTSTART", "DTEND"})
"""The properties whose VALUE parameter is read here (DATE or DATE-TIME)."""
_SERIES = frozenset({"RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"})
_NAME = re.compile(r"[A-Za-z0-9-]+")
_BARE = r'[^";:,=\x00-\x20\x7f^\\%](?:[^";:,=\x00-\x1f\x7f^\\%]*[^";:,=\x00-\x20\x7f^\\%])?'
_PARAMETER = re.compile(rf';([A-Za-z0-9-]+)=(?:"([^"\x00-\x1f\x7f^\\%]*)"|({_BARE})?)')
"""One parameter whose value icalendar would give as it is written: one value, quoted or not
(unquoted, spaces only inside it: `TZID=Romance Standard Time`, and no `=`, around which it
drops spaces), without RFC 6868 `^` escapes, backslashes or percent signs (which its parameter
parser rewrites), or control characters."""
_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_DATE_TIME = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})(Z?)")
_TIME_PART = r"T(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+S)?"
_DURATION = re.compile(rf"[+-]?P(?:[0-9]+W|[0-9]+D(?:{_TIME_PART})?|{_TIME_PART})")
_INTEGER = re.compile(r"[0-9]{1,9}")
"""Forms with ASCII digits only (`\\d` would take any script's, which icalendar refuses)."""


class _NotPlainError(Exception):
    """The object is left to the full reading."""


@dataclass(frozen=True, slots=True)
class _Property:
    parameters: Mapping[str, str]
    value: str
    """As written: backslash escapes not yet undone."""


@dataclass
class _Component:
    properties: dict[str, list[_Property]] = field(default_factory=dict)

    def add(self, name: str, found: _Property) -> None:
        self.properties.setdefault(name, []).append(found)

    def one(self, name: str) -> _Property | None:
        """A property read once (all but ATTENDEE and CATEGORIES): given twice, icalendar's
        reading would have to choose."""
        found = self.properties.get(name)
        if found is None:
            return None
        if len(found) > 1:
            raise _NotPlainError(f"{name} repeated")
        return found[0]

    def text(self, name: str) -> str:
        """A TEXT value unescaped (§3.3.11), "" when absent. An X- property's value is taken
        as written: icalendar, not knowing its type, does not unescape it (`vUnknown`)."""
        found = self.one(name)
        if found is None:
            return ""
        return found.value if name.startswith("X-") else str(unescape_backslash(found.value))

    def all(self, name: str) -> list[_Property]:
        return self.properties.get(name, [])


def plain_events(
    text: str, *, href: str, window: Window, default_timezone: str
) -> tuple[RemoteEvent, ...] | None:
    """The occurrence of a plain calendar object that meets `window` (none when it does not),
    as `events_from_ical` reads it; None when the object is not plain and must be read fully."""
    if len(text) > MAX_CHARACTERS:
        return None
    try:
        calendar, event = _components(logical_lines(text))
        return _occurrences(calendar, event, href, window, default_timezone)
    except Exception:  # whatever is odd, the full reading judges it and says why
        return None


def _components(lines: list[str]) -> tuple[_Component, _Component]:
    """The VCALENDAR and its one VEVENT, with the properties reading uses."""
    if not lines or lines[0].upper() != "BEGIN:VCALENDAR" or lines[-1].upper() != "END:VCALENDAR":
        raise _NotPlainError("not one VCALENDAR")
    calendar = _Component()
    event: _Component | None = None
    observances = 0
    body = iter(lines[1:-1])
    for line in body:
        name = line_name(line)
        if name == "BEGIN":
            component = line[6:].upper()
            if component == "VTIMEZONE":
                observances += _skipped_zone(_nested(body, line))
            elif component == "VEVENT" and event is None:
                event = _event(body)
            else:
                raise _NotPlainError(f"a {component} in the calendar")
        elif name in CALENDAR_PROPERTIES:
            calendar.add(name, _property(line, name))
        elif name is None or name == "END":
            raise _NotPlainError("not a content line")
    if event is None:
        raise _NotPlainError("no VEVENT")
    if observances > MAX_OBSERVANCES:
        raise _NotPlainError("more observances than the full reading accepts")
    return calendar, event


def _skipped_zone(lines: list[str]) -> int:
    """The observances of a VTIMEZONE the full reading also skips (an IANA or Windows TZID:
    see `connectors.ical_text`), which it counts against its budget; only STANDARD and
    DAYLIGHT may be nested in it, so that both see the same lines."""
    depth, observances = 0, 0
    for line in lines[1:-1]:
        name = line_name(line)
        if name == "BEGIN":
            depth += 1
            observances += 1
            if depth > 1 or line[6:].upper() not in ("STANDARD", "DAYLIGHT"):
                raise _NotPlainError("a component inside a VTIMEZONE")
        elif name == "END":
            depth -= 1
    if needs_definition(lines):
        raise _NotPlainError("a VTIMEZONE to read")
    return observances


def _nested(lines: Iterator[str], begin: str) -> list[str]:
    """The lines of the component opened by `begin`, up to its END, nested ones included."""
    found = [begin]
    open_components = [begin[6:].upper()]
    for line in lines:
        found.append(line)
        name = line_name(line)
        if name == "BEGIN":
            open_components.append(line[6:].upper())
        elif name == "END":
            if line[4:].upper() != open_components.pop():
                raise _NotPlainError("components out of order")
            if not open_components:
                return found
    raise _NotPlainError("a component not closed")


def _event(lines: Iterator[str]) -> _Component:
    """The VEVENT's properties up to its END; nested components (alarms) are not read."""
    event = _Component()
    for line in lines:
        name = line_name(line)
        if name == "BEGIN":
            _nested(lines, line)
        elif name == "END":
            if line[4:].upper() != "VEVENT":
                raise _NotPlainError("components out of order")
            return event
        elif name is None or name in _SERIES:
            raise _NotPlainError("a series or not a content line")
        elif name in EVENT_PROPERTIES:
            event.add(name, _property(line, name))
    raise _NotPlainError("a VEVENT not closed")


def _property(line: str, name: str) -> _Property:
    if _NAME.fullmatch(name) is None or "\r" in line:
        raise _NotPlainError("a name to clean, or a carriage return in the line")
    position = len(name)
    parameters: dict[str, str] = {}
    while line[position] == ";":
        match = _PARAMETER.match(line, position)
        if match is None:
            raise _NotPlainError("a parameter to interpret")
        key = match[1].upper()
        if key in parameters:
            raise _NotPlainError("a parameter repeated")
        parameters[key] = match[2] if match[2] is not None else match[3] or ""
        position = match.end()
    if line[position] != ":":
        raise _NotPlainError("no value")
    if ("VALUE" in parameters and name not in _TIMES) or "ENCODING" in parameters:
        raise _NotPlainError("a value of another type")  # icalendar reads it by that type
    return _Property(parameters, line[position + 1 :])


@dataclass(frozen=True)
class _Zones:
    """The zones of a plain object, as `connectors.timezones.ObjectZones` places them."""

    calendar_zone: ZoneInfo | None
    floating: ZoneInfo

    def of(self, found: _Property) -> tuple[tzinfo, str]:
        tzid = found.parameters.get("TZID")
        if not tzid:
            return self.floating, self.floating.key
        zone = iana_zone(tzid)
        if zone is None:
            raise _NotPlainError("a TZID defined by the object or unknown")
        return zone, zone.key

    def time(self, found: _Property) -> date:
        """A DTSTART or DTEND placed in its zone, or a date."""
        kind = found.parameters.get("VALUE")
        if set(found.parameters) - {"TZID", "VALUE"}:
            raise _NotPlainError("a parameter of a time")
        if kind in (None, "DATE") and (day := _DATE.fullmatch(found.value)):
            if kind is None and "TZID" in found.parameters:
                raise _NotPlainError("a date with a TZID")  # icalendar reads it as a midnight
            return date(int(day[1]), int(day[2]), int(day[3]))
        moment = _DATE_TIME.fullmatch(found.value)
        if kind not in (None, "DATE-TIME") or moment is None:
            raise _NotPlainError("a time in another form")
        utc = moment[7] == "Z"
        if utc and "TZID" in found.parameters:
            raise _NotPlainError("a UTC time with a TZID")
        value = _naive(moment)
        if not utc:
            return value.replace(tzinfo=self.of(found)[0])
        value = value.replace(tzinfo=UTC)
        return value.astimezone(self.calendar_zone) if self.calendar_zone else value


def _zones(calendar: _Component, default_timezone: str) -> _Zones:
    calendar_zone = iana_zone(calendar.text("X-WR-TIMEZONE"))  # none for "", as when absent
    floating = calendar_zone or iana_zone(default_timezone)
    if floating is None:
        raise _NotPlainError("an unknown default zone")  # the full reading raises ValueError
    return _Zones(calendar_zone, floating)


def _occurrences(
    calendar: _Component,
    event: _Component,
    href: str,
    window: Window,
    default_timezone: str,
) -> tuple[RemoteEvent, ...]:
    if calendar.one("CALSCALE") is not None and calendar.text("CALSCALE").upper() != "GREGORIAN":
        raise _NotPlainError("another calendar scale")
    details, span = _details(calendar, event, _zones(calendar, default_timezone))
    found = occurrence(details, span, href=href)
    return (found,) if meets(found, window) else ()


def _details(
    calendar: _Component, event: _Component, zones: _Zones
) -> tuple[EventDetails, tuple[date, date, None]]:
    uid = event.text("UID")
    start_property = event.one("DTSTART")
    if not uid or len(uid) > MAX_UID_LENGTH or start_property is None:
        raise _NotPlainError("no UID or DTSTART")
    end_property, duration_property = event.one("DTEND"), event.one("DURATION")
    if end_property is not None and duration_property is not None:
        raise _NotPlainError("DTEND and DURATION")
    duration = None
    if duration_property is not None:
        if duration_property.parameters or not _DURATION.fullmatch(duration_property.value):
            raise _NotPlainError("a duration in another form")
        duration = vDuration.from_ical(duration_property.value)  # type: ignore[no-untyped-call]
    start = zones.time(start_property)
    end = zones.time(end_property) if end_property is not None else None
    zone, zone_name = zones.of(start_property)
    sequence = event.one("SEQUENCE")
    if sequence is not None and (sequence.parameters or not _INTEGER.fullmatch(sequence.value)):
        raise _NotPlainError("a sequence in another form")
    organizer = event.one("ORGANIZER")
    details = EventDetails(
        uid=uid,
        zone=zone,
        zone_name=zone_name,
        has_end=end_property is not None or duration_property is not None,
        flagged_all_day=flags_all_day(event.text("X-MICROSOFT-CDO-ALLDAYEVENT")),
        summary=event.text("SUMMARY"),
        location=event.text("LOCATION"),
        description=event.text("DESCRIPTION"),
        organizer=_person(organizer) if organizer is not None else None,
        attendees=tuple(
            found for found in map(_person, event.all("ATTENDEE")) if found is not None
        ),
        categories=distinct_categories(
            category
            for found in event.all("CATEGORIES")
            for category in split_on_unescaped_comma(found.value)
        ),
        status=status_of(calendar.text("METHOD"), event.text("STATUS")),
        visibility=visibility_of(
            event.text("CLASS"),
            (
                event.text("X-CALENDARSERVER-ACCESS"),
                calendar.text("X-CALENDARSERVER-ACCESS"),
            ),
        ),
        sequence=int(sequence.value) if sequence is not None else 0,
        last_modified=_last_modified(event),
    )
    span_start, span_end = span_of(start, end, duration)
    return details, (span_start, span_end, None)


def _person(found: _Property) -> Person | None:
    if "\\" in found.value:
        raise _NotPlainError("an address to interpret")
    return person_of(found.value, found.parameters)


def _last_modified(event: _Component) -> datetime | None:
    """LAST-MODIFIED, else DTSTAMP, as `connectors.event_details.last_modified` reads them, for
    the form both must have (a UTC date-time)."""
    found = [_utc(event, name) for name in ("LAST-MODIFIED", "DTSTAMP")]
    return next((moment for moment in found if moment is not None), None)


def _utc(event: _Component, name: str) -> datetime | None:
    """A UTC date-time property (each one read is checked, as the full reading checks it)."""
    found = event.one(name)
    if found is None:
        return None
    moment = _DATE_TIME.fullmatch(found.value)
    if found.parameters or moment is None or not moment[7]:
        raise _NotPlainError(f"{name} in another form")
    return _naive(moment).replace(tzinfo=UTC)


def _naive(moment: re.Match[str]) -> datetime:
    """The date-time a `_DATE_TIME` match writes, without its zone."""
    year, month, day, hour, minute, second = (int(part) for part in moment.groups()[:6])
    return datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - placed by the caller
