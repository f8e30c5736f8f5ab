"""A meeting (rencontre): one occurrence of a calendar event, on its way to the public register."""

from datetime import UTC, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from register.domain.authority import known_timezone
from register.domain.calendar_data import CalendarData
from register.domain.classification import UNCLASSIFIED, Classification
from register.domain.collegiality import CollegialityRecord
from register.domain.kinds import LegalGround, MeetingStatus, PublicationState, Visibility


class TimeSpan(BaseModel):
    """Start and end in UTC, with the event's own time zone kept for display and for recurrences."""

    model_config = ConfigDict(frozen=True)

    starts_at: datetime
    ends_at: datetime | None = None
    timezone: str = "Europe/Paris"
    all_day: bool = False

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _to_utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times must be timezone-aware")
        return value.astimezone(UTC)

    @model_validator(mode="after")
    def _ends_after_start(self) -> "TimeSpan":
        if self.ends_at is not None and self.ends_at < self.starts_at:
            raise ValueError("the meeting ends before it starts")
        return self

    _known_timezone = field_validator("timezone")(known_timezone)

    @property
    def duration(self) -> timedelta | None:
        return None if self.ends_at is None else self.ends_at - self.starts_at

    def local_start(self) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(self.timezone))


class SourceKey(BaseModel):
    """Which calendar event a meeting came from: unique per source (UID + recurrence id)."""

    model_config = ConfigDict(frozen=True)

    source_id: UUID
    uid: str = Field(min_length=1, max_length=1000)
    recurrence_id: str = Field(
        default="", max_length=64, description="Empty for a non-recurring event."
    )


class Meeting(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    authority_id: UUID
    official_id: UUID
    source: SourceKey | None = None
    when: TimeSpan
    status: MeetingStatus = MeetingStatus.CONFIRMED
    calendar: CalendarData = CalendarData()
    classification: Classification = UNCLASSIFIED
    record: CollegialityRecord = CollegialityRecord()
    publication_state: PublicationState = PublicationState.DRAFT
    published_version: int = Field(default=0, ge=0)
    first_published_at: datetime | None = None
    exemption_ground: LegalGround | None = None
    lock_version: int = Field(default=0, ge=0)

    @property
    def is_private(self) -> bool:
        """Private and confidential events never reach the public register."""
        return self.calendar.visibility is not Visibility.PUBLIC

    def publication_due(self, deadline_days: int) -> datetime:
        """When the policy's deadline for publishing this meeting falls."""
        end = self.when.ends_at or self.when.starts_at
        return end + timedelta(days=deadline_days)

    def is_late(self, deadline_days: int, now: datetime) -> bool:
        """Whether this meeting should have been published by `now` and is not: a public,
        held (not cancelled), unexempted meeting with an interest representative."""
        unpublished = self.publication_state in {PublicationState.DRAFT, PublicationState.READY}
        return (
            unpublished
            and not self.is_private
            and self.status is not MeetingStatus.CANCELLED
            and self.exemption_ground is None
            and self.classification.is_interest_meeting
            and now > self.publication_due(deadline_days)
        )
