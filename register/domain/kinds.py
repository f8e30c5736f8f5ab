"""The controlled vocabularies of the register, shared by storage, web and feeds.

Values are lower-case English words: they appear in the API and the open data, so they are stable.
"""

from enum import StrEnum


class AuthorityKind(StrEnum):
    """The kind of local authority (collectivité) that publishes a register."""

    COMMUNE = "commune"
    EPCI = "epci"
    DEPARTMENT = "department"
    REGION = "region"
    OTHER = "other"


class OfficialKind(StrEnum):
    """Elected official (élu) or cabinet member / senior agent (membre de cabinet, agent)."""

    ELECTED = "elected"
    STAFF = "staff"


class SourceKind(StrEnum):
    """How an official's calendar is read."""

    CALDAV = "caldav"
    ICS = "ics"


class MeetingStatus(StrEnum):
    """The calendar's own status of an event (RFC 5545 §3.8.1.11)."""

    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    CANCELLED = "cancelled"


class Visibility(StrEnum):
    """The calendar's access class (RFC 5545 §3.8.1.3); anything but public is never published."""

    PUBLIC = "public"
    PRIVATE = "private"
    CONFIDENTIAL = "confidential"


class ClassificationKind(StrEnum):
    """What a calendar entry is, as far as the register is concerned."""

    INTEREST_REPRESENTATIVE = "interest_representative"
    INSTITUTIONAL = "institutional"
    INTERNAL = "internal"
    PRIVATE = "private"
    PERSONAL = "personal"
    UNKNOWN = "unknown"


class Decider(StrEnum):
    """Who made a classification: a rule of the classifier, or a member of staff (which sticks)."""

    RULE = "rule"
    STAFF = "staff"


class MeetingFormat(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"


class Initiative(StrEnum):
    """Who asked for the meeting."""

    OFFICIAL = "official"
    REPRESENTATIVE = "representative"
    JOINT = "joint"
    UNKNOWN = "unknown"


class PublicationState(StrEnum):
    """Where a meeting stands on its way to the public register."""

    DRAFT = "draft"
    READY = "ready"
    PUBLISHED = "published"
    CORRECTED = "corrected"
    WITHDRAWN = "withdrawn"


class LegalGround(StrEnum):
    """Grounds for keeping a meeting unpublished (exemption) or for withdrawing it.

    The public sees exemptions only as counts per ground, and withdrawals with their ground.
    """

    SECURITY = "security"
    PRIVACY = "privacy"
    PROCUREMENT = "procurement"
    JUDICIAL = "judicial"
    OUT_OF_SCOPE = "out_of_scope"


LEGAL_GROUND_LABELS: dict[LegalGround, str] = {
    LegalGround.SECURITY: "Sécurité",
    LegalGround.PRIVACY: "Vie privée d'une personne physique",
    LegalGround.PROCUREMENT: "Marché public en cours",
    LegalGround.JUDICIAL: "Procédure juridictionnelle",
    LegalGround.OUT_OF_SCOPE: "Hors du champ du registre",
}
"""The grounds as French readers see them (back office, public pages, feeds)."""


class StaffRole(StrEnum):
    """Back-office roles: administrators run the installation, editors their authorities,
    officials only see their own meetings."""

    ADMINISTRATOR = "administrator"
    EDITOR = "editor"
    OFFICIAL = "official"


class SyncRunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    FAILED = "failed"


class LogAction(StrEnum):
    """What a publication-log entry records."""

    PUBLISH = "publish"
    CORRECT = "correct"
    WITHDRAW = "withdraw"
