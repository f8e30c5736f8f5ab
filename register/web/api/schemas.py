"""The documented JSON shapes of `/api/v1`: stable field names, a description and an example for
each, as the OpenAPI schema shows them.

A meeting has exactly the shape of `register.domain.public_record.PublishedMeeting` (the record
that the publication log stores, and how it was published); the models here repeat that shape
with documentation, and a test checks that they name the same fields. Times are ISO 8601 with
their offset (UTC, written `Z`); `record.timezone` says in which zone the meeting took place.
"""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from register.domain.kinds import (
    ClassificationKind,
    Initiative,
    LegalGround,
    MeetingFormat,
    MeetingStatus,
    OfficialKind,
    PublicationState,
)
from register.domain.public_record import PublishedMeeting
from register.public_entities import (
    RegisterAuthority,
    RegisterOfficial,
    RegisterOrganisation,
    RegisterPolicyArea,
)

_ID = "0195a3c4-7e2b-7c1d-9f00-3b5e8a1d2c4f"
_NEXT = "https://registre.example/api/v1/meetings?limit=50&cursor=eyJzIjoiLWRhdGUiLCJrIjoi"


class _Documented(BaseModel):
    model_config = ConfigDict(frozen=True)


class BilingualText(_Documented):
    fr: str = Field(description="French text.", examples=["Urbanisme"])
    en: str = Field(description="English text.", examples=["Town planning"])


class MeetingAuthority(_Documented):
    id: UUID = Field(description="The authority's stable id.", examples=[_ID])
    slug: str = Field(description="Short name used in addresses.", examples=["ville-de-rennes"])
    name: str = Field(description="Name.", examples=["Ville de Rennes"])


class MeetingOfficial(_Documented):
    id: UUID = Field(description="The official's stable id.", examples=[_ID])
    slug: str = Field(description="Short name used in addresses.", examples=["marie-durand"])
    name: str = Field(description="Full name.", examples=["Marie Durand"])
    role: str = Field(description="Role or office.", examples=["Maire"])
    kind: OfficialKind = Field(
        description="elected: elected official; staff: cabinet member or senior agent."
    )


class MeetingRepresentative(_Documented):
    id: UUID = Field(description="The organisation's stable id.", examples=[_ID])
    name: str = Field(description="Name.", examples=["Fédération des bâtisseurs du Val"])
    hatvp_id: str | None = Field(
        description="Identifier in the HATVP register of interest representatives.",
        examples=["552100554"],
    )
    siren: str | None = Field(description="SIREN number.", examples=["552100554"])
    eu_transparency_id: str | None = Field(
        description="Identifier in the EU Transparency Register.", examples=["123456789012-34"]
    )
    hatvp_registered: bool = Field(description="Registered with the HATVP.")
    people: list[str] = Field(
        description="Names of the organisation's people present, where the authority's policy "
        "publishes them (otherwise empty).",
        examples=[["Jean Martin"]],
    )


class MeetingPolicyArea(_Documented):
    code: str = Field(description="Stable code.", examples=["urbanisme"])
    label: BilingualText = Field(description="Label in French and English.")


class MeetingReason(_Documented):
    rule: str = Field(
        description="The classification rule that found the meeting.", examples=["email_domain"]
    )
    explanation: BilingualText = Field(description="Why, in French and English.")


class MeetingRecord(_Documented):
    """The public record of one version of a meeting, as the publication log stores it."""

    id: UUID = Field(description="The meeting's stable id.", examples=[_ID])
    authority: MeetingAuthority = Field(description="The authority publishing the meeting.")
    official: MeetingOfficial = Field(description="The official whose diary holds the meeting.")
    starts_at: datetime = Field(
        description="Start, ISO 8601 with offset.", examples=["2026-03-10T13:30:00Z"]
    )
    ends_at: datetime | None = Field(
        description="End, ISO 8601 with offset.", examples=["2026-03-10T14:30:00Z"]
    )
    timezone: str = Field(description="IANA time zone of the meeting.", examples=["Europe/Paris"])
    all_day: bool = Field(description="An all-day event (no time of day).")
    status: MeetingStatus = Field(
        description="The calendar's status: confirmed, tentative or cancelled."
    )
    subject: str = Field(
        description="Public subject: what was discussed.",
        examples=["Projet de rénovation du quartier de la gare : calendrier des travaux"],
    )
    policy_area: MeetingPolicyArea | None = Field(description="Policy area, when recorded.")
    format: MeetingFormat | None = Field(description="in_person, video or phone.")
    initiative: Initiative | None = Field(description="Who asked for the meeting.")
    officials_present: list[MeetingOfficial] = Field(
        description="Officials and agents present (collegiality: at least two)."
    )
    other_attendee_roles: list[str] = Field(
        description="Roles of other public agents present (never their names).",
        examples=[["Directrice de l'urbanisme"]],
    )
    representatives: list[MeetingRepresentative] = Field(
        description="Interest representatives present."
    )
    classification: ClassificationKind = Field(description="What kind of meeting this is.")
    reasons: list[MeetingReason] = Field(description="Why it was classified so.")
    documents: list[str] = Field(description="Addresses of public documents about the meeting.")


class MeetingPublication(_Documented):
    version: int = Field(description="Version number, 1 for the first publication.", examples=[1])
    state: PublicationState = Field(
        description="published (first version), corrected or withdrawn.", examples=["published"]
    )
    reason: str | None = Field(
        description="Public reason of a correction or withdrawal.",
        examples=["Heure corrigée."],
    )
    legal_ground: LegalGround | None = Field(description="Legal ground of a withdrawal.")


class Meeting(_Documented):
    """One public version of a meeting: the record, and how and when it was published."""

    record: MeetingRecord
    publication: MeetingPublication
    recorded_at: datetime = Field(
        description="When this version was published (its publication-log entry's time).",
        examples=["2026-03-12T08:00:00Z"],
    )
    log_seq: int = Field(
        description="Number of this version's entry in the publication log (`/api/v1/log`).",
        examples=[118],
    )
    first_published_at: datetime | None = Field(
        description="When the meeting's first version was published.",
        examples=["2026-03-12T08:00:00Z"],
    )

    @classmethod
    def of(cls, meeting: PublishedMeeting) -> "Meeting":
        return cls.model_validate(meeting.model_dump(mode="json"))


class MeetingWithVersions(Meeting):
    """The current version of a meeting, and every version the register published."""

    versions: list[Meeting] = Field(
        description="Every published version, oldest first: the first publication, each "
        "correction with its reason, a withdrawal with its reason and legal ground."
    )


class Links(_Documented):
    next: str | None = Field(description="The next page, or null on the last.", examples=[_NEXT])


class MeetingList(_Documented):
    items: list[Meeting] = Field(description="This page's meetings.")
    total: int = Field(description="How many meetings match in all.", examples=[57])
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )
    links: Links


class OfficialList(_Documented):
    items: list[RegisterOfficial]
    total: int = Field(description="How many officials are listed.", examples=[12])


class OrganisationList(_Documented):
    items: list[RegisterOrganisation] = Field(description="This page's organisations.")
    total: int = Field(description="How many organisations match in all.", examples=[230])
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )
    links: Links


class AuthorityList(_Documented):
    items: list[RegisterAuthority]
    total: int = Field(description="How many authorities are listed.", examples=[1])


class PolicyAreaList(_Documented):
    items: list[RegisterPolicyArea]
    total: int = Field(description="How many policy areas are listed.", examples=[14])


class ProblemError(_Documented):
    message: str = Field(description="What is wrong.", examples=["Expected `int`, got `str`"])
    parameter: str | None = Field(
        default=None, description="The parameter at fault.", examples=["limit"]
    )
    source: str | None = Field(default=None, description="Where it was: query, path, header.")


class Problem(_Documented):
    """An error, as RFC 9457 problem details (`application/problem+json`)."""

    type: str = Field(description="Stable kind of problem.", examples=["/problems/bad-request"])
    title: str = Field(description="Short summary of the kind.", examples=["Bad request"])
    status: int = Field(description="The HTTP status code.", examples=[400])
    detail: str = Field(
        description="What was wrong with this request.",
        examples=["limit: must be between 1 and 500"],
    )
    instance: str = Field(description="The path that was asked for.", examples=["/api/v1/meetings"])
    errors: list[ProblemError] | None = Field(
        default=None, description="Each invalid parameter, when there are several."
    )
