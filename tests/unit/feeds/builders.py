"""Published meetings for the feeds' tests: valid public versions, overridable field by field,
and the next versions of a meeting (a correction, a withdrawal) as the publication log makes
them."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from register.domain.kinds import (
    ClassificationKind,
    Initiative,
    LegalGround,
    MeetingFormat,
    MeetingStatus,
    OfficialKind,
    PublicationState,
)
from register.domain.public_record import (
    Publication,
    PublicAuthority,
    PublicOfficial,
    PublicPolicyArea,
    PublicReason,
    PublicRecord,
    PublicRepresentative,
    PublishedMeeting,
)
from register.domain.text import Message

BASE_URL = "https://registre.ville-bellerive.fr"

AUTHORITY = PublicAuthority(
    id=UUID("a0000000-0000-4000-8000-000000000001"),
    slug="ville-de-bellerive",
    name="Ville de Bellerive",
)
MAYOR = PublicOfficial(
    id=UUID("b0000000-0000-4000-8000-000000000001"),
    slug="marie-durand",
    name="Marie Durand",
    role="Maire",
    kind=OfficialKind.ELECTED,
)
DEPUTY = PublicOfficial(
    id=UUID("b0000000-0000-4000-8000-000000000002"),
    slug="paul-petit",
    name="Paul Petit",
    role="Adjoint à l'urbanisme",
    kind=OfficialKind.ELECTED,
)
FEDERATION = PublicRepresentative(
    id=UUID("c0000000-0000-4000-8000-000000000001"),
    name="Fédération des bâtisseurs du Val",
    hatvp_id="552100554",
    siren="552100554",
    eu_transparency_id=None,
    hatvp_registered=True,
    people=("Jean Martin",),
)
URBANISM = PublicPolicyArea(
    code="urbanisme", label=Message(fr="Urbanisme et aménagement", en="Urban planning")
)

MEETING_START = datetime(2026, 3, 10, 13, 30, tzinfo=UTC)  # 14 h 30 in Paris (CET)
PUBLISHED_AT = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


def meeting_id(number: int) -> UUID:
    """A stable meeting id, distinct for each `number`."""
    return UUID(f"d0000000-0000-4000-8000-{number:012d}")


def record(**overrides: Any) -> PublicRecord:
    values: dict[str, Any] = {
        "id": meeting_id(1),
        "authority": AUTHORITY,
        "official": MAYOR,
        "starts_at": MEETING_START,
        "ends_at": MEETING_START + timedelta(hours=1),
        "timezone": "Europe/Paris",
        "all_day": False,
        "status": MeetingStatus.CONFIRMED,
        "subject": "Projet de rénovation du quartier de la gare : calendrier des travaux",
        "policy_area": URBANISM,
        "format": MeetingFormat.IN_PERSON,
        "initiative": Initiative.REPRESENTATIVE,
        "officials_present": (MAYOR, DEPUTY),
        "other_attendee_roles": ("Directrice de l'urbanisme",),
        "representatives": (FEDERATION,),
        "classification": ClassificationKind.INTEREST_REPRESENTATIVE,
        "reasons": (
            PublicReason(
                rule="email_domain",
                explanation=Message(
                    fr="Un participant utilise le domaine de la fédération.",
                    en="An attendee uses the federation's domain.",
                ),
            ),
        ),
        "documents": (),
    }
    return PublicRecord(**(values | overrides))


def published(
    public: PublicRecord | None = None,
    *,
    recorded_at: datetime = PUBLISHED_AT,
    log_seq: int = 1,
    **record_overrides: Any,
) -> PublishedMeeting:
    """The first public version of a meeting."""
    return PublishedMeeting(
        record=public or record(**record_overrides),
        publication=Publication(version=1, state=PublicationState.PUBLISHED),
        recorded_at=recorded_at,
        log_seq=log_seq,
        first_published_at=recorded_at,
    )


def corrected(
    previous: PublishedMeeting,
    *,
    reason: str = "Horaire de fin rectifié.",
    after: timedelta = timedelta(days=1),
    **record_changes: Any,
) -> PublishedMeeting:
    """The next version of `previous`: a correction with its public reason."""
    return _next(
        previous,
        PublicationState.CORRECTED,
        reason=reason,
        ground=None,
        after=after,
        record_changes=record_changes,
    )


def withdrawn(
    previous: PublishedMeeting,
    *,
    reason: str = "Rencontre relevant d'un marché public en cours.",
    ground: LegalGround = LegalGround.PROCUREMENT,
    after: timedelta = timedelta(days=1),
) -> PublishedMeeting:
    """The next version of `previous`: its withdrawal, with its reason and legal ground."""
    return _next(
        previous,
        PublicationState.WITHDRAWN,
        reason=reason,
        ground=ground,
        after=after,
        record_changes={},
    )


def _next(
    previous: PublishedMeeting,
    state: PublicationState,
    *,
    reason: str,
    ground: LegalGround | None,
    after: timedelta,
    record_changes: dict[str, Any],
) -> PublishedMeeting:
    return PublishedMeeting(
        record=previous.record.model_copy(update=record_changes),
        publication=Publication(
            version=previous.publication.version + 1,
            state=state,
            reason=reason,
            legal_ground=ground,
        ),
        recorded_at=previous.recorded_at + after,
        log_seq=previous.log_seq + 1,
        first_published_at=previous.first_published_at,
    )


def many(count: int) -> list[PublishedMeeting]:
    """`count` meetings, one every six hours from the default start, one log entry each."""
    return [
        published(
            id=meeting_id(number),
            starts_at=MEETING_START + timedelta(hours=6 * number),
            ends_at=MEETING_START + timedelta(hours=6 * number + 1),
            log_seq=number,
            recorded_at=PUBLISHED_AT + timedelta(hours=6 * number),
        )
        for number in range(1, count + 1)
    ]
