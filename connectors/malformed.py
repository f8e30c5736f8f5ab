"""The one error a calendar object can cause, whatever is wrong with it.

It lives in its own module so that every part of the iCalendar reading (time zones, recurrence,
parsing) can raise it; `connectors.icalendar_events` re-exports it as part of its API.
"""


class MalformedObjectError(ValueError):
    """A calendar object that cannot be read.

    The message says what the parser found, precisely enough for staff to find it in the
    calendar (the property, the event's UID, the library's own words); the sync records it as
    an `ObjectFailed` and leaves the object's previous occurrences as they were.
    """
