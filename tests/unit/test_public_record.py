"""The public version of a meeting: built from an allow-list, so private text never leaks."""

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from register.domain.authority import Authority
from register.domain.calendar_data import Attendee, CalendarData
from register.domain.classification import Classification, Reason
from register.domain.collegiality import CollegialityRecord, OtherAttendee, RepresentativePresence
from register.domain.kinds import (
    AuthorityKind,
    ClassificationKind,
    Initiative,
    MeetingFormat,
    OfficialKind,
    PublicationState,
    Visibility,
)
from register.domain.meeting import Meeting, SourceKey, TimeSpan
from register.domain.official import Official
from register.domain.policy import Policy
from register.domain.public_record import public_record
from register.domain.publication_log import canonical_json
from register.domain.representative import InterestRepresentative
from register.domain.text import Message

AUTHORITY_ID = UUID("a0000000-0000-4000-8000-000000000001")
MAYOR_ID = UUID("b0000000-0000-4000-8000-000000000001")
DEPUTY_ID = UUID("b0000000-0000-4000-8000-000000000002")
DIRECTOR_ID = UUID("b0000000-0000-4000-8000-000000000003")
FEDERATION_ID = UUID("c0000000-0000-4000-8000-000000000001")
COMPANY_ID = UUID("c0000000-0000-4000-8000-000000000002")
MEETING_ID = UUID("d0000000-0000-4000-8000-000000000001")
SOURCE_ID = UUID("e0000000-0000-4000-8000-000000000001")

# Distinctive strings that exist only in the calendar's own (private) data.
PRIVATE_STRINGS = (
    "ZQX-SUMMARY-Dîner chez Zéphyrin",
    "ZQX-DESCRIPTION code porte 4821",
    "ZQX-LOCATION 12 rue Cachée",
    "organisatrice.zqx@mairie-exemple.fr",
    "Organisatrice Zqxienne",
    "citoyen.zqx@courriel.example",
    "Citoyen Zqxavier",
    "ZQX-CATEGORY",
    "ZQX-UID-9f3a",
    "ZQX-MATCHED-fnsea.fr",
    "ZQX-OTHER-AGENT-NAME",
    "maire.zqx@ville-exemple.fr",
)


def authority(*, publish_names: bool = False) -> Authority:
    return Authority(
        id=AUTHORITY_ID,
        slug="ville-exemple",
        name="Ville d'Exemple",
        kind=AuthorityKind.COMMUNE,
        siren="213105554",
        policy=Policy(publish_representative_names=publish_names),
    )


def official(official_id: UUID, slug: str, name: str, role: str, **extra: object) -> Official:
    return Official.model_validate(
        {
            "id": official_id,
            "authority_id": AUTHORITY_ID,
            "slug": slug,
            "full_name": name,
            "kind": OfficialKind.ELECTED,
            "role": role,
            **extra,
        }
    )


OFFICIALS = {
    MAYOR_ID: official(
        MAYOR_ID, "claire-dupont", "Claire Dupont", "Maire", email="maire.zqx@ville-exemple.fr"
    ),
    DEPUTY_ID: official(DEPUTY_ID, "marc-leroy", "Marc Leroy", "Adjoint à l'urbanisme"),
    DIRECTOR_ID: official(
        DIRECTOR_ID,
        "ines-bernard",
        "Inès Bernard",
        "Directrice de cabinet",
        kind=OfficialKind.STAFF,
    ),
}

REPRESENTATIVES = {
    FEDERATION_ID: InterestRepresentative(
        id=FEDERATION_ID,
        name="Fédération du BTP",
        hatvp_id="H123456789",
        siren="775671356",
        eu_transparency_id="123456789012-34",
        email_domains=("ffbatiment.fr",),
        hatvp_registered=True,
    ),
    COMPANY_ID: InterestRepresentative(id=COMPANY_ID, name="Aménageur SA"),
}


def meeting(
    *,
    visibility: Visibility = Visibility.PUBLIC,
    officials_present: tuple[UUID, ...] = (MAYOR_ID, DEPUTY_ID),
    policy_area: str | None = "urbanisme",
) -> Meeting:
    return Meeting(
        id=MEETING_ID,
        authority_id=AUTHORITY_ID,
        official_id=MAYOR_ID,
        source=SourceKey(source_id=SOURCE_ID, uid="ZQX-UID-9f3a"),
        when=TimeSpan(
            starts_at=datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
            ends_at=datetime(2025, 3, 4, 10, 0, tzinfo=UTC),
        ),
        calendar=CalendarData(
            summary="ZQX-SUMMARY-Dîner chez Zéphyrin",
            description="ZQX-DESCRIPTION code porte 4821",
            location="ZQX-LOCATION 12 rue Cachée",
            organizer=Attendee(
                email="organisatrice.zqx@mairie-exemple.fr", name="Organisatrice Zqxienne"
            ),
            attendees=(Attendee(email="citoyen.zqx@courriel.example", name="Citoyen Zqxavier"),),
            categories=("ZQX-CATEGORY",),
            visibility=visibility,
        ),
        classification=Classification(
            kind=ClassificationKind.INTEREST_REPRESENTATIVE,
            confidence=0.9,
            reasons=(
                Reason(
                    rule="attendee_domain",
                    field="attendees",
                    matched="ZQX-MATCHED-fnsea.fr",
                    representative_id=FEDERATION_ID,
                    explanation=Message(
                        fr="Un participant appartient à une organisation du répertoire.",
                        en="An attendee belongs to an organisation in the directory.",
                    ),
                ),
            ),
            representative_ids=(FEDERATION_ID,),
        ),
        record=CollegialityRecord(
            officials_present=officials_present,
            other_attendees=(
                OtherAttendee(role="Directrice de l'urbanisme", name="ZQX-OTHER-AGENT-NAME"),
            ),
            representatives=(
                RepresentativePresence(
                    representative_id=FEDERATION_ID, people=("Jeanne Lobbyiste", "Paul Conseil")
                ),
                RepresentativePresence(representative_id=COMPANY_ID, people=("Luc Promoteur",)),
            ),
            subject="  Révision du PLU, secteur de la gare  ",
            policy_area=policy_area,
            format=MeetingFormat.VIDEO,
            initiative=Initiative.REPRESENTATIVE,
            documents=("https://ville-exemple.fr/docs/plu-gare.pdf",),
        ),
        publication_state=PublicationState.READY,
    )


def payload_of(m: Meeting, *, publish_names: bool = False) -> dict[str, Any]:
    return public_record(
        m, authority(publish_names=publish_names), OFFICIALS, REPRESENTATIVES
    ).payload()


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.CONFIDENTIAL])
def test_private_or_confidential_meeting_is_never_published(visibility: Visibility) -> None:
    with pytest.raises(ValueError, match="never published"):
        public_record(meeting(visibility=visibility), authority(), OFFICIALS, REPRESENTATIVES)


def test_payload_is_exactly_the_allow_listed_fields() -> None:
    assert payload_of(meeting()) == {
        "id": "d0000000-0000-4000-8000-000000000001",
        "authority": {
            "id": "a0000000-0000-4000-8000-000000000001",
            "slug": "ville-exemple",
            "name": "Ville d'Exemple",
        },
        "official": {
            "id": "b0000000-0000-4000-8000-000000000001",
            "slug": "claire-dupont",
            "name": "Claire Dupont",
            "role": "Maire",
            "kind": "elected",
        },
        "starts_at": "2025-03-04T09:00:00Z",
        "ends_at": "2025-03-04T10:00:00Z",
        "timezone": "Europe/Paris",
        "all_day": False,
        "status": "confirmed",
        "subject": "Révision du PLU, secteur de la gare",
        "policy_area": {
            "code": "urbanisme",
            "label": {"fr": "Urbanisme et aménagement", "en": "Urban planning"},
        },
        "format": "video",
        "initiative": "representative",
        "officials_present": [
            {
                "id": "b0000000-0000-4000-8000-000000000001",
                "slug": "claire-dupont",
                "name": "Claire Dupont",
                "role": "Maire",
                "kind": "elected",
            },
            {
                "id": "b0000000-0000-4000-8000-000000000002",
                "slug": "marc-leroy",
                "name": "Marc Leroy",
                "role": "Adjoint à l'urbanisme",
                "kind": "elected",
            },
        ],
        "other_attendee_roles": ["Directrice de l'urbanisme"],
        "representatives": [
            {
                "id": "c0000000-0000-4000-8000-000000000001",
                "name": "Fédération du BTP",
                "hatvp_id": "H123456789",
                "siren": "775671356",
                "eu_transparency_id": "123456789012-34",
                "hatvp_registered": True,
                "people": [],
            },
            {
                "id": "c0000000-0000-4000-8000-000000000002",
                "name": "Aménageur SA",
                "hatvp_id": None,
                "siren": None,
                "eu_transparency_id": None,
                "hatvp_registered": False,
                "people": [],
            },
        ],
        "classification": "interest_representative",
        "reasons": [
            {
                "rule": "attendee_domain",
                "explanation": {
                    "fr": "Un participant appartient à une organisation du répertoire.",
                    "en": "An attendee belongs to an organisation in the directory.",
                },
            }
        ],
        "documents": ["https://ville-exemple.fr/docs/plu-gare.pdf"],
    }


@pytest.mark.parametrize("publish_names", [False, True])
@pytest.mark.parametrize("private", PRIVATE_STRINGS)
def test_no_private_calendar_text_appears_anywhere_in_the_payload(
    private: str, publish_names: bool
) -> None:
    payload = payload_of(meeting(), publish_names=publish_names)

    assert private not in json.dumps(payload, ensure_ascii=False)
    assert private not in json.dumps(payload)
    assert private not in canonical_json(payload)


def test_representative_people_are_withheld_by_default() -> None:
    payload = payload_of(meeting())
    text = json.dumps(payload, ensure_ascii=False)

    assert [rep["people"] for rep in payload["representatives"]] == [[], []]
    for name in ("Jeanne Lobbyiste", "Paul Conseil", "Luc Promoteur"):
        assert name not in text


def test_representative_people_are_published_when_the_policy_says_so() -> None:
    payload = payload_of(meeting(), publish_names=True)

    assert [rep["people"] for rep in payload["representatives"]] == [
        ["Jeanne Lobbyiste", "Paul Conseil"],
        ["Luc Promoteur"],
    ]


def test_officials_present_are_deduplicated_in_first_seen_order() -> None:
    record = public_record(
        meeting(officials_present=(DIRECTOR_ID, MAYOR_ID, DIRECTOR_ID, DEPUTY_ID, MAYOR_ID)),
        authority(),
        OFFICIALS,
        REPRESENTATIVES,
    )

    assert [(o.name, o.kind) for o in record.officials_present] == [
        ("Inès Bernard", OfficialKind.STAFF),
        ("Claire Dupont", OfficialKind.ELECTED),
        ("Marc Leroy", OfficialKind.ELECTED),
    ]


def test_policy_area_label_comes_from_the_authority_list() -> None:
    record = public_record(meeting(policy_area="eau"), authority(), OFFICIALS, REPRESENTATIVES)

    assert record.policy_area is not None
    assert record.policy_area.code == "eau"
    assert record.policy_area.label == Message(
        fr="Eau et assainissement", en="Water and sanitation"
    )


@pytest.mark.parametrize("policy_area", [None, "aeronautique"])
def test_missing_or_unknown_policy_area_is_published_as_none(policy_area: str | None) -> None:
    assert payload_of(meeting(policy_area=policy_area))["policy_area"] is None


def test_reasons_keep_rule_and_explanation_but_not_the_matched_text() -> None:
    payload = payload_of(meeting())

    assert payload["reasons"] == [
        {
            "rule": "attendee_domain",
            "explanation": {
                "fr": "Un participant appartient à une organisation du répertoire.",
                "en": "An attendee belongs to an organisation in the directory.",
            },
        }
    ]
    assert "matched" not in json.dumps(payload)


def test_other_attendees_are_published_by_role_only() -> None:
    payload = payload_of(meeting())

    assert payload["other_attendee_roles"] == ["Directrice de l'urbanisme"]
    assert "ZQX-OTHER-AGENT-NAME" not in json.dumps(payload)


def test_officials_email_is_not_published() -> None:
    record = public_record(meeting(), authority(), OFFICIALS, REPRESENTATIVES)

    assert "maire.zqx@ville-exemple.fr" not in record.model_dump_json()
    assert set(record.official.model_dump()) == {"id", "slug", "name", "role", "kind"}


def test_dangling_official_reference_is_a_key_error() -> None:
    stranger = UUID("b0000000-0000-4000-8000-0000000000ff")

    with pytest.raises(KeyError):
        public_record(
            meeting(officials_present=(MAYOR_ID, stranger)),
            authority(),
            OFFICIALS,
            REPRESENTATIVES,
        )


def test_times_are_published_in_utc_with_the_original_time_zone() -> None:
    m = meeting().model_copy(
        update={
            "when": TimeSpan(
                starts_at=datetime.fromisoformat("2025-07-01T10:00:00+02:00"),
                ends_at=datetime.fromisoformat("2025-07-01T11:30:00+02:00"),
                timezone="Europe/Paris",
            )
        }
    )

    payload = payload_of(m)

    assert (payload["starts_at"], payload["ends_at"], payload["timezone"]) == (
        "2025-07-01T08:00:00Z",
        "2025-07-01T09:30:00Z",
        "Europe/Paris",
    )
