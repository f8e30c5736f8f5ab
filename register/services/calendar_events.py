"""From a calendar occurrence (`RemoteEvent`) to the register's meeting: pure functions.

Private and confidential events keep only their times and status: their text is not stored at
all, so it can never leak.
"""

import hashlib
from uuid import UUID

from connectors.remote_event import RemoteEvent
from register.domain.calendar_data import CalendarData
from register.domain.classification import UNCLASSIFIED, Classification, Reason
from register.domain.kinds import ClassificationKind, Visibility
from register.domain.meeting import Meeting, SourceKey, TimeSpan
from register.domain.publication_log import canonical_json
from register.domain.text import Message

PRIVATE_CLASSIFICATION = Classification(
    kind=ClassificationKind.PRIVATE,
    confidence=1.0,
    reasons=(
        Reason(
            rule="calendar_private",
            field="class",
            explanation=Message(
                fr="L'agenda marque cet événement comme privé ou confidentiel.",
                en="The calendar marks this event private or confidential.",
            ),
        ),
    ),
)


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


def initial_classification(event: RemoteEvent) -> Classification:
    """What a new occurrence is before anyone looks at it: private when the calendar says so,
    unknown otherwise (the classifier of the interest-representative directory refines it)."""
    return PRIVATE_CLASSIFICATION if is_private(event) else UNCLASSIFIED


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
        classification=initial_classification(event),
    )
