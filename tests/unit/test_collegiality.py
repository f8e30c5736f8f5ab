"""Collegiality: every way a record can fall short of an authority's policy."""

from uuid import UUID

import pytest

from register.domain.collegiality import (
    CollegialityRecord,
    OtherAttendee,
    RepresentativePresence,
    Violation,
    check_collegiality,
    is_vague_subject,
)
from register.domain.kinds import Initiative, MeetingFormat
from register.domain.policy import Policy, RecordField

OWNER = UUID("00000000-0000-4000-8000-000000000001")
DEPUTY = UUID("00000000-0000-4000-8000-000000000002")
ADVISER = UUID("00000000-0000-4000-8000-000000000003")
FEDERATION = UUID("00000000-0000-4000-8000-0000000000a1")
COMPANY = UUID("00000000-0000-4000-8000-0000000000a2")

DEFAULT_POLICY = Policy()
SUBJECT = "Projet de révision du plan local d'urbanisme, secteur gare"


def record(**overrides: object) -> CollegialityRecord:
    """A complete record under the default policy; `overrides` replace single fields."""
    fields: dict[str, object] = {
        "officials_present": (OWNER, DEPUTY),
        "representatives": (RepresentativePresence(representative_id=FEDERATION),),
        "subject": SUBJECT,
        "policy_area": "urbanisme",
        "format": MeetingFormat.IN_PERSON,
        "initiative": Initiative.REPRESENTATIVE,
    }
    fields.update(overrides)
    return CollegialityRecord.model_validate(fields)


def check(
    rec: CollegialityRecord,
    policy: Policy = DEFAULT_POLICY,
    *,
    with_interest_representative: bool = True,
) -> tuple[Violation, ...]:
    return check_collegiality(
        rec, policy, owner_id=OWNER, with_interest_representative=with_interest_representative
    )


def only(violations: tuple[Violation, ...]) -> Violation:
    assert len(violations) == 1, [v.code for v in violations]
    return violations[0]


def assert_bilingual(found: Violation) -> None:
    assert found.message.fr.strip()
    assert found.message.en.strip()
    assert found.message.fr != found.message.en


def codes(violations: tuple[Violation, ...]) -> set[str]:
    return {v.code for v in violations}


def test_complete_record_has_no_violation() -> None:
    assert check(record()) == ()


def test_complete_record_with_named_people_passes_a_policy_requiring_names() -> None:
    policy = Policy(require_representative_names=True)
    rec = record(
        representatives=(
            RepresentativePresence(representative_id=FEDERATION, people=("Jeanne Martin",)),
        )
    )

    assert check(rec, policy) == ()


# --- attendance -------------------------------------------------------------------------


def test_owner_alone_is_too_few_present() -> None:
    found = only(check(record(officials_present=(OWNER,))))

    assert (found.code, found.field) == ("too_few_present", "officials_present")
    assert found.message.fr == (
        "Au moins 2 responsables publics ou agents doivent être présents ; 1 indiqué(s)."
    )
    assert found.message.en == "At least 2 public officials or agents must attend; 1 given."
    assert_bilingual(found)


def test_owner_not_listed_is_owner_absent() -> None:
    found = only(check(record(officials_present=(DEPUTY, ADVISER))))

    assert (found.code, found.field) == ("owner_absent", "officials_present")
    assert_bilingual(found)


def test_owner_absent_is_reported_even_when_enough_others_attend() -> None:
    rec = record(
        officials_present=(DEPUTY,),
        other_attendees=(OtherAttendee(role="Directrice de l'urbanisme"),),
    )

    assert [v.code for v in check(rec)] == ["owner_absent"]


def test_official_listed_twice_is_official_repeated() -> None:
    found = only(check(record(officials_present=(OWNER, DEPUTY, DEPUTY))))

    assert (found.code, found.field) == ("official_repeated", "officials_present")
    assert_bilingual(found)


def test_duplicate_officials_are_counted_once_towards_the_minimum() -> None:
    violations = check(record(officials_present=(OWNER, OWNER)))

    assert [v.code for v in violations] == ["too_few_present", "official_repeated"]
    assert violations[0].message.en == (
        "At least 2 public officials or agents must attend; 1 given."
    )


def test_present_count_counts_each_official_once_plus_other_attendees() -> None:
    rec = record(
        officials_present=(OWNER, DEPUTY, OWNER),
        other_attendees=(OtherAttendee(role="Chef de service"), OtherAttendee(role="Juriste")),
    )

    assert rec.present_count() == 4


def test_other_attendees_count_towards_the_minimum() -> None:
    rec = record(
        officials_present=(OWNER,),
        other_attendees=(OtherAttendee(role="Directeur de cabinet adjoint", name="P. Durand"),),
    )

    assert check(rec) == ()


def test_min_present_three_needs_a_third_attendee() -> None:
    policy = Policy(min_present=3)

    found = only(check(record(officials_present=(OWNER, DEPUTY)), policy))
    assert found.code == "too_few_present"
    assert found.message.en == "At least 3 public officials or agents must attend; 2 given."

    with_third = record(
        officials_present=(OWNER, DEPUTY), other_attendees=(OtherAttendee(role="Juriste"),)
    )
    assert check(with_third, policy) == ()
    assert check(record(officials_present=(OWNER, DEPUTY, ADVISER)), policy) == ()


def test_owner_need_not_attend_when_policy_says_so() -> None:
    policy = Policy(owner_must_attend=False)

    assert check(record(officials_present=(DEPUTY, ADVISER)), policy) == ()


def test_nobody_present_is_both_too_few_and_owner_absent() -> None:
    violations = check(record(officials_present=()))

    assert [v.code for v in violations] == ["too_few_present", "owner_absent"]
    assert violations[0].message.fr == (
        "Au moins 2 responsables publics ou agents doivent être présents ; 0 indiqué(s)."
    )


# --- subject ----------------------------------------------------------------------------


@pytest.mark.parametrize("subject", ["", "   ", "\n\t"])
def test_empty_subject_is_subject_missing(subject: str) -> None:
    found = only(check(record(subject=subject)))

    assert (found.code, found.field) == ("subject_missing", "subject")
    assert found.message.fr == "Indiquez l'objet de la rencontre."
    assert found.message.en == "Give the subject of the meeting."
    assert_bilingual(found)


@pytest.mark.parametrize(
    "subject",
    [
        "Point général",
        "Point  général.",
        "point general",
        "POINT GÉNÉRAL !",
        "  Point d'étape  ",
        "ECHANGES",
        "Échanges",
        "échange",
        "Rendez-vous",
        "RDV",
        "Réunion",
        "Présentation...",
        "Discussion générale",
        "General discussion",
        "Meeting",
        "catch up",
        "Divers",
    ],
)
def test_vague_subject_is_subject_vague(subject: str) -> None:
    found = only(check(record(subject=subject)))

    assert (found.code, found.field) == ("subject_vague", "subject")
    assert_bilingual(found)


def test_vague_subject_message_quotes_the_stripped_subject() -> None:
    found = only(check(record(subject="  Point  général.  ")))

    assert found.message.fr == (
        "L'objet « Point  général. » est trop vague : dites de quoi il a été question "
        "(projet, texte, dossier)."
    )
    assert found.message.en == (
        'The subject "Point  général." is too vague: say what was discussed (project, text, case).'
    )


@pytest.mark.parametrize(
    ("subject", "vague"),
    [
        ("Point général", True),
        ("point-general", True),
        ("Échanges", True),
        ("Point général sur le projet de tramway", False),
        ("Échanges sur la tarification de l'eau", False),
        ("Pointe", False),
    ],
)
def test_is_vague_subject_matches_whole_normalised_subject_only(subject: str, vague: bool) -> None:
    assert is_vague_subject(subject, DEFAULT_POLICY) is vague


def test_policy_vague_list_is_compared_normalised_too() -> None:
    policy = Policy(vague_subjects=("Suivi du Dossier",))

    assert is_vague_subject("suivi du dossier!", policy) is True
    assert is_vague_subject("Point général", policy) is False


def test_short_subject_is_subject_too_short() -> None:
    found = only(check(record(subject="Tramway ligne")))

    assert (found.code, found.field) == ("subject_too_short", "subject")
    assert found.message.fr == "L'objet doit compter au moins 15 caractères."
    assert found.message.en == "The subject must be at least 15 characters long."
    assert_bilingual(found)


def test_subject_length_is_measured_after_stripping() -> None:
    assert check(record(subject="Tramway ligne B")) == ()
    assert [v.code for v in check(record(subject="   Tramway ligne   "))] == ["subject_too_short"]


def test_min_subject_length_follows_policy() -> None:
    policy = Policy(min_subject_length=5)

    assert check(record(subject="Tram B"), policy) == ()
    assert only(check(record(subject="Tram"), policy)).message.en == (
        "The subject must be at least 5 characters long."
    )


# --- policy area, format, initiative ----------------------------------------------------


def test_no_policy_area_is_policy_area_missing() -> None:
    found = only(check(record(policy_area=None)))

    assert (found.code, found.field) == ("policy_area_missing", "policy_area")
    assert found.message.fr == "Indiquez le domaine d'action publique."
    assert found.message.en == "Give the policy area."
    assert_bilingual(found)


def test_policy_area_outside_the_list_is_policy_area_unknown() -> None:
    found = only(check(record(policy_area="aeronautique")))

    assert (found.code, found.field) == ("policy_area_unknown", "policy_area")
    assert "aeronautique" in found.message.fr
    assert "aeronautique" in found.message.en
    assert_bilingual(found)


def test_policy_area_is_checked_against_the_authority_list() -> None:
    policy = Policy(policy_areas=DEFAULT_POLICY.policy_areas[:1])

    assert check(record(policy_area="urbanisme"), policy) == ()
    assert only(check(record(policy_area="logement"), policy)).code == "policy_area_unknown"


def test_no_format_is_format_missing() -> None:
    found = only(check(record(format=None)))

    assert (found.code, found.field) == ("format_missing", "format")
    assert found.message.en == "Give the format of the meeting."
    assert_bilingual(found)


def test_no_initiative_is_initiative_missing() -> None:
    found = only(check(record(initiative=None)))

    assert (found.code, found.field) == ("initiative_missing", "initiative")
    assert found.message.en == "Give who asked for the meeting."
    assert_bilingual(found)


# --- representatives ----------------------------------------------------------------------


def test_no_representative_is_representative_missing() -> None:
    found = only(check(record(representatives=())))

    assert (found.code, found.field) == ("representative_missing", "representatives")
    assert_bilingual(found)


def test_same_organisation_twice_is_representative_repeated() -> None:
    rec = record(
        representatives=(
            RepresentativePresence(representative_id=FEDERATION, people=("A. Dupont",)),
            RepresentativePresence(representative_id=FEDERATION, people=("B. Durand",)),
        )
    )

    found = only(check(rec))

    assert (found.code, found.field) == ("representative_repeated", "representatives")
    assert_bilingual(found)


@pytest.mark.parametrize("people", [(), ("",), ("   ", "\t")])
def test_unnamed_organisation_is_representative_people_missing_when_required(
    people: tuple[str, ...],
) -> None:
    policy = Policy(require_representative_names=True)
    rec = record(
        representatives=(
            RepresentativePresence(representative_id=FEDERATION, people=("Jeanne Martin",)),
            RepresentativePresence(representative_id=COMPANY, people=people),
        )
    )

    found = only(check(rec, policy))

    assert (found.code, found.field) == ("representative_people_missing", "representatives")
    assert found.message.fr == "Donnez le nom des personnes présentes pour 1 organisation(s)."
    assert found.message.en == "Give the names of the people present for 1 organisation(s)."
    assert_bilingual(found)


def test_people_missing_counts_every_unnamed_organisation() -> None:
    policy = Policy(require_representative_names=True)
    rec = record(
        representatives=(
            RepresentativePresence(representative_id=FEDERATION),
            RepresentativePresence(representative_id=COMPANY, people=(" ",)),
        )
    )

    assert only(check(rec, policy)).message.en == (
        "Give the names of the people present for 2 organisation(s)."
    )


def test_unnamed_organisation_is_fine_when_names_are_not_required() -> None:
    assert check(record(representatives=(RepresentativePresence(representative_id=COMPANY),))) == ()


def test_representative_checks_are_skipped_for_a_meeting_without_interest_representative() -> None:
    policy = Policy(require_representative_names=True)

    assert check(record(representatives=()), policy, with_interest_representative=False) == ()
    repeated = record(
        representatives=(
            RepresentativePresence(representative_id=FEDERATION),
            RepresentativePresence(representative_id=FEDERATION),
        )
    )
    assert check(repeated, policy, with_interest_representative=False) == ()


def test_attendance_and_fields_are_still_checked_without_interest_representative() -> None:
    rec = record(officials_present=(OWNER,), subject="", representatives=())

    violations = check(rec, with_interest_representative=False)

    assert codes(violations) == {"too_few_present", "subject_missing"}


# --- many problems at once, and policy variations ---------------------------------------------


def test_record_with_many_problems_reports_all_of_them_at_once() -> None:
    policy = Policy(require_representative_names=True)
    rec = CollegialityRecord(
        officials_present=(DEPUTY, DEPUTY),
        representatives=(
            RepresentativePresence(representative_id=COMPANY),
            RepresentativePresence(representative_id=COMPANY),
        ),
        subject="Point général",
        policy_area="spatial",
    )

    violations = check(rec, policy)

    assert [v.code for v in violations] == [
        "too_few_present",
        "owner_absent",
        "official_repeated",
        "subject_vague",
        "policy_area_unknown",
        "format_missing",
        "initiative_missing",
        "representative_repeated",
        "representative_people_missing",
    ]
    assert violations[-1].message.en == (
        "Give the names of the people present for 2 organisation(s)."
    )


def test_empty_record_reports_every_missing_thing() -> None:
    violations = check(CollegialityRecord())

    assert codes(violations) == {
        "too_few_present",
        "owner_absent",
        "subject_missing",
        "policy_area_missing",
        "format_missing",
        "initiative_missing",
        "representative_missing",
    }
    assert len(violations) == 7


def test_no_required_fields_drops_missing_field_violations() -> None:
    policy = Policy(required_fields=frozenset())
    rec = record(subject="", policy_area=None, format=None, initiative=None)

    assert check(rec, policy) == ()


def test_no_required_fields_still_rejects_vague_short_and_unknown_values() -> None:
    policy = Policy(required_fields=frozenset())

    assert codes(check(record(subject="Échanges", policy_area="spatial"), policy)) == {
        "subject_vague",
        "policy_area_unknown",
    }
    assert codes(check(record(subject="Tram", format=None), policy)) == {"subject_too_short"}


@pytest.mark.parametrize(
    ("required", "expected"),
    [
        ({RecordField.SUBJECT}, {"subject_missing"}),
        ({RecordField.POLICY_AREA}, {"policy_area_missing"}),
        ({RecordField.FORMAT}, {"format_missing"}),
        ({RecordField.INITIATIVE}, {"initiative_missing"}),
        ({RecordField.FORMAT, RecordField.INITIATIVE}, {"format_missing", "initiative_missing"}),
    ],
)
def test_only_the_required_fields_are_reported_missing(
    required: set[RecordField], expected: set[str]
) -> None:
    policy = Policy(required_fields=frozenset(required))
    rec = record(subject="", policy_area=None, format=None, initiative=None)

    assert codes(check(rec, policy)) == expected


def test_violations_are_immutable_values() -> None:
    found = only(check(record(format=None)))

    assert found == Violation.model_validate(
        {
            "code": "format_missing",
            "field": "format",
            "message": {
                "fr": "Indiquez le format de la rencontre.",
                "en": "Give the format of the meeting.",
            },
        }
    )
    with pytest.raises(ValueError, match="frozen"):
        found.code = "other"  # type: ignore[misc]
