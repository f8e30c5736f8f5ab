"""The other entries of the officials' diaries: institutional, internal, private, personal or
unclassifiable. The sync keeps them, classified, for staff; they are never published."""

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from bench.synthetic.officials import AREAS, AuthorityStaff
from bench.synthetic.sampling import Weighted, time_ordered_id
from bench.synthetic.timeline import DURATIONS, START_TIMES
from register.domain.calendar_data import Attendee, CalendarData
from register.domain.classification import UNCLASSIFIED, Classification, Reason
from register.domain.kinds import ClassificationKind, Visibility
from register.domain.meeting import Meeting, TimeSpan
from register.domain.text import Message
from register.services.demo import data

KINDS = Weighted(
    [
        ClassificationKind.INSTITUTIONAL,
        ClassificationKind.INTERNAL,
        ClassificationKind.PRIVATE,
        ClassificationKind.PERSONAL,
        ClassificationKind.UNKNOWN,
    ],
    [40, 28, 16, 6, 10],
)
VERDICTS: dict[ClassificationKind, tuple[float, str, str, str]] = {
    # As `register.domain.classifier.classify` explains them.
    ClassificationKind.INSTITUTIONAL: (
        0.8,
        "public_body",
        "Un organisme public participe ou est nommé, ou c'est un acte de la vie publique.",
        "A public body attends or is named, or it is an act of public life.",
    ),
    ClassificationKind.INTERNAL: (
        0.7,
        "internal",
        "Réunion ou travail interne à la collectivité.",
        "A meeting or work internal to the authority.",
    ),
    ClassificationKind.PERSONAL: (0.7, "personal", "Temps personnel.", "Personal time."),
    ClassificationKind.PRIVATE: (
        1.0,
        "calendar_private",
        "L'agenda marque cet événement comme privé ou confidentiel.",
        "The calendar marks this event private or confidential.",
    ),
}
SUMMARIES: dict[ClassificationKind, tuple[str, ...]] = {
    ClassificationKind.INSTITUTIONAL: tuple(e.summary for e in data.INSTITUTIONAL_EVENTS),
    ClassificationKind.INTERNAL: tuple(e.summary for e in data.INTERNAL_EVENTS),
    ClassificationKind.PRIVATE: data.PRIVATE_EVENTS,
    ClassificationKind.PERSONAL: data.PERSONAL_EVENTS,
    ClassificationKind.UNKNOWN: data.UNKNOWN_EVENTS,
}


def diary_entry(
    rng: random.Random,
    day: date,
    staff: AuthorityStaff,
    seen: Callable[[TimeSpan], datetime],
) -> tuple[Meeting, datetime]:
    """An entry of one of the authority's diaries on `day`, and when the sync first saw it
    (`seen`, given its time)."""
    kind = KINDS.draw(rng)
    team = staff.team(day, rng.choice(AREAS))
    owner = team.holders.draw(rng)
    invited = []
    if kind in {ClassificationKind.INSTITUTIONAL, ClassificationKind.INTERNAL}:
        invited = team.companions.draw_distinct(rng, rng.randint(1, 3), excluded=owner)
    start = datetime.combine(day, START_TIMES.draw(rng), tzinfo=staff.zone)
    when = TimeSpan(
        starts_at=start.astimezone(UTC),
        ends_at=(start + timedelta(minutes=DURATIONS.draw(rng))).astimezone(UTC),
        timezone=staff.authority.timezone,
    )
    classification = UNCLASSIFIED
    if kind in VERDICTS:
        confidence, rule, fr, en = VERDICTS[kind]
        classification = Classification(
            kind=kind,
            confidence=confidence,
            reasons=(Reason(rule=rule, explanation=Message(fr=fr, en=en)),),
        )
    created_at = seen(when)
    official = owner.official
    if official is None:
        raise ValueError("a holder without an official record")
    calendar = CalendarData(
        summary=rng.choice(SUMMARIES[kind]),
        organizer=Attendee(email=official.email, name=official.full_name, role="CHAIR"),
        attendees=tuple(
            Attendee(email=o.official.email, name=o.official.full_name, role="REQ-PARTICIPANT")
            for o in invited
            if o.official is not None
        ),
        visibility=Visibility.PRIVATE if kind is ClassificationKind.PRIVATE else Visibility.PUBLIC,
        last_modified=created_at,
    )
    meeting = Meeting(
        id=time_ordered_id(rng, created_at),
        authority_id=staff.authority.id,
        official_id=official.id,
        when=when,
        calendar=calendar,
        classification=classification,
    )
    return meeting, created_at
