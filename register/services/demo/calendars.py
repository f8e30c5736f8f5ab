"""The demo's planned meetings written as the iCalendar objects an official's calendar holds."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress, vText

from register.domain.calendar_data import Attendee
from register.domain.kinds import MeetingStatus, Visibility
from register.domain.meeting import Meeting
from register.domain.official import Official

PRODID = "-//Ville de Bellerive-sur-Loire//Agenda démo//FR"
ZONE_RULES_FROM = date(2020, 1, 1)
ZONE_RULES_UNTIL = date(2030, 1, 1)
"""The span the generated VTIMEZONEs cover: the demo's dates, not icalendar's 1970–2038."""


def event_uid(meeting: Meeting) -> str:
    """A UID as calendar servers make them: unique, with the domain of whoever made it."""
    return f"{meeting.id}@bellerive-sur-loire.fr"


def _address(person: Attendee) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = vText(person.name)
    if person.role:
        address.params["ROLE"] = vText(person.role)
    if person.status:
        address.params["PARTSTAT"] = vText(person.status)
    return address


def _add_times(event: Event, meeting: Meeting) -> None:
    """DTSTART and DTEND in the meeting's zone, or as dates for an all-day event."""
    zone = meeting.when.local_start().tzinfo
    ends_at = meeting.when.ends_at
    if meeting.when.all_day:
        event.add("dtstart", meeting.when.local_start().date())
        if ends_at:
            event.add("dtend", ends_at.astimezone(zone).date())
        return
    event.add("dtstart", meeting.when.starts_at.astimezone(zone))
    if ends_at:
        event.add("dtend", ends_at.astimezone(zone))


def meeting_event(meeting: Meeting, stamp: datetime) -> Event:
    """One VEVENT (RFC 5545 §3.6.1) with the meeting's times in its own zone."""
    calendar = meeting.calendar
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("dtstamp", stamp)
    _add_times(event, meeting)
    event.add("summary", calendar.summary)
    for name, text in (("location", calendar.location), ("description", calendar.description)):
        if text:
            event.add(name, text)
    if calendar.organizer and calendar.organizer.email:
        event.add("organizer", _address(calendar.organizer))
    for attendee in calendar.attendees:
        if attendee.email:
            event.add("attendee", _address(attendee))
    if calendar.categories:
        event.add("categories", list(calendar.categories))
    if calendar.visibility is not Visibility.PUBLIC:
        event.add("class", calendar.visibility.value.upper())
    if meeting.status is not MeetingStatus.CONFIRMED:
        event.add("status", meeting.status.value.upper())
    event.add("sequence", calendar.sequence)
    if calendar.last_modified:
        event.add("last-modified", calendar.last_modified)
    return event


def calendar_of(events: Iterable[Event], name: str) -> bytes:
    """A whole calendar, as a client imports it in one PUT (with one VTIMEZONE per zone)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones(first_date=ZONE_RULES_FROM, last_date=ZONE_RULES_UNTIL)
    return bytes(calendar.to_ical())


def weekly_series(
    official: Official, *, first: datetime, until: datetime, skipped: datetime, moved: datetime
) -> list[Event]:
    """A weekly internal meeting in `official`'s diary (RFC 5545 §3.8.5.3 RRULE), with one week
    skipped (EXDATE) and one occurrence moved (an override with RECURRENCE-ID): what every real
    diary has, and what the sync must expand."""
    uid = f"bureau-municipal-{official.slug}@bellerive-sur-loire.fr"
    master = Event()
    master.add("uid", uid)
    master.add("dtstamp", first)
    master.add("dtstart", first)
    master.add("dtend", first + timedelta(hours=1, minutes=30))
    master.add("summary", "Bureau municipal")
    master.add("location", "Hôtel de ville, salle du conseil")
    master.add("rrule", {"freq": "weekly", "until": until})
    master.add("exdate", skipped)
    override = Event()
    override.add("uid", uid)
    override.add("dtstamp", first)
    override.add("recurrence-id", moved)
    override.add("dtstart", moved + timedelta(days=1, hours=5))
    override.add("dtend", moved + timedelta(days=1, hours=6, minutes=30))
    override.add("summary", "Bureau municipal (décalé au mardi)")
    override.add("location", "Hôtel de ville, salle du conseil")
    return [master, override]
