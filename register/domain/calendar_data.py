"""What the calendar said about an event: staff-only, never part of a public output."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from register.domain.kinds import Visibility


class Attendee(BaseModel):
    """An attendee or organizer as the calendar lists them (e-mail addresses are personal data)."""

    model_config = ConfigDict(frozen=True)

    email: str | None = None
    name: str | None = None
    role: str | None = None
    status: str | None = None


class CalendarData(BaseModel):
    """The original event text; it follows the calendar on every resync."""

    model_config = ConfigDict(frozen=True)

    summary: str = ""
    location: str = ""
    description: str = ""
    organizer: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()
    categories: tuple[str, ...] = ()
    visibility: Visibility = Visibility.PUBLIC
    sequence: int = Field(default=0, ge=0)
    last_modified: datetime | None = None
