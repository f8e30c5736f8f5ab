"""Round trips of every table through the repositories, on SQLite and PostgreSQL."""

import asyncio
import json
import sqlite3
from datetime import UTC, date, datetime, timedelta

import asyncpg
import pytest
from piccolo.engine.base import Engine

from register.domain.calendar_data import CalendarData
from register.domain.classification import Classification
from register.domain.kinds import (
    ClassificationKind,
    Decider,
    LegalGround,
    LogAction,
    PublicationState,
    SourceKind,
    StaffRole,
    SyncRunStatus,
    Visibility,
)
from register.domain.policy import Policy
from register.domain.publication_log import GENESIS_HASH
from register.domain.source import CalendarSource, ObjectFailure, SourceHealth, SyncCounts, SyncRun
from register.domain.staff import AuditEvent, StaffUser
from register.store.ids import new_id
from register.store.repositories import (
    audit,
    authorities,
    meetings,
    officials,
    publication_log,
    representatives,
    sources,
    staff,
    sync_runs,
)
from register.store.repositories.errors import ConflictError, NotFoundError
from register.store.tables import PublicationEntry
from tests import factories
from tests.stored import store_register

UNIQUE_VIOLATIONS = (sqlite3.IntegrityError, asyncpg.UniqueViolationError)


async def _stored_source(official_id) -> CalendarSource:
    source = CalendarSource(
        id=new_id(), official_id=official_id, kind=SourceKind.CALDAV, url="http://127.0.0.1/cal/"
    )
    await sources.save_source(source, credentials_ciphertext="gAAAA-ciphertext")
    return source


async def test_authority_round_trip_keeps_its_policy(db: Engine) -> None:
    authority = factories.authority(
        policy=Policy(
            min_present=3, require_representative_names=True, publication_deadline_days=30
        )
    )
    await authorities.save_authority(authority)

    assert await authorities.get_authority(authority.id) == authority
    assert await authorities.get_authority_by_slug("ville-test") == authority
    renamed = authority.model_copy(update={"name": "Ville de Test-sur-Mer"})
    await authorities.save_authority(renamed)
    assert await authorities.list_authorities() == [renamed]


async def test_official_round_trip_with_mandate_dates(db: Engine) -> None:
    authority = factories.authority()
    await authorities.save_authority(authority)
    official = factories.official(
        authority.id,
        portfolio="Urbanisme, logement",
        mandate_start=date(2020, 7, 4),
        mandate_end=date(2026, 3, 22),
        email="marie.durand@ville-test.example",
    )
    await officials.save_official(official)

    assert await officials.get_official(official.id) == official
    assert await officials.list_officials(authority.id) == [official]
    assert await officials.officials_by_id([official.id, official.id]) == {official.id: official}


async def test_official_slug_is_unique_within_an_authority(db: Engine) -> None:
    authority = factories.authority()
    await authorities.save_authority(authority)
    await officials.save_official(factories.official(authority.id))

    with pytest.raises(UNIQUE_VIOLATIONS):
        await officials.save_official(factories.official(authority.id))


async def test_representative_round_trip_with_identifiers_and_domains(db: Engine) -> None:
    parent = factories.representative(name="Groupe Val", hatvp_id=None, siren="732829320")
    rep = factories.representative(
        acronym="FBV",
        rna=None,
        eu_transparency_id="123456789012-34",
        website="https://fbv.example",
        merged_into_id=parent.id,
    )
    await representatives.save_representative(parent)
    await representatives.save_representative(rep)

    assert await representatives.get_representative(rep.id) == rep
    assert await representatives.representatives_by_id([rep.id]) == {rep.id: rep}
    assert [r.name for r in await representatives.list_representatives()] == [
        "Fédération des bâtisseurs du Val",
        "Groupe Val",
    ]


async def test_hatvp_id_is_unique_across_representatives(db: Engine) -> None:
    await representatives.save_representative(factories.representative())

    with pytest.raises(UNIQUE_VIOLATIONS):
        await representatives.save_representative(factories.representative(name="Doublon"))


async def test_calendar_source_round_trip_keeps_ciphertext_and_sync_state(db: Engine) -> None:
    _, owner, _, _ = await store_register()
    last_success = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    source = CalendarSource(
        id=new_id(),
        official_id=owner.id,
        kind=SourceKind.ICS,
        url="https://calendar.example/secret.ics",
        username="",
        sync_state={"etag": '"abc"', "hrefs": {"/a.ics": "1"}},
        health=SourceHealth(
            last_success_at=last_success, last_error="timeout", consecutive_failures=2
        ),
    )
    await sources.save_source(source, credentials_ciphertext="gAAAAB-opaque")

    assert await sources.get_source(source.id) == (source, "gAAAAB-opaque")
    assert await sources.list_sources() == [source]


async def test_meeting_round_trip_with_collegiality_record(db: Engine) -> None:
    authority, owner, colleague, rep = await store_register()
    source = await _stored_source(owner.id)
    meeting = factories.meeting(
        authority.id,
        owner.id,
        source=factories.source_key(source.id, recurrence_id="20260310T133000Z"),
        classification=factories.interest_classification(rep),
        record=factories.complete_record(
            owner, colleague, rep, documents=("https://doc.example/a.pdf",)
        ),
        calendar=CalendarData(summary="RDV", visibility=Visibility.CONFIDENTIAL, sequence=3),
        exemption_ground=LegalGround.PROCUREMENT,
    )
    stored = await meetings.add_meeting(meeting)

    assert stored == meeting
    assert await meetings.get_meeting(meeting.id) == meeting
    assert await meetings.find_by_source_key(meeting.source) == meeting
    assert await meetings.list_meetings(authority.id) == [meeting]
    counts = await meetings.count_meetings(authority.id)
    assert counts[PublicationState.DRAFT] == 1
    assert counts[PublicationState.PUBLISHED] == 0


async def test_meeting_times_keep_the_instant_and_the_original_zone(db: Engine) -> None:
    authority, owner, _, _ = await store_register()
    # 02:30 local on the night clocks go forward in Paris does not exist; 03:30 CEST does.
    starts = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    meeting = factories.meeting(
        authority.id,
        owner.id,
        when=factories.TimeSpan(
            starts_at=starts, ends_at=starts + timedelta(minutes=45), timezone="America/Cayenne"
        ),
    )
    await meetings.add_meeting(meeting)

    stored = await meetings.get_meeting(meeting.id)
    assert stored is not None
    assert stored.when.starts_at == starts
    assert stored.when.starts_at.utcoffset() == timedelta(0)
    assert stored.when.timezone == "America/Cayenne"
    assert stored.when.local_start().hour == 22


async def test_one_meeting_per_source_uid_and_recurrence_id(db: Engine) -> None:
    authority, owner, _, _ = await store_register()
    source = await _stored_source(owner.id)
    key = factories.source_key(source.id, uid="weekly@cal", recurrence_id="20260310T090000Z")
    await meetings.add_meeting(factories.meeting(authority.id, owner.id, source=key))
    # Another occurrence of the same series, and the same UID in another source, are fine.
    await meetings.add_meeting(
        factories.meeting(
            authority.id,
            owner.id,
            source=factories.source_key(
                source.id, uid="weekly@cal", recurrence_id="20260317T090000Z"
            ),
        )
    )
    other_source = await _stored_source(owner.id)
    await meetings.add_meeting(
        factories.meeting(
            authority.id,
            owner.id,
            source=factories.source_key(
                other_source.id, uid="weekly@cal", recurrence_id="20260310T090000Z"
            ),
        )
    )

    with pytest.raises(UNIQUE_VIOLATIONS):
        await meetings.add_meeting(factories.meeting(authority.id, owner.id, source=key))
    assert len(await meetings.list_meetings(authority.id)) == 3


async def test_update_meeting_refuses_a_stale_version(db: Engine) -> None:
    authority, owner, colleague, rep = await store_register()
    meeting = await meetings.add_meeting(factories.meeting(authority.id, owner.id))
    first_edit = meeting.model_copy(
        update={"record": factories.complete_record(owner, colleague, rep)}
    )
    saved = await meetings.update_meeting(first_edit)
    assert saved.lock_version == 1

    with pytest.raises(ConflictError):
        # A second editor who read version 0 must not overwrite the first editor's work.
        await meetings.update_meeting(
            meeting.model_copy(
                update={
                    "record": factories.complete_record(
                        owner, colleague, rep, subject="Autre objet de la rencontre"
                    )
                }
            )
        )
    stored = await meetings.get_meeting(meeting.id)
    assert stored is not None
    assert stored.record == first_edit.record
    assert stored.lock_version == 1


async def test_update_of_an_unknown_meeting_is_not_found(db: Engine) -> None:
    authority, owner, _, _ = await store_register()
    with pytest.raises(NotFoundError):
        await meetings.update_meeting(factories.meeting(authority.id, owner.id))


async def test_update_meeting_replaces_presence_and_classification(db: Engine) -> None:
    authority, owner, colleague, rep = await store_register()
    meeting = await meetings.add_meeting(
        factories.meeting(
            authority.id,
            owner.id,
            record=factories.complete_record(owner, colleague, rep),
            classification=factories.interest_classification(rep),
        )
    )
    changed = meeting.model_copy(
        update={
            "record": factories.complete_record(
                owner,
                colleague,
                rep,
                officials_present=(colleague.id, owner.id),
                representatives=(),
            ),
            "classification": Classification(
                kind=ClassificationKind.INTERNAL, confidence=1.0, decided_by=Decider.STAFF
            ),
        }
    )
    await meetings.update_meeting(changed)

    stored = await meetings.get_meeting(meeting.id)
    assert stored is not None
    assert stored.record.officials_present == (colleague.id, owner.id)
    assert stored.record.representatives == ()
    assert stored.classification == changed.classification


async def test_staff_user_round_trip_with_memberships(db: Engine) -> None:
    authority, owner, _, _ = await store_register()
    user = StaffUser(
        id=new_id(),
        username="editrice",
        email="editrice@ville-test.example",
        full_name="Éditrice",
        role=StaffRole.EDITOR,
        authority_ids=(authority.id,),
        official_id=owner.id,
    )
    await staff.add_staff_user(user, "$argon2id$v=19$m=65536,t=3,p=4$hash")

    assert await staff.get_staff_user("editrice") == (user, "$argon2id$v=19$m=65536,t=3,p=4$hash")
    await staff.set_password_hash(user.id, "$argon2id$new")
    assert await staff.get_staff_user("editrice") == (user, "$argon2id$new")
    assert await staff.get_staff_user("nobody") is None
    with pytest.raises(UNIQUE_VIOLATIONS):
        await staff.add_staff_user(user.model_copy(update={"id": new_id()}), "x")


async def test_audit_events_round_trip_in_order(db: Engine) -> None:
    first = AuditEvent(
        at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        actor="demo",
        action="meeting.publish",
        entity="meeting",
        entity_id="m-1",
        changes={"publication_state": ["ready", "published"]},
    )
    second = first.model_copy(
        update={"action": "meeting.correct", "at": datetime(2026, 3, 2, tzinfo=UTC)}
    )
    await audit.record_event(first)
    await audit.record_event(second)

    assert await audit.events_for("meeting", "m-1") == [first, second]
    assert await audit.events_for("meeting", "m-2") == []


async def test_sync_run_recorded_then_finished(db: Engine) -> None:
    _, owner, _, _ = await store_register()
    source = await _stored_source(owner.id)
    started = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    run = SyncRun(source_id=source.id, started_at=started, worker="worker-1")
    number = await sync_runs.record_run(run)
    finished = run.model_copy(
        update={
            "finished_at": started + timedelta(seconds=4),
            "status": SyncRunStatus.PARTIAL,
            "counts": SyncCounts(new=3, changed=1, cancelled=1, unchanged=40, failed=1),
            "failures": (
                ObjectFailure(href="/cal/bad.ics", message="Content line could not be parsed"),
            ),
        }
    )
    await sync_runs.finish_run(number, finished)

    assert await sync_runs.runs_for_source(source.id) == [finished]


async def test_publication_log_appends_a_verifiable_chain(db: Engine) -> None:
    authority, owner, _, _ = await store_register()
    meeting = await meetings.add_meeting(factories.meeting(authority.id, owner.id))
    moment = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    from register.store.transaction import writing

    async with writing():
        first = await publication_log.append_entry(
            meeting_id=meeting.id,
            version=1,
            action=LogAction.PUBLISH,
            recorded_at=moment,
            payload={"subject": "Objet"},
        )
    async with writing():
        second = await publication_log.append_entry(
            meeting_id=meeting.id,
            version=2,
            action=LogAction.CORRECT,
            recorded_at=moment + timedelta(days=1),
            payload={"subject": "Objet corrigé"},
        )

    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert [e async for e in publication_log.iter_entries()] == [first, second]
    assert await publication_log.entries_for_meeting(meeting.id) == [first, second]
    assert await publication_log.verify_log(batch=1) == (2, [])
    assert json.loads(second.body)["payload"] == {"subject": "Objet corrigé"}


async def test_concurrent_appends_form_a_single_chain(db: Engine) -> None:
    authority, owner, _, _ = await store_register()
    meeting_ids = [
        (await meetings.add_meeting(factories.meeting(authority.id, owner.id))).id for _ in range(8)
    ]
    from register.store.transaction import writing

    async def append(meeting_id) -> None:
        async with writing():
            await publication_log.append_entry(
                meeting_id=meeting_id,
                version=1,
                action=LogAction.PUBLISH,
                recorded_at=datetime(2026, 3, 1, tzinfo=UTC),
                payload={"id": str(meeting_id)},
            )

    await asyncio.gather(*(append(meeting_id) for meeting_id in meeting_ids))

    checked, problems = await publication_log.verify_log()
    assert (checked, problems) == (8, [])
    seqs = [
        row["seq"]
        for row in await PublicationEntry.select(PublicationEntry.seq).order_by(
            PublicationEntry.seq
        )
    ]
    assert seqs == list(range(1, 9))
