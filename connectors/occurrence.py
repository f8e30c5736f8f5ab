"""From what an event says and one span of it to the occurrence a connector reports, for both
readings of calendar objects (`connectors.icalendar_events`, `connectors.plain_object`)."""

from datetime import date, datetime, tzinfo

from connectors.delta import Window
from connectors.event_details import EventDetails
from connectors.malformed import MalformedObjectError
from connectors.remote_event import EventKey, RemoteEvent
from connectors.timezones import to_utc


def _recurrence_id(value: date, zone: tzinfo) -> str:
    """The occurrence's original start: `20260310T090000Z` in UTC, or `20260310` for a date
    (written by hand: strftime does not pad years before 1000 on every platform)."""
    day = f"{value.year:04d}{value.month:02d}{value.day:02d}"
    if not isinstance(value, datetime):
        return day
    moment = to_utc(value, zone)
    return f"{moment.year:04d}{moment.month:02d}{moment.day:02d}T{moment:%H%M%S}Z"


def occurrence(
    details: EventDetails, span: tuple[date, date, date | None], *, href: str
) -> RemoteEvent:
    """One occurrence, given its start, end and RECURRENCE-ID (None outside a series)."""
    start_value, end_value, recurrence_value = span
    all_day = not isinstance(start_value, datetime)
    start = to_utc(start_value, details.zone)
    end = to_utc(end_value, details.zone) if details.has_end or all_day else None
    if end is not None and end < start:
        raise MalformedObjectError(f"VEVENT {details.uid!r} ends before it starts ({start})")
    recurrence_id = ""
    if recurrence_value is not None:
        recurrence_id = _recurrence_id(recurrence_value, details.zone)
    return RemoteEvent(
        key=EventKey(uid=details.uid, recurrence_id=recurrence_id),
        href=href,
        start=start,
        end=end,
        timezone=details.zone_name,
        all_day=all_day or details.flagged_all_day,
        summary=details.summary,
        location=details.location,
        description=details.description,
        organizer=details.organizer,
        attendees=details.attendees,
        categories=details.categories,
        status=details.status,
        visibility=details.visibility,
        sequence=details.sequence,
        last_modified=details.last_modified,
    )


def meets(event: RemoteEvent, window: Window) -> bool:
    """Whether the occurrence's span [start, end) meets the window [start, end); an occurrence
    without duration meets it if it starts within it."""
    end = event.end or event.start
    return event.start < window.end and (end > window.start or event.start >= window.start)
