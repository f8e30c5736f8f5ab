"""When the directory changes, unpublished meetings that a rule classified are classified again;
staff decisions and published meetings are left alone."""

import re
from datetime import UTC, datetime

import pytest
from piccolo.engine.base import Engine

from register.domain.calendar_data import Attendee, CalendarData
from register.domain.classification import Classification
from register.domain.kinds import ClassificationKind, Decider
from register.domain.publication import PublicationAction
from register.services.classification import RuleError, reclassify_unpublished, treat_domain_as
from register.services.publication import Actor, apply_action
from register.store.repositories.meetings import add_meeting, get_meeting
from tests import factories
from tests.stored import store_register

UNKNOWN = Classification(kind=ClassificationKind.UNKNOWN, confidence=0.0)
FROM_NEW_DOMAIN = CalendarData(
    summary="Échange sur le chantier de la gare",
    attendees=(Attendee(email="paul@batisseurs-val.example", name="Paul Lenoir"),),
)


async def test_teaching_a_domain_reclassifies_rule_made_verdicts_only(db: Engine) -> None:
    stored = await store_register()
    owner, rep = stored.owner, stored.representative
    by_rule = await add_meeting(
        factories.meeting(
            owner.authority_id, owner.id, calendar=FROM_NEW_DOMAIN, classification=UNKNOWN
        )
    )
    staff_verdict = Classification(
        kind=ClassificationKind.PERSONAL, confidence=1.0, decided_by=Decider.STAFF
    )
    by_staff = await add_meeting(
        factories.meeting(
            owner.authority_id, owner.id, calendar=FROM_NEW_DOMAIN, classification=staff_verdict
        )
    )

    changed = await treat_domain_as("Batisseurs-Val.example", rep.id)

    assert changed == 1
    reclassified = await get_meeting(by_rule.id)
    assert reclassified is not None
    assert reclassified.classification.kind is ClassificationKind.INTEREST_REPRESENTATIVE
    assert reclassified.classification.representative_ids == (rep.id,)
    assert reclassified.classification.reasons[0].matched == "batisseurs-val.example"
    kept = await get_meeting(by_staff.id)
    assert kept is not None
    assert kept.classification == staff_verdict
    assert await reclassify_unpublished() == 0


async def test_published_meetings_keep_their_published_classification(db: Engine) -> None:
    stored = await store_register()
    owner, colleague, rep = stored.owner, stored.colleague, stored.representative
    published = await add_meeting(
        factories.meeting(
            owner.authority_id,
            owner.id,
            calendar=CalendarData(summary="Visite", attendees=()),
            record=factories.complete_record(owner, colleague, rep),
            classification=factories.interest_classification(rep),
        )
    )
    for action in (PublicationAction.MARK_READY, PublicationAction.PUBLISH):
        await apply_action(published.id, action, actor=Actor("test"), now=datetime.now(UTC))

    assert await reclassify_unpublished() == 0
    after = await get_meeting(published.id)
    assert after is not None
    assert after.classification == factories.interest_classification(rep)


async def test_a_rule_needs_a_real_domain_and_organisation(db: Engine) -> None:
    stored = await store_register()

    with pytest.raises(RuleError, match=r"^'not a domain' is not an e-mail domain$"):
        await treat_domain_as("not a domain", stored.representative.id)
    with pytest.raises(RuleError, match=re.escape(f"no organisation {stored.owner.id}")):
        await treat_domain_as("ok.example", stored.owner.id)
