"""From one calendar object (RFC 4791 §4.1) to the occurrences it has within a window.

A calendar object is what a CalDAV server stores at one href: a VCALENDAR holding one event, or
one recurring series (a master and its RECURRENCE-ID overrides), with the VTIMEZONEs they use.
The common object, one meeting outside any series, is read straight from its lines
(`connectors.plain_object`); any other is parsed by icalendar, once; each VEVENT's properties
are read once; recurrences are expanded in the window by recurring_ical_events
(`connectors.recurrence`); times are placed in their zones by `connectors.timezones`. Decisions
worth knowing:

- a timed event without DTEND or DURATION ends when it starts (RFC 5545 §3.6.1): its `end` is
  None, so that "no end given" stays distinguishable from an explicit zero-length meeting;
- an object holding several UIDs (a feed pasted where an object belongs; RFC 4791 forbids it) is
  read anyway: each UID is its own event or series with its own keys;
- a VCALENDAR without any VEVENT (a task list, a journal) has no occurrences: () rather than an
  error, since a CalDAV collection may hold such objects beside events;
- only the properties the register reads are parsed (`connectors.ical_text`); icalendar keeps
  broken values of those instead of raising (`component.errors`), and any such error in the
  VCALENDAR, a VEVENT or a VTIMEZONE makes the object malformed, naming the property and the
  event, because a broken DTSTART, RRULE or CLASS would otherwise give wrong times or publish a
  private meeting. A broken property that is not read (GEO, an X- property, a VALARM) is no
  reason to lose a meeting and is ignored.
"""

from collections import Counter
from datetime import date, timedelta

from icalendar import Calendar, Component, vRecur
from pydantic import ValidationError

from connectors import recurrence
from connectors.delta import Window
from connectors.event_details import EventDetails, details_of, values
from connectors.ical_text import decode, essential_text
from connectors.malformed import MalformedObjectError
from connectors.occurrence import meets, occurrence
from connectors.plain_object import plain_events
from connectors.recurrence import expand, single_span
from connectors.recurrence_rules import RuleBudget, check_zone_rules, prepare_rules
from connectors.remote_event import MAX_UID_LENGTH, RemoteEvent
from connectors.timezones import ObjectZones, time_of

__all__ = ["MalformedObjectError", "events_from_ical", "parse_calendar", "read_fully"]

_SOURCE = "X-AGENDA-REGISTER-SOURCE"
"""Set on each VEVENT before expansion to find its `EventDetails` from an occurrence."""

_SERIES_PROPERTIES = ("RRULE", "RDATE", "RECURRENCE-ID")
_CHECKED_COMPONENTS = frozenset({"VCALENDAR", "VEVENT", "VTIMEZONE", "STANDARD", "DAYLIGHT"})


def parse_calendar(data: str | bytes) -> Component:
    """The one VCALENDAR in `data`, holding only what reading events uses (`essential_text`,
    which also refuses objects past its budgets), or MalformedObjectError."""
    text = essential_text(decode(data))
    try:
        components = Calendar.from_ical(text, multiple=True)
    except Exception as error:  # ValueError mostly, but hostile text trips other errors too
        raise MalformedObjectError(f"not valid iCalendar: {error}") from error
    names = [component.name for component in components]
    if not names:
        raise MalformedObjectError("no complete VCALENDAR: the text is empty or cut short")
    if names != ["VCALENDAR"]:
        raise MalformedObjectError(f"expected one VCALENDAR, found {', '.join(map(str, names))}")
    calendar: Component = components[0]
    return calendar


def _check_errors(calendar: Component) -> None:
    """Raise on the first property icalendar could not parse (it keeps them as `vBroken`)."""
    for component in calendar.walk():
        if component.name in _CHECKED_COMPONENTS and component.errors:
            prop, message = component.errors[0]
            uid = component.get("UID") if component.name == "VEVENT" else component.get("TZID")
            where = f"{component.name} {str(uid)!r}" if uid is not None else str(component.name)
            raise MalformedObjectError(f"{prop or 'a line'} in {where}: {message}")


def _check_event(event: Component) -> str:
    """The UID of a VEVENT that has the one UID and one DTSTART it needs (§3.6.1)."""
    uid = event.get("UID")
    if uid is None or isinstance(uid, list) or not str(uid):
        raise MalformedObjectError(
            "a VEVENT has no UID" if uid is None or not str(uid) else "a VEVENT has several UIDs"
        )
    if len(str(uid)) > MAX_UID_LENGTH:
        raise MalformedObjectError(f"a VEVENT has a UID longer than {MAX_UID_LENGTH} characters")
    for name in ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SEQUENCE"):
        if isinstance(event.get(name), list):
            raise MalformedObjectError(f"VEVENT {str(uid)!r} has several {name} properties")
    if "DTSTART" not in event:
        raise MalformedObjectError(f"VEVENT {str(uid)!r} has no DTSTART")
    if "DTEND" in event and "DURATION" in event:
        raise MalformedObjectError(f"VEVENT {str(uid)!r} has both DTEND and DURATION")
    _check_value_types(event, str(uid))
    return str(uid)


def _check_value_types(event: Component, uid: str) -> None:
    """Refuse values of the wrong type: a VALUE parameter (§3.2.20) makes icalendar read
    `RRULE;VALUE=DATE:…` as a date, `SEQUENCE;VALUE=TEXT:…` as text, and so on."""
    for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
        if name in event:
            time_of(event, name)
    wrong = ""
    if "DURATION" in event and not isinstance(getattr(event["DURATION"], "dt", None), timedelta):
        wrong = "DURATION is not a duration"
    elif "SEQUENCE" in event and not isinstance(event["SEQUENCE"], int):
        wrong = "SEQUENCE is not an integer"
    elif not all(isinstance(rule, vRecur) for rule in values(event, "RRULE")):
        wrong = "RRULE is not a recurrence rule"
    for name in ("RDATE", "EXDATE"):
        for prop in values(event, name):
            moments = [getattr(item, "dt", None) for item in getattr(prop, "dts", [prop])]
            if not all(isinstance(moment, date | tuple) for moment in moments):
                wrong = f"{name} is not a list of dates, date-times or periods"
    if wrong:
        raise MalformedObjectError(f"{wrong} in VEVENT {uid!r}")


def _read_events(
    calendar: Component, zones: ObjectZones, window: Window
) -> list[tuple[Component, EventDetails, bool]]:
    """Each VEVENT checked, its times placed in their zones, its properties read, and whether
    it belongs to a series: a UID with RRULE, RDATE, RECURRENCE-ID or several VEVENTs."""
    events = calendar.walk("VEVENT")
    uids = [_check_event(event) for event in events]
    in_series = {uid for uid, count in Counter(uids).items() if count > 1}
    read: list[tuple[Component, EventDetails]] = []
    budget = RuleBudget()
    for event, uid in zip(events, uids, strict=True):
        zones.localise(event)
        if any(name in event for name in _SERIES_PROPERTIES):
            in_series.add(uid)
        prepare_rules(event, window.end, budget)
        read.append((event, details_of(event, calendar, zones)))
    return [(event, details, details.uid in in_series) for event, details in read]


def events_from_ical(
    data: str | bytes, *, href: str, window: Window, default_timezone: str
) -> tuple[RemoteEvent, ...]:
    """Every occurrence of the events in calendar object `data` whose span meets `window`,
    sorted by start (then UID and recurrence id).

    Floating times are in the calendar's X-WR-TIMEZONE if it has one, else in
    `default_timezone` (an IANA name; ValueError if unknown). Raises MalformedObjectError for an
    object that cannot be read, with a message for staff.

    The common object (one event, no series, plain values) is read without icalendar's parser
    (`connectors.plain_object`), five times faster, with the same result; any other is read by
    `read_fully`.
    """
    text = decode(data)
    plain = plain_events(text, href=href, window=window, default_timezone=default_timezone)
    if plain is not None:
        return plain
    return read_fully(text, href=href, window=window, default_timezone=default_timezone)


def read_fully(
    data: str | bytes, *, href: str, window: Window, default_timezone: str
) -> tuple[RemoteEvent, ...]:
    """`events_from_ical` by icalendar, for any object.

    An event outside any series has one occurrence, read directly; series go through
    recurring_ical_events, which would give the same occurrence at ten times the cost.
    """
    calendar = parse_calendar(data)
    if not calendar.walk("VEVENT"):
        return ()
    _check_errors(calendar)
    if str(calendar.get("CALSCALE", "GREGORIAN")).upper() != "GREGORIAN":
        raise MalformedObjectError("only the GREGORIAN calendar scale is supported (§3.7.1)")
    try:
        check_zone_rules(calendar.walk("VTIMEZONE"), window.end)
        found = _occurrences(calendar, ObjectZones(calendar, default_timezone), window, href)
    except OverflowError as error:  # dates near year 1 or 9999, shifted by a zone or a day
        raise MalformedObjectError(f"a date or time is out of range: {error}") from error
    if len(found) > recurrence.MAX_OCCURRENCES:
        raise MalformedObjectError(
            f"more than {recurrence.MAX_OCCURRENCES} occurrences in the window: "
            "this is no calendar object"
        )
    found.sort(key=lambda event: (event.start, event.key.uid, event.key.recurrence_id))
    return tuple(found)


def _occurrences(
    calendar: Component, zones: ObjectZones, window: Window, href: str
) -> list[RemoteEvent]:
    """The occurrences of the events of `calendar` that meet `window`, in no order."""
    spans: list[tuple[EventDetails, tuple[date, date, date | None]]] = []
    recurring: list[Component] = []
    sources: list[EventDetails] = []
    for event, details, in_series in _read_events(calendar, zones, window):
        if in_series:
            event[_SOURCE] = str(len(sources))
            sources.append(details)
            recurring.append(event)
        else:
            start, end = single_span(event)
            spans.append((details, (start, end, None)))
    for component, start, end, original in expand(recurring, window.start, window.end):
        spans.append((sources[int(str(component[_SOURCE]))], (start, end, original)))
    found: list[RemoteEvent] = []
    for details, span in spans:
        try:
            found_one = occurrence(details, span, href=href)
        except ValidationError as error:
            raise MalformedObjectError(f"VEVENT {details.uid!r}: {error}") from error
        if meets(found_one, window):
            found.append(found_one)
    return found
