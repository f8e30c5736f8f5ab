"""From a calendar occurrence (`RemoteEvent`) to the register's meeting: pure functions.

Private and confidential events keep only their times and status: their text is not stored at
all, so it can never leak.
"""

import hashlib
from uuid import UUID

from connectors.remote_event import RemoteEvent
from register.domain.calendar_data import CalendarData
from register.domain.kinds import Visibility
from register.domain.meeting import Meeting, SourceKey, TimeSpan
from register.domain.publication_log import canonical_json


def is_private(event: RemoteEvent) -> bool:
    return event.visibility is not Visibility.PUBLIC


def fingerprint(event: RemoteEvent) -> str:
    """A digest of everything the calendar says about an occurrence: equal digests, no change."""
    return hashlib.sha256(canonical_json(event.model_dump(mode="json")).encode()).hexdigest()


def calendar_data(event: RemoteEvent) -> CalendarData:
    """The staff-only copy of the event's text; nothing but times and status when private."""
    if is_private(event):
        return CalendarData(visibility=event.visibility, sequence=event.sequence)
    return CalendarData(
        summary=event.summary,
        location=event.location,
        description=event.description,
        organizer=event.organizer,
        attendees=event.attendees,
        categories=event.categories,
        visibility=event.visibility,
        sequence=event.sequence,
        last_modified=event.last_modified,
    )


def meeting_from_event(
    event: RemoteEvent,
    *,
    meeting_id: UUID,
    authority_id: UUID,
    official_id: UUID,
    source_id: UUID,
) -> Meeting:
    return Meeting(
        id=meeting_id,
        authority_id=authority_id,
        official_id=official_id,
        source=SourceKey(
            source_id=source_id, uid=event.key.uid, recurrence_id=event.key.recurrence_id
        ),
        when=TimeSpan(
            starts_at=event.start,
            ends_at=event.end,
            timezone=event.timezone,
            all_day=event.all_day,
        ),
        status=event.status,
        calendar=calendar_data(event),
    )
