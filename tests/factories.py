"""Builders of domain values for tests: each gives a valid value, overridable field by field."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

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
)
from register.domain.meeting import Meeting, SourceKey, TimeSpan
from register.domain.official import Official
from register.domain.representative import InterestRepresentative
from register.domain.text import Message
from register.store.ids import new_id

MEETING_START = datetime(2026, 3, 10, 13, 30, tzinfo=UTC)


def authority(**overrides: Any) -> Authority:
    values: dict[str, Any] = {
        "id": new_id(),
        "slug": "ville-test",
        "name": "Ville de Test",
        "kind": AuthorityKind.COMMUNE,
        "siren": "210000001",
    }
    return Authority(**(values | overrides))


def official(authority_id: UUID, **overrides: Any) -> Official:
    values: dict[str, Any] = {
        "id": new_id(),
        "authority_id": authority_id,
        "slug": "marie-durand",
        "full_name": "Marie Durand",
        "kind": OfficialKind.ELECTED,
        "role": "Maire",
    }
    return Official(**(values | overrides))


def representative(**overrides: Any) -> InterestRepresentative:
    values: dict[str, Any] = {
        "id": new_id(),
        "name": "Fédération des bâtisseurs du Val",
        "aliases": ("FBV",),
        "hatvp_id": "552100554",
        "siren": "552100554",
        "email_domains": ("fbv.example",),
        "category": "Organisation professionnelle",
        "hatvp_registered": True,
    }
    return InterestRepresentative(**(values | overrides))


def complete_record(
    owner: Official, colleague: Official, rep: InterestRepresentative, **overrides: Any
) -> CollegialityRecord:
    values: dict[str, Any] = {
        "officials_present": (owner.id, colleague.id),
        "other_attendees": (OtherAttendee(role="Directrice de l'urbanisme"),),
        "representatives": (
            RepresentativePresence(representative_id=rep.id, people=("Jean Martin",)),
        ),
        "subject": "Projet de rénovation du quartier de la gare : calendrier des travaux",
        "policy_area": "urbanisme",
        "format": MeetingFormat.IN_PERSON,
        "initiative": Initiative.REPRESENTATIVE,
    }
    return CollegialityRecord(**(values | overrides))


def interest_classification(rep: InterestRepresentative) -> Classification:
    return Classification(
        kind=ClassificationKind.INTEREST_REPRESENTATIVE,
        confidence=0.9,
        representative_ids=(rep.id,),
        reasons=(
            Reason(
                rule="email_domain",
                field="attendees",
                matched="fbv.example",
                representative_id=rep.id,
                explanation=Message(
                    fr=f"Un participant utilise le domaine de {rep.name}.",
                    en=f"An attendee uses the domain of {rep.name}.",
                ),
            ),
        ),
    )


def meeting(authority_id: UUID, official_id: UUID, **overrides: Any) -> Meeting:
    values: dict[str, Any] = {
        "id": new_id(),
        "authority_id": authority_id,
        "official_id": official_id,
        "when": TimeSpan(starts_at=MEETING_START, ends_at=MEETING_START + timedelta(hours=1)),
        "calendar": CalendarData(
            summary="RDV FBV gare",
            description="Texte privé de l'agenda",
            organizer=Attendee(email="marie.durand@ville-test.example", name="Marie Durand"),
            attendees=(Attendee(email="jean.martin@fbv.example", name="Jean Martin"),),
        ),
    }
    return Meeting(**(values | overrides))


def source_key(
    source_id: UUID, uid: str = "event-1@calendar", recurrence_id: str = ""
) -> SourceKey:
    return SourceKey(source_id=source_id, uid=uid, recurrence_id=recurrence_id)
