"""The lists of who and what the register names are kept per state of the register: a new
publication-log entry (a publication, a withdrawal) shows at once, and a list handed out is the
caller's own."""

from datetime import UTC, datetime, timedelta

from piccolo.engine.base import Engine

from register.domain.kinds import LegalGround
from register.public_entities import (
    public_authorities,
    public_officials,
    public_organisations,
    public_policy_areas,
)
from register.services.publication import withdraw
from register.store.repositories import meetings, representatives
from tests import factories
from tests.published import ACTOR, NOW, publish_meeting, register_of_five


async def test_a_publication_and_a_withdrawal_show_in_the_cached_lists(db: Engine) -> None:
    stored, published = await register_of_five()
    assert [a.meetings for a in await public_authorities()] == [5]
    assert [o.meetings for o in await public_officials()] == [5]
    names = [o.name for o in (await public_organisations(limit=None)).items]
    assert "Cercle des riverains du port" not in names
    assert [a.code for a in await public_policy_areas()] == ["mobilites", "urbanisme"]

    newcomer = factories.representative(
        name="Cercle des riverains du port",
        hatvp_id=None,
        siren="732829320",
        hatvp_registered=False,
        email_domains=("riverains.example",),
    )
    await representatives.save_representative(newcomer)
    await publish_meeting(
        stored,
        datetime(2026, 4, 1, 9, tzinfo=UTC),
        rep=newcomer,
        policy_area="culture",
    )

    assert [a.meetings for a in await public_authorities()] == [6]
    assert [o.meetings for o in await public_officials()] == [6]
    every = await public_organisations(limit=None)
    assert "Cercle des riverains du port" in [o.name for o in every.items]
    assert every.total == len(every.items) == len(names) + 1
    assert [o.name for o in (await public_organisations(q="riverains")).items] == [
        "Cercle des riverains du port"
    ]
    assert [a.code for a in await public_policy_areas()] == ["culture", "mobilites", "urbanisme"]

    target = await meetings.get_meeting(published[0].id)
    assert target is not None
    await withdraw(
        target.id,
        lock_version=target.lock_version,
        reason="Saisie dans le mauvais agenda.",
        legal_ground=LegalGround.OUT_OF_SCOPE,
        actor=ACTOR,
        now=NOW + timedelta(days=1),
    )
    assert [(a.meetings, a.withdrawn) for a in await public_authorities()] == [(5, 1)]
    assert [(o.meetings, o.withdrawn) for o in await public_officials()] == [(5, 1)]


async def test_a_cached_list_handed_out_is_the_callers_own(db: Engine) -> None:
    await register_of_five()
    first = await public_authorities()
    first.clear()
    organisations = await public_organisations(limit=None)
    organisations.items.clear()

    assert len(await public_authorities()) == 1
    assert (await public_organisations(limit=None)).items
