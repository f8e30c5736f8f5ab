"""The directory repository on SQLite and PostgreSQL: lookup by identifier, upserts, possible
duplicates, and merges that keep every meeting linked."""

from uuid import UUID

import pytest
from piccolo.engine.base import Engine

from register.domain.classification import Classification, Reason
from register.domain.collegiality import RepresentativePresence
from register.domain.kinds import ClassificationKind
from register.domain.meeting import Meeting
from register.domain.representative import InterestRepresentative
from register.domain.text import Message
from register.store.ids import new_id
from register.store.repositories import audit, directory, meetings, representatives
from register.store.repositories.directory import MergeError, normalised_name
from register.store.tables import RepresentativePresence as PresenceRow
from tests import factories
from tests.stored import StoredRegister, store_register


def _rep(name: str, **values: object) -> InterestRepresentative:
    return InterestRepresentative.model_validate({"id": new_id(), "name": name, **values})


async def _stored(*reps: InterestRepresentative) -> None:
    await directory.upsert_representatives(list(reps))


def _reason(rep_id: UUID) -> Reason:
    return Reason(
        rule="email_domain",
        field="attendees",
        matched="eaux-val.example",
        representative_id=rep_id,
        explanation=Message(fr="Domaine d'un participant.", en="An attendee's domain."),
    )


async def _meeting(
    stored: StoredRegister, present: list[tuple[UUID, tuple[str, ...]]], found: list[UUID]
) -> Meeting:
    owner, colleague = stored.owner, stored.colleague
    record = factories.complete_record(owner, colleague, stored.representative).model_copy(
        update={
            "representatives": tuple(
                RepresentativePresence(representative_id=rep_id, people=people)
                for rep_id, people in present
            )
        }
    )
    classification = Classification(
        kind=ClassificationKind.INTEREST_REPRESENTATIVE,
        confidence=0.9,
        representative_ids=tuple(found),
        reasons=tuple(_reason(rep_id) for rep_id in found),
    )
    return await meetings.add_meeting(
        factories.meeting(
            owner.authority_id, owner.id, record=record, classification=classification
        )
    )


async def _reloaded(meeting: Meeting) -> Meeting:
    stored = await meetings.get_meeting(meeting.id)
    assert stored is not None
    return stored


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Société des Eaux du Val SA", "societe des eaux du val"),
        ("S.A.S. SOCIETE DES EAUX DU VAL", "societe des eaux du val"),
        ("Association Vélo en Ville (loi 1901)", "velo en ville"),
        ("Dupont & Fils SARL", "dupont et fils"),
        ("SA", "sa"),
        ("Société anonyme des Toits Bleus", "des toits bleus"),
    ],
)
def test_normalised_name_drops_case_accents_punctuation_and_legal_forms(
    name: str, expected: str
) -> None:
    assert normalised_name(name) == expected


async def test_find_by_any_identifier_in_one_query(db: Engine) -> None:
    eaux = _rep("Eaux du Val", hatvp_id="901234567", siren="901234567")
    velo = _rep("Vélo en Ville", rna="W751234567", hatvp_id="W751234567")
    fede = _rep("Fédération européenne de l'eau", eu_transparency_id="481516234200-17")
    fondation = _rep("Fondation Habitat", hatvp_id="H100000011")
    await _stored(eaux, velo, fede, fondation)

    assert await directory.find_by_identifier("901234567") == [eaux]
    assert await directory.find_by_identifier(" W751234567 ") == [velo]
    assert await directory.find_by_identifier("481516234200-17") == [fede]
    assert await directory.find_by_identifier("H100000011") == [fondation]
    assert await directory.find_by_identifier("999999999") == []
    found = await directory.find_by_identifiers(["901234567", "481516234200-17", "nothing"])
    assert {rep.id for rep in found} == {eaux.id, fede.id}


async def test_upsert_inserts_then_updates_by_id(db: Engine) -> None:
    eaux = _rep("Eaux du Val", siren="901234567", email_domains=("eaux-val.example",))
    await directory.upsert_representative(eaux)
    renamed = eaux.model_copy(update={"aliases": ("EdV",), "category": "Société commerciale"})
    await directory.upsert_representative(renamed)

    assert await representatives.list_representatives() == [renamed]


async def test_duplicates_share_a_normalised_name_or_an_identifier(db: Engine) -> None:
    eaux = _rep("SOCIETE DES EAUX DU VAL SA", hatvp_id="901234567", siren="901234567")
    eaux_eu = _rep("Société des Eaux du Val", eu_transparency_id="902134567812-55")
    eaux_local = _rep("Eaux du Val (régie)", siren="901234567")
    velo = _rep("Association Vélo en Ville", rna="W751234567")
    velo_bis = _rep("Vélo en ville")
    alone = _rep("Fondation Habitat", hatvp_id="H100000011")
    merged_away = _rep("Vélo en Ville", merged_into_id=velo.id)
    await _stored(eaux, eaux_eu, eaux_local, velo, velo_bis, alone)
    await _stored(merged_away)

    groups = await directory.list_duplicates()

    assert [[rep.id for rep in group.representatives] for group in groups] == [
        [velo.id, velo_bis.id],
        [eaux_local.id, eaux_eu.id, eaux.id],
    ]
    assert groups[0].reasons == ("same name: velo en ville",)
    assert groups[1].reasons == (
        "same identifier: 901234567",
        "same name: societe des eaux du val",
    )


async def test_kept_records_follow_merges(db: Engine) -> None:
    kept = _rep("Eaux du Val")
    middle = _rep("Eaux du Val SA", merged_into_id=kept.id)
    first = _rep("EdV", merged_into_id=middle.id)
    await _stored(kept)
    await _stored(middle)
    await _stored(first)

    resolved = await directory.kept_records([first, kept])

    assert resolved == {first.id: kept, kept.id: kept}


async def test_merge_keeps_every_meeting_linked(db: Engine) -> None:
    stored = await store_register()
    keep = stored.representative  # "Fédération des bâtisseurs du Val", HATVP/SIREN 552100554
    duplicate = _rep(
        "FBV - Fédération des Bâtisseurs",
        aliases=("Bâtisseurs du Val",),
        acronym="FBDV",
        eu_transparency_id="123456789012-34",
        rna="W351234568",
        siren="552100999",
        email_domains=("batisseurs-val.example", "fbv.example"),
        website="https://batisseurs-val.example",
    )
    other = _rep("Chambre des Métiers")
    await _stored(duplicate, other)
    only_duplicate = await _meeting(stored, [(duplicate.id, ("Jean Martin",))], [duplicate.id])
    both = await _meeting(
        stored,
        [(keep.id, ("Jean Martin",)), (other.id, ()), (duplicate.id, ("Léa Roux", "Jean Martin"))],
        [duplicate.id, keep.id],
    )
    only_keep = await _meeting(stored, [(keep.id, ("Paul Lenoir",))], [keep.id])

    result = await directory.merge(keep.id, duplicate.id, actor="test-editor")

    assert result.meetings_relinked == 2
    assert result.conflicts == ("siren 552100999",)
    after = {m.id: await _reloaded(m) for m in (only_duplicate, both, only_keep)}
    assert after[only_duplicate.id].record.representatives == (
        RepresentativePresence(representative_id=keep.id, people=("Jean Martin",)),
    )
    assert after[both.id].record.representatives == (
        RepresentativePresence(representative_id=keep.id, people=("Jean Martin", "Léa Roux")),
        RepresentativePresence(representative_id=other.id, people=()),
    )
    assert after[only_keep.id].record == only_keep.record
    assert after[only_duplicate.id].classification.representative_ids == (keep.id,)
    assert after[both.id].classification.representative_ids == (keep.id,)
    assert [r.representative_id for r in after[both.id].classification.reasons] == [
        keep.id,
        keep.id,
    ]
    assert [after[m.id].lock_version for m in (only_duplicate, both, only_keep)] == [1, 1, 0]
    assert await PresenceRow.count().where(PresenceRow.representative == duplicate.id) == 0

    kept = await representatives.get_representative(keep.id)
    assert kept == result.kept
    assert kept is not None
    assert kept.aliases == ("FBV", "FBV - Fédération des Bâtisseurs", "Bâtisseurs du Val")
    assert kept.email_domains == ("fbv.example", "batisseurs-val.example")
    assert (kept.hatvp_id, kept.siren, kept.rna, kept.eu_transparency_id) == (
        "552100554",
        "552100554",
        "W351234568",
        "123456789012-34",
    )
    assert kept.website == "https://batisseurs-val.example"
    gone = await representatives.get_representative(duplicate.id)
    assert gone is not None
    assert (gone.merged_into_id, gone.rna, gone.eu_transparency_id, gone.siren) == (
        keep.id,
        None,
        None,
        "552100999",
    )
    assert [rep.id for rep in await directory.find_by_identifier("552100999")] == [duplicate.id]
    events = await audit.events_for("interest_representative", str(keep.id))
    assert [(e.actor, e.action, e.changes["duplicate"]) for e in events] == [
        ("test-editor", "merge", str(duplicate.id))
    ]


async def test_merge_points_earlier_merges_at_the_kept_record(db: Engine) -> None:
    keep, duplicate = _rep("Eaux du Val"), _rep("Eaux du Val SA")
    older = _rep("EdV", merged_into_id=duplicate.id)
    await _stored(keep, duplicate)
    await _stored(older)

    await directory.merge(keep.id, duplicate.id)

    moved = await representatives.get_representative(older.id)
    assert moved is not None
    assert moved.merged_into_id == keep.id
    assert await directory.list_duplicates() == []


async def test_refused_merges_change_nothing(db: Engine) -> None:
    keep, duplicate, merged = _rep("Eaux du Val"), _rep("Eaux du Val SA"), _rep("EdV")
    await _stored(keep, duplicate, merged)
    await directory.merge(keep.id, merged.id)
    unknown = new_id()

    for keep_id, duplicate_id, message in [
        (keep.id, keep.id, "cannot merge an organisation into itself"),
        (keep.id, unknown, f"no organisation {unknown}"),
        (keep.id, merged.id, f"{merged.id} is already merged into {keep.id}"),
        (merged.id, duplicate.id, f"{merged.id} was merged into {keep.id}: keep that one"),
    ]:
        with pytest.raises(MergeError) as refused:
            await directory.merge(keep_id, duplicate_id)
        assert str(refused.value) == message
    assert await representatives.get_representative(duplicate.id) == duplicate
