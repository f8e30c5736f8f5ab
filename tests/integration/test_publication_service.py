"""Publishing through the service: states, the log, refusals, privacy, on both engines."""

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from piccolo.engine.base import Engine

from register.domain.calendar_data import CalendarData
from register.domain.kinds import LegalGround, PublicationState, Visibility
from register.domain.meeting import Meeting
from register.domain.official import Official
from register.domain.publication import PublicationAction
from register.domain.representative import InterestRepresentative
from register.queries import latest_published, register_summary
from register.services.publication import (
    ActionRefusedError,
    Actor,
    apply_action,
    correct,
    publish,
    withdraw,
)
from register.services.record_form import RecordForm
from register.store.repositories import audit, meetings
from register.store.repositories.errors import ConflictError
from register.store.repositories.publication_log import entries_for_meeting, verify_log
from tests import factories
from tests.stored import store_register

ACTOR = Actor(label="test-editor")
NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


async def _register() -> tuple[Official, Official, InterestRepresentative]:
    stored = await store_register()
    return stored.owner, stored.colleague, stored.representative


async def _complete_meeting(**overrides: object) -> Meeting:
    owner, colleague, rep = await _register()
    values = {
        "record": factories.complete_record(owner, colleague, rep),
        "classification": factories.interest_classification(rep),
    }
    return await meetings.add_meeting(
        factories.meeting(owner.authority_id, owner.id, **(values | overrides))
    )


async def test_publish_correct_withdraw_each_append_a_version(db: Engine) -> None:
    meeting = await _complete_meeting()

    assert await apply_action(meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW) is (
        PublicationState.READY
    )
    await apply_action(meeting.id, PublicationAction.PUBLISH, actor=ACTOR, now=NOW)
    stored = await meetings.get_meeting(meeting.id)
    assert stored is not None
    await meetings.update_meeting(
        stored.model_copy(
            update={
                "record": stored.record.model_copy(
                    update={"subject": "Calendrier des travaux de la gare, phase 2"}
                )
            }
        )
    )
    await apply_action(
        meeting.id,
        PublicationAction.CORRECT,
        actor=ACTOR,
        reason="Objet précisé",
        now=NOW + timedelta(days=1),
    )
    await apply_action(
        meeting.id,
        PublicationAction.WITHDRAW,
        actor=ACTOR,
        reason="Rencontre relevant d'une procédure de marché en cours",
        legal_ground=LegalGround.PROCUREMENT,
        now=NOW + timedelta(days=2),
    )

    entries = await entries_for_meeting(meeting.id)
    assert [(e.version, e.action.value) for e in entries] == [
        (1, "publish"),
        (2, "correct"),
        (3, "withdraw"),
    ]
    payloads = [json.loads(e.body)["payload"] for e in entries]
    assert (
        payloads[0]["subject"]
        == "Projet de rénovation du quartier de la gare : calendrier des travaux"
    )
    assert payloads[1]["subject"] == "Calendrier des travaux de la gare, phase 2"
    assert payloads[1]["publication"] == {
        "version": 2,
        "state": "corrected",
        "reason": "Objet précisé",
        "legal_ground": None,
    }
    # A withdrawal keeps the last public version on record, with its reason and ground.
    assert payloads[2]["subject"] == "Calendrier des travaux de la gare, phase 2"
    assert payloads[2]["publication"]["state"] == "withdrawn"
    assert payloads[2]["publication"]["legal_ground"] == "procurement"
    final = await meetings.get_meeting(meeting.id)
    assert final is not None
    assert final.publication_state is PublicationState.WITHDRAWN
    assert final.published_version == 3
    assert final.first_published_at == NOW
    assert await verify_log() == (3, [])
    actions = [event.action for event in await audit.events_for("meeting", str(meeting.id))]
    assert actions == [
        "meeting.mark_ready",
        "meeting.publish",
        "meeting.correct",
        "meeting.withdraw",
    ]


async def test_incomplete_record_is_refused_with_every_reason_and_nothing_changes(
    db: Engine,
) -> None:
    owner, _, rep = await _register()
    meeting = await meetings.add_meeting(
        factories.meeting(
            owner.authority_id,
            owner.id,
            classification=factories.interest_classification(rep),
            record=factories.complete_record(
                owner,
                owner,
                rep,
                officials_present=(owner.id,),
                other_attendees=(),
                subject="Point général",
            ),
        )
    )

    with pytest.raises(ActionRefusedError) as refused:
        await apply_action(meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW)

    english = [message.en for message in refused.value.decision.refusals]
    assert english[0] == "The collegiality record is incomplete (2 problem(s) to fix)."
    assert english[1] == "At least 2 public officials or agents must attend; 1 given."
    assert english[2].startswith('The subject "Point général" is too vague')
    stored = await meetings.get_meeting(meeting.id)
    assert stored is not None
    assert stored.publication_state is PublicationState.DRAFT
    assert stored.lock_version == 0
    assert await entries_for_meeting(meeting.id) == []


async def test_private_event_is_never_published(db: Engine) -> None:
    meeting = await _complete_meeting(
        calendar=CalendarData(summary="Privé", visibility=Visibility.PRIVATE)
    )

    with pytest.raises(ActionRefusedError) as refused:
        await apply_action(meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW)

    assert "The calendar marks this event private or confidential: it is never published." in [
        message.en for message in refused.value.decision.refusals
    ]


async def test_a_draft_cannot_be_published_without_being_marked_ready(db: Engine) -> None:
    meeting = await _complete_meeting()

    with pytest.raises(ActionRefusedError) as refused:
        await apply_action(meeting.id, PublicationAction.PUBLISH, actor=ACTOR, now=NOW)

    assert [m.en for m in refused.value.decision.refusals] == [
        "Only a meeting marked ready can be published. It is currently draft."
    ]


async def test_published_payload_holds_nothing_private(db: Engine) -> None:
    meeting = await _complete_meeting()
    for action in (PublicationAction.MARK_READY, PublicationAction.PUBLISH):
        await apply_action(meeting.id, action, actor=ACTOR, now=NOW)

    (entry,) = await entries_for_meeting(meeting.id)
    for private in (
        "RDV FBV gare",
        "Texte privé",
        "jean.martin@fbv.example",
        "marie.durand@ville-test.example",
        "Jean Martin",
        "fbv.example",
    ):
        assert private not in entry.body
    published = await latest_published()
    assert [p.record.id for p in published] == [meeting.id]
    assert published[0].record.representatives[0].people == ()


async def test_queries_read_the_current_public_version(db: Engine) -> None:
    meeting = await _complete_meeting()
    for action in (PublicationAction.MARK_READY, PublicationAction.PUBLISH):
        await apply_action(meeting.id, action, actor=ACTOR, now=NOW)
    await apply_action(
        meeting.id, PublicationAction.CORRECT, actor=ACTOR, reason="Coquille", now=NOW
    )

    (current,) = await latest_published()
    assert current.publication.version == 2
    assert current.publication.state is PublicationState.CORRECTED
    assert current.publication.reason == "Coquille"
    assert current.recorded_at == NOW
    summary = await register_summary()
    assert (
        summary.published_meetings,
        summary.organisations,
        summary.officials,
        summary.log_entries,
    ) == (1, 1, 1, 2)


async def test_concurrent_publications_keep_one_valid_chain(db: Engine) -> None:
    owner, colleague, rep = await _register()
    ids = []
    for _ in range(6):
        meeting = await meetings.add_meeting(
            factories.meeting(
                owner.authority_id,
                owner.id,
                record=factories.complete_record(owner, colleague, rep),
                classification=factories.interest_classification(rep),
            )
        )
        await apply_action(meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW)
        ids.append(meeting.id)

    await asyncio.gather(
        *(apply_action(i, PublicationAction.PUBLISH, actor=ACTOR, now=NOW) for i in ids)
    )

    assert await verify_log() == (6, [])
    assert len(await latest_published(limit=50)) == 6


async def test_publish_takes_a_draft_to_published_in_one_step(db: Engine) -> None:
    meeting = await _complete_meeting()

    published = await publish(meeting.id, lock_version=0, actor=ACTOR, now=NOW)

    assert published.publication_state is PublicationState.PUBLISHED
    assert (published.published_version, published.lock_version) == (1, 2)
    assert published.first_published_at == NOW
    assert await meetings.get_meeting(meeting.id) == published
    (entry,) = await entries_for_meeting(meeting.id)
    assert (entry.version, entry.action.value, entry.recorded_at) == (1, "publish", NOW)
    assert [e.action for e in await audit.events_for("meeting", str(meeting.id))] == [
        "meeting.mark_ready",
        "meeting.publish",
    ]


async def test_publish_of_a_ready_meeting_publishes_it(db: Engine) -> None:
    meeting = await _complete_meeting()
    await apply_action(meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW)

    published = await publish(meeting.id, lock_version=1, actor=ACTOR, now=NOW)

    assert (published.publication_state, published.lock_version) == (
        PublicationState.PUBLISHED,
        2,
    )
    assert [e.version for e in await entries_for_meeting(meeting.id)] == [1]


async def test_publish_refuses_with_every_reason_and_writes_nothing(db: Engine) -> None:
    owner, _, rep = await _register()
    meeting = await meetings.add_meeting(
        factories.meeting(
            owner.authority_id,
            owner.id,
            classification=factories.interest_classification(rep),
            record=factories.complete_record(
                owner, owner, rep, officials_present=(owner.id,), other_attendees=()
            ).model_copy(update={"subject": "Point général"}),
            exemption_ground=LegalGround.PRIVACY,
        )
    )

    with pytest.raises(ActionRefusedError) as refused:
        await publish(meeting.id, lock_version=0, actor=ACTOR, now=NOW)

    english = [message.en for message in refused.value.decision.refusals]
    assert english == [
        "The collegiality record is incomplete (2 problem(s) to fix).",
        "At least 2 public officials or agents must attend; 1 given.",
        'The subject "Point général" is too vague: say what was discussed (project, text, case).',
        "This meeting is kept unpublished (ground: privacy): lift the exemption first.",
    ]
    assert refused.value.refusals == refused.value.decision.refusals
    assert [v.code for v in refused.value.violations] == ["too_few_present", "subject_vague"]
    assert await meetings.get_meeting(meeting.id) == meeting
    assert await entries_for_meeting(meeting.id) == []
    assert await audit.events_for("meeting", str(meeting.id)) == []


async def test_publish_refuses_a_meeting_already_published(db: Engine) -> None:
    meeting = await _complete_meeting()
    published = await publish(meeting.id, lock_version=0, actor=ACTOR, now=NOW)

    with pytest.raises(ActionRefusedError) as refused:
        await publish(meeting.id, lock_version=published.lock_version, actor=ACTOR, now=NOW)

    assert [m.en for m in refused.value.decision.refusals] == [
        "Only a meeting marked ready can be published. It is currently published."
    ]
    assert len(await entries_for_meeting(meeting.id)) == 1


async def test_publish_with_a_stale_lock_version_is_a_conflict(db: Engine) -> None:
    meeting = await _complete_meeting()
    await apply_action(meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW)

    with pytest.raises(ConflictError):
        await publish(meeting.id, lock_version=0, actor=ACTOR, now=NOW)

    stored = await meetings.get_meeting(meeting.id)
    assert stored is not None
    assert (stored.publication_state, stored.lock_version) == (PublicationState.READY, 1)
    assert await entries_for_meeting(meeting.id) == []


async def test_apply_action_checks_the_lock_version_only_when_given(db: Engine) -> None:
    meeting = await _complete_meeting()

    with pytest.raises(ConflictError):
        await apply_action(
            meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW, lock_version=3
        )
    assert await apply_action(
        meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW, lock_version=0
    ) is (PublicationState.READY)


async def test_correct_saves_the_edited_record_and_appends_a_version(db: Engine) -> None:
    meeting = await _complete_meeting()
    published = await publish(meeting.id, lock_version=0, actor=ACTOR, now=NOW)
    form = RecordForm.from_meeting(published).model_copy(
        update={"subject": "Calendrier des travaux de la gare, phase 2"}
    )
    later = NOW + timedelta(days=1)

    corrected = await correct(
        meeting.id,
        form,
        lock_version=published.lock_version,
        reason=" Objet précisé ",
        actor=ACTOR,
        now=later,
    )

    assert corrected.publication_state is PublicationState.CORRECTED
    assert corrected.record.subject == "Calendrier des travaux de la gare, phase 2"
    assert (corrected.published_version, corrected.lock_version) == (2, 3)
    assert await meetings.get_meeting(meeting.id) == corrected
    entries = await entries_for_meeting(meeting.id)
    assert [(e.version, e.action.value) for e in entries] == [(1, "publish"), (2, "correct")]
    payload = json.loads(entries[1].body)["payload"]
    assert payload["subject"] == "Calendrier des travaux de la gare, phase 2"
    assert payload["publication"] == {
        "version": 2,
        "state": "corrected",
        "reason": "Objet précisé",
        "legal_ground": None,
    }
    event = (await audit.events_for("meeting", str(meeting.id)))[-1]
    assert event.action == "meeting.correct"
    assert event.changes == {
        "subject": [
            "Projet de rénovation du quartier de la gare : calendrier des travaux",
            "Calendrier des travaux de la gare, phase 2",
        ],
        "publication_state": ["published", "corrected"],
        "reason": " Objet précisé ",
        "legal_ground": None,
    }
    assert await verify_log() == (2, [])


async def test_correct_refuses_with_every_reason_and_writes_nothing(db: Engine) -> None:
    meeting = await _complete_meeting()
    published = await publish(meeting.id, lock_version=0, actor=ACTOR, now=NOW)
    form = RecordForm.from_meeting(published).model_copy(
        update={"subject": "Échanges", "format": "visio"}
    )

    with pytest.raises(ActionRefusedError) as refused:
        await correct(
            meeting.id,
            form,
            lock_version=published.lock_version,
            reason="  ",
            actor=ACTOR,
            now=NOW,
        )

    assert [m.en for m in refused.value.decision.refusals] == [
        "The collegiality record is incomplete (2 problem(s) to fix).",
        'The subject "Échanges" is too vague: say what was discussed (project, text, case).',
        "Give the format of the meeting.",
        "A public reason is required to correct or withdraw a publication.",
        'Unknown format "visio": in person, video or phone.',
    ]
    assert [e.code for e in refused.value.input_errors] == ["format_invalid"]
    assert [v.code for v in refused.value.violations] == ["subject_vague", "format_missing"]
    assert await meetings.get_meeting(meeting.id) == published
    assert len(await entries_for_meeting(meeting.id)) == 1


async def test_correct_refuses_an_unpublished_meeting(db: Engine) -> None:
    meeting = await _complete_meeting()

    with pytest.raises(ActionRefusedError) as refused:
        await correct(
            meeting.id,
            RecordForm.from_meeting(meeting),
            lock_version=0,
            reason="Coquille",
            actor=ACTOR,
            now=NOW,
        )

    assert [m.en for m in refused.value.decision.refusals] == [
        "Only a published meeting can be corrected. It is currently draft."
    ]
    assert await meetings.get_meeting(meeting.id) == meeting


async def test_correct_with_a_stale_lock_version_is_a_conflict(db: Engine) -> None:
    meeting = await _complete_meeting()
    published = await publish(meeting.id, lock_version=0, actor=ACTOR, now=NOW)

    with pytest.raises(ConflictError):
        await correct(
            meeting.id,
            RecordForm.from_meeting(published),
            lock_version=published.lock_version - 1,
            reason="Coquille",
            actor=ACTOR,
            now=NOW,
        )

    assert await meetings.get_meeting(meeting.id) == published
    assert len(await entries_for_meeting(meeting.id)) == 1


async def test_withdraw_keeps_the_withdrawal_public(db: Engine) -> None:
    meeting = await _complete_meeting()
    published = await publish(meeting.id, lock_version=0, actor=ACTOR, now=NOW)

    withdrawn = await withdraw(
        meeting.id,
        lock_version=published.lock_version,
        reason="Procédure de marché en cours",
        legal_ground=LegalGround.PROCUREMENT,
        actor=ACTOR,
        now=NOW + timedelta(days=1),
    )

    assert (withdrawn.publication_state, withdrawn.published_version) == (
        PublicationState.WITHDRAWN,
        2,
    )
    assert await meetings.get_meeting(meeting.id) == withdrawn
    entry = (await entries_for_meeting(meeting.id))[-1]
    assert json.loads(entry.body)["payload"]["publication"] == {
        "version": 2,
        "state": "withdrawn",
        "reason": "Procédure de marché en cours",
        "legal_ground": "procurement",
    }


async def test_withdraw_needs_a_reason_and_a_legal_ground(db: Engine) -> None:
    meeting = await _complete_meeting()
    published = await publish(meeting.id, lock_version=0, actor=ACTOR, now=NOW)

    with pytest.raises(ActionRefusedError) as refused:
        await withdraw(
            meeting.id,
            lock_version=published.lock_version,
            reason="",
            legal_ground=None,
            actor=ACTOR,
            now=NOW,
        )

    assert [m.en for m in refused.value.decision.refusals] == [
        "A public reason is required to correct or withdraw a publication.",
        "The legal ground for the withdrawal is required.",
    ]
    assert await meetings.get_meeting(meeting.id) == published
    assert len(await entries_for_meeting(meeting.id)) == 1


async def test_withdraw_refuses_an_unpublished_meeting_and_a_stale_version(db: Engine) -> None:
    meeting = await _complete_meeting()

    with pytest.raises(ActionRefusedError) as refused:
        await withdraw(
            meeting.id,
            lock_version=0,
            reason="Erreur",
            legal_ground=LegalGround.OUT_OF_SCOPE,
            actor=ACTOR,
            now=NOW,
        )
    assert [m.en for m in refused.value.decision.refusals] == [
        "Only a published meeting can be withdrawn. It is currently draft."
    ]

    published = await publish(meeting.id, lock_version=0, actor=ACTOR, now=NOW)
    with pytest.raises(ConflictError):
        await withdraw(
            meeting.id,
            lock_version=0,
            reason="Erreur",
            legal_ground=LegalGround.OUT_OF_SCOPE,
            actor=ACTOR,
            now=NOW,
        )
    assert await meetings.get_meeting(meeting.id) == published
