"""An authority's publication policy: what a complete, publishable record needs.

Each authority sets its own policy (the commitments signed with Transparency International France
differ in detail); the defaults follow the common core of those charters.
"""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from register.domain.text import Message


class RecordField(StrEnum):
    """Fields of the collegiality record that a policy may make mandatory."""

    SUBJECT = "subject"
    POLICY_AREA = "policy_area"
    FORMAT = "format"
    INITIATIVE = "initiative"


class PolicyArea(BaseModel):
    """One entry of the controlled list of policy areas (domaines d'action publique)."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    label: Message


def _area(code: str, fr: str, en: str) -> PolicyArea:
    return PolicyArea(code=code, label=Message(fr=fr, en=en))


DEFAULT_POLICY_AREAS: tuple[PolicyArea, ...] = (
    _area("urbanisme", "Urbanisme et aménagement", "Urban planning"),
    _area("logement", "Logement", "Housing"),
    _area("mobilites", "Mobilités et transports", "Mobility and transport"),
    _area("eau", "Eau et assainissement", "Water and sanitation"),
    _area("energie", "Énergie", "Energy"),
    _area("environnement", "Environnement et climat", "Environment and climate"),
    _area("dechets", "Déchets et propreté", "Waste and cleanliness"),
    _area("economie", "Développement économique et commerce", "Economy and trade"),
    _area("numerique", "Numérique", "Digital affairs"),
    _area("culture", "Culture et patrimoine", "Culture and heritage"),
    _area("sport", "Sport", "Sport"),
    _area("education", "Éducation et petite enfance", "Education and early childhood"),
    _area("sante", "Santé", "Health"),
    _area("solidarites", "Solidarités et action sociale", "Social affairs"),
    _area("securite", "Sécurité et tranquillité publique", "Public safety"),
    _area("finances", "Finances et commande publique", "Finance and public procurement"),
    _area("tourisme", "Tourisme", "Tourism"),
)

DEFAULT_VAGUE_SUBJECTS: tuple[str, ...] = (
    "point",
    "point général",
    "point d'étape",
    "point divers",
    "échange",
    "échanges",
    "rencontre",
    "réunion",
    "rendez-vous",
    "rdv",
    "entretien",
    "présentation",
    "discussion",
    "discussion générale",
    "divers",
    "general discussion",
    "meeting",
    "catch-up",
)


class Policy(BaseModel):
    """The rules one authority applies before a meeting may be published."""

    model_config = ConfigDict(frozen=True)

    min_present: int = Field(
        default=2, ge=1, le=20, description="Officials or agents who must attend (collegiality)."
    )
    owner_must_attend: bool = Field(
        default=True, description="The official whose diary holds the meeting must be present."
    )
    required_fields: frozenset[RecordField] = Field(
        default=frozenset(RecordField), description="Record fields that must be filled in."
    )
    require_representative_names: bool = Field(
        default=False,
        description="The names of the people who represented each organisation must be given.",
    )
    publish_representative_names: bool = Field(
        default=False,
        description="Whether those names appear in the public register (they are personal data).",
    )
    publication_deadline_days: int = Field(
        default=15,
        ge=1,
        le=366,
        description="Days after the meeting by which it must be published.",
    )
    min_subject_length: int = Field(default=15, ge=1, le=200)
    vague_subjects: tuple[str, ...] = DEFAULT_VAGUE_SUBJECTS
    policy_areas: tuple[PolicyArea, ...] = DEFAULT_POLICY_AREAS
    interest_keywords: tuple[str, ...] = Field(
        default=("lobby", "représentant d'intérêts", "représentants d'intérêts", "RI"),
        description="Words in an event or its categories that point to an interest representative.",
    )

    def policy_area(self, code: str) -> PolicyArea | None:
        """The area of the controlled list with this code, if any."""
        return next((area for area in self.policy_areas if area.code == code), None)
