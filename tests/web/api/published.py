"""A small published register for the API's tests: two authorities, five meetings (one later
withdrawn), two organisations — one registered with HATVP, one not."""

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from register.domain.kinds import LegalGround, MeetingFormat, OfficialKind
from register.domain.meeting import Meeting, TimeSpan
from register.domain.official import Official
from register.domain.representative import InterestRepresentative
from register.services.publication import Actor, publish, withdraw
from register.store.repositories import authorities, meetings, officials, representatives
from tests import factories
from tests.stored import StoredRegister, store_register

ACTOR = Actor(label="test-editor")
PUBLISHED_AT = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
WITHDRAWN_AT = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)


class PublishedRegister(NamedTuple):
    stored: StoredRegister
    cyclists: InterestRepresentative
    other_owner: Official
    meetings: list[Meeting]
    """By start: 2 March (FBV), 3 March (cyclists, mobility), 4 March (video), 15 April
    (withdrawn), 5 May (the other authority's)."""

    @property
    def withdrawn(self) -> Meeting:
        return self.meetings[3]


async def publish_meeting(
    stored: StoredRegister,
    starts_at: datetime,
    *,
    rep: InterestRepresentative | None = None,
    owner: Official | None = None,
    colleague: Official | None = None,
    **record: object,
) -> Meeting:
    rep = rep or stored.representative
    owner = owner or stored.owner
    colleague = colleague or stored.colleague
    meeting = await meetings.add_meeting(
        factories.meeting(
            owner.authority_id,
            owner.id,
            when=TimeSpan(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)),
            record=factories.complete_record(owner, colleague, rep, **record),
            classification=factories.interest_classification(rep),
        )
    )
    await publish(meeting.id, lock_version=meeting.lock_version, actor=ACTOR, now=PUBLISHED_AT)
    return meeting


async def withdraw_meeting(meeting: Meeting) -> None:
    current = await meetings.get_meeting(meeting.id)
    assert current is not None
    await withdraw(
        meeting.id,
        lock_version=current.lock_version,
        reason="Saisie dans le mauvais agenda.",
        legal_ground=LegalGround.OUT_OF_SCOPE,
        actor=ACTOR,
        now=WITHDRAWN_AT,
    )


async def published_register() -> PublishedRegister:
    stored = await store_register()
    cyclists = factories.representative(
        name="Association Vélo en Ville",
        aliases=(),
        hatvp_id=None,
        siren="552100555",
        hatvp_registered=False,
        email_domains=("velo.example",),
    )
    await representatives.save_representative(cyclists)
    metropolis = factories.authority(slug="metropole-test", name="Métropole de Test")
    await authorities.save_authority(metropolis)
    other_owner = factories.official(
        metropolis.id, slug="jeanne-roux", full_name="Jeanne Roux", role="Présidente"
    )
    other_colleague = factories.official(
        metropolis.id,
        slug="luc-blanc",
        full_name="Luc Blanc",
        kind=OfficialKind.STAFF,
        role="Directeur de cabinet",
    )
    for official in (other_owner, other_colleague):
        await officials.save_official(official)

    march = datetime(2026, 3, 2, 9, tzinfo=UTC)
    published = [
        await publish_meeting(stored, march),
        await publish_meeting(
            stored,
            march + timedelta(days=1),
            rep=cyclists,
            subject="Pistes cyclables du boulevard de la Loire",
            policy_area="mobilites",
        ),
        await publish_meeting(stored, march + timedelta(days=2), format=MeetingFormat.VIDEO),
        await publish_meeting(stored, datetime(2026, 4, 15, 9, tzinfo=UTC)),
        await publish_meeting(
            stored,
            datetime(2026, 5, 5, 9, tzinfo=UTC),
            owner=other_owner,
            colleague=other_colleague,
        ),
    ]
    register = PublishedRegister(stored, cyclists, other_owner, published)
    await withdraw_meeting(register.withdrawn)
    return register
