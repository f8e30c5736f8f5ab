"""The public pages' compliance figures are kept per state of the register: a publication, or
any change to a meeting (an exemption set on an unpublished one), shows at once."""

from datetime import UTC, datetime

from piccolo.engine.base import Engine

from register.domain.kinds import LegalGround
from register.services.records import set_exemption
from register.store.repositories import meetings
from register.web.public.compliance_figures import public_compliance_report
from tests import factories
from tests.published import ACTOR, NOW, publish_meeting, register_of_five


async def test_a_publication_or_a_changed_meeting_shows_in_the_kept_figures(db: Engine) -> None:
    stored, _ = await register_of_five()
    ids = [stored.authority.id]
    first = await public_compliance_report(authority_ids=ids)
    assert first.authorities[0].published == 5
    assert await public_compliance_report(authority_ids=ids) is first  # kept

    await publish_meeting(stored, datetime(2026, 4, 1, 9, tzinfo=UTC))
    assert (await public_compliance_report(authority_ids=ids)).authorities[0].published == 6

    exempted = await meetings.add_meeting(
        factories.meeting(
            stored.authority.id,
            stored.owner.id,
            classification=factories.interest_classification(stored.representative),
        )
    )
    await set_exemption(
        exempted.id,
        LegalGround.PROCUREMENT,
        lock_version=exempted.lock_version,
        actor=ACTOR,
        now=NOW,
    )
    figures = (await public_compliance_report(authority_ids=ids)).authorities[0]
    assert figures.exemptions[LegalGround.PROCUREMENT] == 1
    assert figures.published == 6
    every = await public_compliance_report()
    assert every.authorities == [figures]
