"""What a connector reports about one occurrence of a calendar event.

Plain values, independent of the server they came from: times are aware and in UTC with the
event's own IANA zone kept, and every occurrence has a stable key (UID + recurrence id).
"""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from register.domain.calendar_data import Attendee
from register.domain.kinds import MeetingStatus, Visibility

MAX_UID_LENGTH = 1000
"""The longest UID read (RFC 5545 sets none; no client writes one near it)."""


class EventKey(BaseModel):
    """Which occurrence: the event's UID and, for an occurrence of a series, its RECURRENCE-ID
    in UTC (`20260310T090000Z`) or as a date for all-day series (`20260310`); empty otherwise."""

    model_config = ConfigDict(frozen=True)

    uid: str = Field(min_length=1, max_length=MAX_UID_LENGTH)
    recurrence_id: str = Field(default="", max_length=64)


Person = Attendee
"""An organizer or attendee (RFC 5545 §3.8.4.1, §3.8.4.3): the register's own value, so that
what a connector reports is stored as it is."""


class RemoteEvent(BaseModel):
    """One occurrence, as the calendar says it is."""

    model_config = ConfigDict(frozen=True)

    key: EventKey
    href: str = Field(description="The calendar object (resource) the occurrence comes from.")
    start: datetime
    end: datetime | None = None
    timezone: str = Field(description="IANA name of the zone the event was written in.")
    all_day: bool = False
    summary: str = ""
    location: str = ""
    description: str = ""
    organizer: Person | None = None
    attendees: tuple[Person, ...] = ()
    categories: tuple[str, ...] = ()
    status: MeetingStatus = MeetingStatus.CONFIRMED
    visibility: Visibility = Visibility.PUBLIC
    sequence: int = 0
    last_modified: datetime | None = None
