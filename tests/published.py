"""A small published register for the public outputs' tests: one authority, two organisations
(one not registered with HATVP), five published meetings on four days."""

from datetime import UTC, datetime, timedelta

from register.domain.kinds import MeetingFormat
from register.domain.meeting import Meeting, TimeSpan
from register.domain.representative import InterestRepresentative
from register.services.publication import Actor, publish
from register.store.repositories import meetings, representatives
from tests import factories
from tests.stored import StoredRegister, store_register

ACTOR = Actor(label="test-editor")
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


async def publish_meeting(
    stored: StoredRegister,
    starts_at: datetime,
    *,
    rep: InterestRepresentative | None = None,
    **record: object,
) -> Meeting:
    """Store a complete meeting of `stored`'s mayor with `rep` (default: the register's
    federation) at `starts_at`, and publish it."""
    rep = rep or stored.representative
    meeting = await meetings.add_meeting(
        factories.meeting(
            stored.authority.id,
            stored.owner.id,
            when=TimeSpan(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)),
            record=factories.complete_record(stored.owner, stored.colleague, rep, **record),
            classification=factories.interest_classification(rep),
        )
    )
    await publish(meeting.id, lock_version=meeting.lock_version, actor=ACTOR, now=NOW)
    return meeting


async def register_of_five() -> tuple[StoredRegister, list[Meeting]]:
    """The five meetings, in order of start; the second is the only one with the association."""
    stored = await store_register()
    other_rep = factories.representative(
        name="Association Vélo en Ville",
        hatvp_id=None,
        siren="552100554",
        hatvp_registered=False,
        email_domains=("velo.example",),
    )
    await representatives.save_representative(other_rep)
    base = datetime(2026, 3, 2, 9, tzinfo=UTC)
    published = [
        await publish_meeting(stored, base),
        await publish_meeting(
            stored,
            base + timedelta(days=1),
            subject="Pistes cyclables du boulevard de la Loire",
            rep=other_rep,
            policy_area="mobilites",
        ),
        await publish_meeting(stored, base + timedelta(days=2), format=MeetingFormat.VIDEO),
        await publish_meeting(stored, base + timedelta(days=3)),
        # The same start as the one before: the id breaks the tie.
        await publish_meeting(stored, base + timedelta(days=3)),
    ]
    return stored, published
