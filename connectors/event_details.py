"""What one VEVENT says besides its times: the same for every occurrence it produces.

A master and each of its overrides (RECURRENCE-ID) are read once, not once per occurrence, so a
daily series costs one reading of its properties (RFC 5545 §3.6.1, §3.8).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from icalendar import Component

from connectors.remote_event import Person
from connectors.timezones import UTC, ObjectZones
from register.domain.kinds import MeetingStatus, Visibility

_STATUSES = {
    "CONFIRMED": MeetingStatus.CONFIRMED,
    "TENTATIVE": MeetingStatus.TENTATIVE,
    "CANCELLED": MeetingStatus.CANCELLED,
    "CANCELED": MeetingStatus.CANCELLED,
}

_CLASSES = {
    "PUBLIC": Visibility.PUBLIC,
    "": Visibility.PUBLIC,
    "CONFIDENTIAL": Visibility.CONFIDENTIAL,
}
"""CLASS values (§3.8.1.3); any other value, PRIVATE and x-names such as Outlook's `X-PERSONAL`
(MS-OXCICAL, sensitivity "personal") alike, "MUST be treated as PRIVATE"."""

_APPLE_ACCESS = {
    "PUBLIC": Visibility.PUBLIC,
    "": Visibility.PUBLIC,
    "RESTRICTED": Visibility.CONFIDENTIAL,
}
"""Apple's X-CALENDARSERVER-ACCESS (CalendarServer "private events" extension, written on the
VCALENDAR by Apple Calendar): CONFIDENTIAL is what its "Private" box writes and PRIVATE hides
everything, both private here; RESTRICTED (time and location shown) is confidential; unknown
values are private, as for CLASS."""


@dataclass(frozen=True, slots=True)
class EventDetails:
    """The properties of one VEVENT that its occurrences share."""

    uid: str
    zone: tzinfo
    """Where its dates are placed (their midnight) and its floating times were placed."""
    zone_name: str
    has_end: bool
    """Whether DTEND or DURATION is given: a timed event without either has no end (§3.6.1)."""
    flagged_all_day: bool
    """Outlook's X-MICROSOFT-CDO-ALLDAYEVENT, for all-day events written as midnights."""
    summary: str
    location: str
    description: str
    organizer: Person | None
    attendees: tuple[Person, ...]
    categories: tuple[str, ...]
    status: MeetingStatus
    visibility: Visibility
    sequence: int
    last_modified: datetime | None


def values(component: Component, name: str) -> list[Any]:
    """All values of a property that may be repeated; icalendar gives one or a list."""
    value = component.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(component: Component, name: str) -> str:
    found = values(component, name)
    return str(found[0]) if found else ""


def _param(params: Mapping[str, Any], name: str) -> str | None:
    value = str(params.get(name, "")).strip()
    return value or None


def person(address: Any) -> Person | None:
    """An ORGANIZER or ATTENDEE property as icalendar gives it (see `person_of`)."""
    return person_of(str(address), getattr(address, "params", {}))


def person_of(address: str, params: Mapping[str, Any]) -> Person | None:
    """An ORGANIZER or ATTENDEE (§3.8.4.1, §3.8.4.3): the address without `mailto:`, lowercased,
    and the CN, ROLE and PARTSTAT parameters; None when the property says nothing at all."""
    text = address.strip()
    if text[:7].casefold() == "mailto:":
        text = text[7:].strip()
    elif ":" in text or "@" not in text:  # urn:uuid:…, a bare name: not an e-mail address
        text = ""
    email = text.lower() or None
    name = _param(params, "CN")
    role = _param(params, "ROLE")
    status = _param(params, "PARTSTAT")
    if not (email or name or role or status):
        return None
    return Person(
        email=email,
        name=name,
        role=role.upper() if role else None,
        status=status.upper() if status else None,
    )


def categories(component: Component) -> tuple[str, ...]:
    """Every category of every CATEGORIES property (§3.8.1.2), in order, once each."""
    return distinct_categories(
        category
        for prop in values(component, "CATEGORIES")
        for category in getattr(prop, "cats", [prop])
    )


def distinct_categories(found: Iterable[Any]) -> tuple[str, ...]:
    """Categories stripped, in order, once each, without empty ones."""
    return tuple(dict.fromkeys(text for text in (str(item).strip() for item in found) if text))


def visibility(component: Component, calendar: Component) -> Visibility:
    """The visibility of a VEVENT of `calendar` (see `visibility_of`)."""
    return visibility_of(
        _text(component, "CLASS"),
        (_text(holder, "X-CALENDARSERVER-ACCESS") for holder in (component, calendar)),
    )


def visibility_of(event_class: str, accesses: Iterable[str]) -> Visibility:
    """The most private of CLASS (§3.8.1.3) and Apple's X-CALENDARSERVER-ACCESS (on the event
    or on the whole calendar). Google and Outlook write CLASS:PRIVATE; Thunderbird also writes
    CLASS:CONFIDENTIAL ("show time and date only")."""
    found = [_CLASSES.get(event_class.strip().upper(), Visibility.PRIVATE)]
    for access in accesses:
        found.append(_APPLE_ACCESS.get(access.strip().upper(), Visibility.PRIVATE))
    for level in (Visibility.PRIVATE, Visibility.CONFIDENTIAL):
        if level in found:
            return level
    return Visibility.PUBLIC


def status(component: Component, calendar: Component) -> MeetingStatus:
    """The status of a VEVENT of `calendar` (see `status_of`)."""
    return status_of(_text(calendar, "METHOD"), _text(component, "STATUS"))


def status_of(method: str, event_status: str) -> MeetingStatus:
    """STATUS (§3.8.1.11); absent or unknown is confirmed. A calendar sent with METHOD:CANCEL
    (RFC 5546 §3.2.5) cancels what it holds."""
    if method.strip().upper() == "CANCEL":
        return MeetingStatus.CANCELLED
    return _STATUSES.get(event_status.strip().upper(), MeetingStatus.CONFIRMED)


def last_modified(component: Component) -> datetime | None:
    """LAST-MODIFIED (§3.8.7.3), else DTSTAMP (§3.8.7.2), in UTC; both must be written in UTC, so
    a floating value is taken as UTC."""
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        for prop in values(component, name):
            value = getattr(prop, "dt", None)
            if isinstance(value, datetime):
                return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return None


def flags_all_day(value: str) -> bool:
    """Whether Outlook's X-MICROSOFT-CDO-ALLDAYEVENT says all day."""
    return value.strip().upper() == "TRUE"


def details_of(event: Component, calendar: Component, zones: ObjectZones) -> EventDetails:
    """Read the shared properties of a VEVENT whose UID and DTSTART have been checked."""
    zone, zone_name = zones.of_start(event)
    organizers = [found for found in map(person, values(event, "ORGANIZER")) if found]
    sequence = values(event, "SEQUENCE")
    return EventDetails(
        uid=str(event["UID"]),
        zone=zone,
        zone_name=zone_name,
        has_end="DTEND" in event or "DURATION" in event,
        flagged_all_day=flags_all_day(_text(event, "X-MICROSOFT-CDO-ALLDAYEVENT")),
        summary=_text(event, "SUMMARY"),
        location=_text(event, "LOCATION"),
        description=_text(event, "DESCRIPTION"),
        organizer=organizers[0] if organizers else None,
        attendees=tuple(found for found in map(person, values(event, "ATTENDEE")) if found),
        categories=categories(event),
        status=status(event, calendar),
        visibility=visibility(event, calendar),
        sequence=int(sequence[0]) if sequence else 0,
        last_modified=last_modified(event),
    )
