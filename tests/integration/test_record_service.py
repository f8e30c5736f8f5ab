"""Staff editing a meeting through the services, on both engines: the collegiality record's form,
the classification decision, the exemption, and the organisation picker."""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from piccolo.engine.base import Engine

from connectors.delta import ObjectChanged, SyncDelta, Window
from connectors.remote_event import EventKey, Person, RemoteEvent
from register.domain.collegiality import CollegialityRecord, RepresentativePresence
from register.domain.kinds import (
    ClassificationKind,
    Decider,
    LegalGround,
    PublicationState,
    SourceKind,
)
from register.domain.meeting import Meeting
from register.domain.publication import PublicationAction
from register.services.organisations import search_organisations
from register.services.publication import Actor, apply_action, publish
from register.services.record_form import (
    AttendeeInput,
    RecordForm,
    RepresentativeInput,
    parse_record,
)
from register.services.records import (
    EditRefusedError,
    decide_classification,
    save_record,
    set_exemption,
)
from register.services.sources import add_source
from register.services.sync import sync_source
from register.settings import Settings
from register.store.ids import new_id
from register.store.repositories import audit, meetings
from register.store.repositories.authorities import save_authority
from register.store.repositories.directory import merge
from register.store.repositories.errors import ConflictError
from register.store.repositories.officials import save_official
from register.store.repositories.representatives import save_representative
from tests import factories
from tests.stored import StoredRegister, store_register

ACTOR = Actor(label="editrice")
NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
SUBJECT = "Projet de rénovation du quartier de la gare : calendrier des travaux"


async def _draft(stored: StoredRegister, **overrides: Any) -> Meeting:
    """An interest-representative meeting of the mayor's diary, with an empty record."""
    values: dict[str, Any] = {
        "classification": factories.interest_classification(stored.representative)
    }
    return await meetings.add_meeting(
        factories.meeting(stored.authority.id, stored.owner.id, **(values | overrides))
    )


async def _complete(stored: StoredRegister) -> Meeting:
    return await _draft(
        stored,
        record=factories.complete_record(stored.owner, stored.colleague, stored.representative),
    )


async def _stored(meeting: Meeting) -> Meeting:
    found = await meetings.get_meeting(meeting.id)
    assert found is not None
    return found


def _codes(violations: tuple[Any, ...]) -> list[str]:
    return [violation.code for violation in violations]


async def test_a_form_with_input_errors_saves_nothing_and_reports_every_error(db: Engine) -> None:
    stored = await store_register()
    meeting = await _draft(stored)
    elsewhere = factories.authority(slug="ailleurs", name="Ailleurs")
    await save_authority(elsewhere)
    stranger = factories.official(elsewhere.id, slug="jo-loin", full_name="Jo Loin")
    await save_official(stranger)
    unknown_official, unknown_organisation = new_id(), new_id()
    form = RecordForm(
        officials_present=[
            "abc",
            str(unknown_official),
            str(stranger.id),
            str(stored.owner.id),
            "",
        ],
        other_attendees=[AttendeeInput(role="", name="Julie Roy"), AttendeeInput()],
        representatives=[
            RepresentativeInput(representative_id=str(unknown_organisation), people="X Y"),
            RepresentativeInput(representative_id="pas-un-id"),
            RepresentativeInput(),
        ],
        subject="x" * 1001,
        policy_area="a" * 61,
        format="visio",
        initiative="maybe",
        documents="ftp://files.example/a.pdf\nhttps://ok.example/doc.pdf\n  \nnot a link",
    )

    outcome = await save_record(meeting.id, form, lock_version=0, actor=ACTOR, now=NOW)

    assert outcome.saved is False
    assert _codes(outcome.input_errors) == [
        "official_malformed",
        "official_unknown",
        "official_other_authority",
        "attendee_role_missing",
        "representative_unknown",
        "representative_unknown",
        "subject_too_long",
        "policy_area_too_long",
        "format_invalid",
        "initiative_invalid",
        "document_invalid",
        "document_invalid",
    ]
    english = [error.message.en for error in outcome.input_errors]
    assert english[0] == '"abc" is not an official\'s identifier.'
    assert english[1] == f"No official has the identifier {unknown_official}."
    assert english[2] == f"The official {stranger.id} belongs to another authority."
    assert english[3] == "Other attendees, row 1: give the role."
    assert english[4] == (
        f'Interest representatives, row 1: unknown organisation "{unknown_organisation}".'
    )
    assert english[8] == 'Unknown format "visio": in person, video or phone.'
    assert english[10] == '"ftp://files.example/a.pdf" is not an http:// or https:// link.'
    assert english[11] == '"not a link" is not an http:// or https:// link.'
    assert {error.field for error in outcome.input_errors} == {
        "officials_present",
        "other_attendees",
        "representatives",
        "subject",
        "policy_area",
        "format",
        "initiative",
        "documents",
    }
    # What the valid part of the form still lacks is shown with the input errors.
    assert _codes(outcome.violations) == [
        "too_few_present",
        "subject_missing",
        "policy_area_missing",
        "format_missing",
        "initiative_missing",
        "representative_missing",
    ]
    assert outcome.meeting == meeting
    after = await _stored(meeting)
    assert (after.record, after.lock_version) == (CollegialityRecord(), 0)
    assert await audit.events_for("meeting", str(meeting.id)) == []


async def test_an_incomplete_draft_is_saved_with_what_it_still_lacks(db: Engine) -> None:
    stored = await store_register()
    meeting = await _draft(stored)
    rep = stored.representative
    form = RecordForm(
        officials_present=[str(stored.owner.id)],
        representatives=[
            RepresentativeInput(representative_id=str(rep.id), people=" Jean Martin \n\n"),
        ],
        subject="  Point général ",
        policy_area="urbanisme",
    )

    outcome = await save_record(meeting.id, form, lock_version=0, actor=ACTOR, now=NOW)

    assert (outcome.saved, outcome.input_errors) == (True, ())
    assert _codes(outcome.violations) == [
        "too_few_present",
        "subject_vague",
        "format_missing",
        "initiative_missing",
    ]
    after = await _stored(meeting)
    assert after == outcome.meeting
    assert after.lock_version == 1
    assert after.publication_state is PublicationState.DRAFT
    assert after.record == CollegialityRecord(
        officials_present=(stored.owner.id,),
        representatives=(
            RepresentativePresence(representative_id=rep.id, people=("Jean Martin",)),
        ),
        subject="Point général",
        policy_area="urbanisme",
    )
    (event,) = await audit.events_for("meeting", str(meeting.id))
    assert (event.action, event.actor, event.at) == ("meeting.edit_record", "editrice", NOW)
    assert event.changes == {
        "officials_present": [[], [str(stored.owner.id)]],
        "representatives": [[], [{"representative_id": str(rep.id), "people": ["Jean Martin"]}]],
        "subject": ["", "Point général"],
        "policy_area": [None, "urbanisme"],
    }


async def test_the_form_of_a_stored_meeting_reads_back_to_the_same_record(db: Engine) -> None:
    stored = await store_register()
    meeting = await _complete(stored)
    record = meeting.record.model_copy(
        update={"documents": ("https://ville-test.example/dossier.pdf",)}
    )
    form = RecordForm.from_meeting(meeting.model_copy(update={"record": record}))

    assert form.officials_present == [str(stored.owner.id), str(stored.colleague.id)]
    assert form.other_attendees == [AttendeeInput(role="Directrice de l'urbanisme", name="")]
    assert form.representatives == [
        RepresentativeInput(representative_id=str(stored.representative.id), people="Jean Martin")
    ]
    assert (form.format, form.initiative) == ("in_person", "representative")
    assert form.documents == "https://ville-test.example/dossier.pdf"
    parsed = parse_record(
        form,
        officials={stored.owner.id, stored.colleague.id},
        representatives={stored.representative.id: stored.representative.id},
    )
    assert parsed == (record, ())


async def test_a_ready_meeting_whose_record_falls_short_goes_back_to_draft(db: Engine) -> None:
    stored = await store_register()
    meeting = await _complete(stored)
    await apply_action(meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW)
    form = RecordForm.from_meeting(meeting).model_copy(update={"subject": "Échanges"})

    outcome = await save_record(meeting.id, form, lock_version=1, actor=ACTOR, now=NOW)

    assert outcome.saved is True
    assert _codes(outcome.violations) == ["subject_vague"]
    after = await _stored(meeting)
    assert (after.publication_state, after.lock_version) == (PublicationState.DRAFT, 2)
    assert after.record.subject == "Échanges"
    event = (await audit.events_for("meeting", str(meeting.id)))[-1]
    assert event.changes == {
        "subject": [SUBJECT, "Échanges"],
        "publication_state": ["ready", "draft"],
    }


async def test_a_ready_meeting_whose_record_stays_complete_stays_ready(db: Engine) -> None:
    stored = await store_register()
    meeting = await _complete(stored)
    await apply_action(meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW)
    form = RecordForm.from_meeting(meeting).model_copy(
        update={"subject": "Calendrier des travaux de la gare, phase 2"}
    )

    outcome = await save_record(meeting.id, form, lock_version=1, actor=ACTOR, now=NOW)

    assert (outcome.saved, outcome.violations) == (True, ())
    assert outcome.meeting.publication_state is PublicationState.READY
    assert outcome.meeting.lock_version == 2


async def test_a_second_editor_with_a_stale_version_gets_a_conflict_on_save_and_publish(
    db: Engine,
) -> None:
    stored = await store_register()
    meeting = await _complete(stored)
    first = RecordForm.from_meeting(meeting).model_copy(
        update={"subject": "Calendrier des travaux de la gare, phase 2"}
    )
    second = RecordForm.from_meeting(meeting).model_copy(
        update={"subject": "Calendrier des travaux de la gare, phase 3"}
    )
    await save_record(meeting.id, first, lock_version=0, actor=ACTOR, now=NOW)

    with pytest.raises(ConflictError, match="was changed by someone else"):
        await save_record(meeting.id, second, lock_version=0, actor=Actor("autre"), now=NOW)
    with pytest.raises(ConflictError, match="was changed by someone else"):
        await publish(meeting.id, lock_version=0, actor=Actor("autre"), now=NOW)

    after = await _stored(meeting)
    assert after.record.subject == "Calendrier des travaux de la gare, phase 2"
    assert (after.publication_state, after.lock_version) == (PublicationState.DRAFT, 1)
    assert [e.actor for e in await audit.events_for("meeting", str(meeting.id))] == ["editrice"]


class _Calendar:
    """A calendar connector whose events the test sets before each sync."""

    def __init__(self) -> None:
        self.events: tuple[RemoteEvent, ...] = ()
        self.syncs = 0

    async def sync(self, state: Mapping[str, Any], window: Window) -> SyncDelta:
        self.syncs += 1
        return SyncDelta(
            changed=tuple(
                ObjectChanged(href=f"{event.key.uid}.ics", etag=None, events=(event,))
                for event in self.events
            ),
            state={"syncs": self.syncs},
        )


def _event(uid: str, summary: str, start: datetime, *attendees: str) -> RemoteEvent:
    return RemoteEvent(
        key=EventKey(uid=uid),
        href=f"{uid}.ics",
        start=start,
        end=start + timedelta(hours=1),
        timezone="Europe/Paris",
        summary=summary,
        attendees=tuple(Person(email=email) for email in attendees),
    )


async def test_a_staff_classification_sticks_through_a_resync(db: Engine, tmp_path: Path) -> None:
    stored = await store_register()
    settings = Settings(data_dir=tmp_path)
    source = await add_source(
        stored.owner,
        kind=SourceKind.ICS,
        url="https://agenda.ville-test.example/marie.ics",
        username="",
        password="",
        settings=settings,
    )
    calendar = _Calendar()
    start = NOW + timedelta(days=3)
    calendar.events = (
        _event("fbv", "Rencontre FBV", start, "jean.martin@fbv.example"),
        _event("hebdo", "Point hebdomadaire", start + timedelta(days=1)),
    )
    await sync_source(source.id, settings, now=NOW, connector_override=calendar)
    by_uid = {
        m.source.uid: m for m in await meetings.list_meetings(stored.authority.id) if m.source
    }
    assert by_uid["fbv"].classification.kind is ClassificationKind.INTEREST_REPRESENTATIVE
    assert by_uid["hebdo"].classification.kind is not ClassificationKind.INTEREST_REPRESENTATIVE
    decided = await decide_classification(
        by_uid["fbv"].id,
        ClassificationKind.INSTITUTIONAL,
        lock_version=by_uid["fbv"].lock_version,
        actor=ACTOR,
        now=NOW,
    )
    assert decided.classification.decided_by is Decider.STAFF

    # Both events change in the calendar: the FBV meeting moves, and the weekly one now has
    # someone from the federation.
    moved = start + timedelta(hours=2)
    calendar.events = (
        _event("fbv", "Rencontre FBV (déplacée)", moved, "jean.martin@fbv.example"),
        _event("hebdo", "Point hebdomadaire", start + timedelta(days=1), "paul@fbv.example"),
    )
    run = await sync_source(
        source.id, settings, now=NOW + timedelta(hours=1), connector_override=calendar
    )

    assert run.counts.changed == 2
    kept = await _stored(decided)
    assert kept.when.starts_at == moved
    assert kept.calendar.summary == "Rencontre FBV (déplacée)"
    assert kept.classification == decided.classification
    assert kept.classification.kind is ClassificationKind.INSTITUTIONAL
    assert kept.classification.reasons[-1].rule == "staff_decision"
    reclassified = await _stored(by_uid["hebdo"])
    assert reclassified.classification.kind is ClassificationKind.INTEREST_REPRESENTATIVE
    assert reclassified.classification.decided_by is Decider.RULE
    (event,) = await audit.events_for("meeting", str(decided.id))
    assert (event.action, event.changes) == (
        "meeting.classify",
        {
            "classification_kind": ["interest_representative", "institutional"],
            "classification_decided_by": ["rule", "staff"],
        },
    )


async def test_a_ready_meeting_classified_as_not_an_interest_meeting_goes_back_to_draft(
    db: Engine,
) -> None:
    stored = await store_register()
    meeting = await _complete(stored)
    await apply_action(meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW)

    decided = await decide_classification(
        meeting.id, ClassificationKind.INTERNAL, lock_version=1, actor=ACTOR, now=NOW
    )

    assert decided.publication_state is PublicationState.DRAFT
    assert decided.classification.kind is ClassificationKind.INTERNAL
    assert decided.lock_version == 2
    assert await _stored(meeting) == decided


async def test_an_exemption_is_set_then_lifted(db: Engine) -> None:
    stored = await store_register()
    meeting = await _complete(stored)
    await apply_action(meeting.id, PublicationAction.MARK_READY, actor=ACTOR, now=NOW)

    exempted = await set_exemption(
        meeting.id, LegalGround.PRIVACY, lock_version=1, actor=ACTOR, now=NOW
    )

    assert exempted.exemption_ground is LegalGround.PRIVACY
    # An exempted meeting is not to be published: it leaves the ready state.
    assert (exempted.publication_state, exempted.lock_version) == (PublicationState.DRAFT, 2)
    assert await _stored(meeting) == exempted

    lifted = await set_exemption(meeting.id, None, lock_version=2, actor=ACTOR, now=NOW)

    assert (lifted.exemption_ground, lifted.publication_state, lifted.lock_version) == (
        None,
        PublicationState.DRAFT,
        3,
    )
    events = await audit.events_for("meeting", str(meeting.id))
    assert [(e.action, e.changes.get("exemption_ground")) for e in events] == [
        ("meeting.mark_ready", None),
        ("meeting.exempt", [None, "privacy"]),
        ("meeting.lift_exemption", ["privacy", None]),
    ]
    assert events[1].changes["publication_state"] == ["ready", "draft"]


async def test_published_and_withdrawn_meetings_cannot_be_edited_directly(db: Engine) -> None:
    stored = await store_register()
    meeting = await _complete(stored)
    published = await publish(meeting.id, lock_version=0, actor=ACTOR, now=NOW)
    form = RecordForm.from_meeting(published)
    version = published.lock_version

    refusals = []
    for attempt in (
        save_record(meeting.id, form, lock_version=version, actor=ACTOR, now=NOW),
        decide_classification(
            meeting.id, ClassificationKind.INTERNAL, lock_version=version, actor=ACTOR, now=NOW
        ),
        set_exemption(meeting.id, LegalGround.SECURITY, lock_version=version, actor=ACTOR, now=NOW),
    ):
        with pytest.raises(EditRefusedError) as refused:
            await attempt
        refusals.append([message.en for message in refused.value.refusals])
    assert refusals == [
        ["A published meeting is changed only through a public correction, with its reason."],
        ["The classification of a published meeting can no longer change."],
        ["A published meeting cannot be exempted: withdraw it, with its legal ground."],
    ]
    assert (await _stored(meeting)).lock_version == version

    await apply_action(
        meeting.id,
        PublicationAction.WITHDRAW,
        actor=ACTOR,
        reason="Marché en cours",
        legal_ground=LegalGround.PROCUREMENT,
        now=NOW,
    )
    withdrawn = await _stored(meeting)
    with pytest.raises(EditRefusedError) as refused:
        await save_record(
            meeting.id, form, lock_version=withdrawn.lock_version, actor=ACTOR, now=NOW
        )
    assert [m.en for m in refused.value.refusals] == [
        "A withdrawn meeting can no longer be changed."
    ]
    assert await _stored(meeting) == withdrawn


async def test_organisations_are_found_by_name_acronym_identifier_and_merged_duplicate(
    db: Engine,
) -> None:
    stored = await store_register()
    fbv = stored.representative
    etang = factories.representative(
        name="Société des Eaux de l'Étang",
        aliases=(),
        acronym="S.E.E.",
        hatvp_id=None,
        siren="123456789",
        email_domains=(),
    )
    paris = factories.representative(
        name="Eaux de Paris", aliases=(), hatvp_id=None, siren=None, email_domains=()
    )
    duplicate = factories.representative(
        name="Compagnie des eaux de l'Étang",
        aliases=(),
        hatvp_id="H987654321",
        siren="987654321",
        email_domains=(),
    )
    for rep in (etang, paris, duplicate):
        await save_representative(rep)

    async def found(text: str) -> list[str]:
        return [rep.name for rep in await search_organisations(text)]

    assert await found("federation des batisseurs") == [fbv.name]
    assert await found("BÂTISSEURS") == [fbv.name]
    assert await found("fbv") == [fbv.name]
    assert await found("see") == [etang.name]
    assert await found("123 456 789") == [etang.name]
    assert await found("552100554") == [fbv.name]
    # Best first: a name that starts with the words, then one that has them further on.
    assert await found("eaux") == [
        paris.name,
        duplicate.name,
        etang.name,
    ]
    assert await found("") == []
    assert await found("nothing like it") == []

    await merge(etang.id, duplicate.id, actor="test")

    assert await found("eaux") == [paris.name, etang.name]
    assert await found("compagnie des eaux") == [etang.name]
    assert await found("987654321") == [etang.name]
    assert await found("H987654321") == [etang.name]
    assert [rep.id for rep in await search_organisations("eaux", limit=1)] == [paris.id]
