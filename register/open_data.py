"""The register as open data: one CSV row and one JSON document per published meeting, with the
Frictionless Table Schema that describes the CSV. The API's CSV answers and the bulk dumps both
use these, so a column means the same thing wherever it is downloaded."""

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from register.domain.public_record import PublishedMeeting

LICENCE: Mapping[str, str] = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte / Open Licence 2.0",
}

LIST_SEPARATOR = " ; "
"""Joins the values of a list column (organisations, officials present, …)."""

# (name, Frictionless type, description) of each CSV column, in order. Names are stable.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "string", "The meeting's identifier (a UUID), stable forever."),
    ("authority_id", "string", "The authority's identifier."),
    ("authority", "string", "The authority's name."),
    ("official_id", "string", "The identifier of the official whose diary holds the meeting."),
    ("official", "string", "That official's name."),
    ("official_role", "string", "That official's role (mandate or function)."),
    ("starts_at", "datetime", "Start, ISO 8601 with the offset of the meeting's time zone."),
    ("ends_at", "datetime", "End, ISO 8601 with offset; empty when the calendar gave none."),
    ("timezone", "string", "The meeting's time zone (IANA name)."),
    ("all_day", "boolean", "Whether the meeting takes whole days."),
    ("status", "string", "confirmed, tentative or cancelled (as the calendar says)."),
    ("subject", "string", "The public subject: what was discussed."),
    ("policy_area", "string", "The policy area's code in the authority's list."),
    ("policy_area_label", "string", "The policy area's French label."),
    ("format", "string", "in_person, video or phone."),
    ("initiative", "string", "Who asked for the meeting: official, representative, joint."),
    ("organisations", "string", "Names of the organisations present, ' ; '-separated."),
    ("organisation_ids", "string", "Their identifiers in the register, ' ; '-separated."),
    ("hatvp_ids", "string", "Their HATVP identifiers where known, ' ; '-separated."),
    ("sirens", "string", "Their SIREN numbers where known, ' ; '-separated."),
    ("hatvp_registered", "boolean", "Whether at least one organisation is in the HATVP register."),
    ("officials_present", "string", "Officials present, ' ; '-separated."),
    ("other_attendee_roles", "string", "Roles of the other public agents present."),
    ("classification", "string", "What the register considers the meeting to be."),
    ("documents", "string", "Links to documents received, ' ; '-separated."),
    ("state", "string", "published, corrected or withdrawn (a withdrawal stays public)."),
    ("version", "integer", "The public version's number (1 for the first publication)."),
    ("first_published_at", "datetime", "When the first version was published (UTC)."),
    ("published_at", "datetime", "When this version was published (UTC)."),
    ("reason", "string", "The public reason of a correction or withdrawal."),
    ("legal_ground", "string", "The legal ground of a withdrawal."),
    ("log_seq", "integer", "This version's entry in the publication log."),
)
CSV_HEADER: tuple[str, ...] = tuple(name for name, _, _ in COLUMNS)


def _join(values: Any) -> str:
    return LIST_SEPARATOR.join(str(value) for value in values if value)


def _time(value: Any) -> str:
    return value.isoformat() if value is not None else ""


def csv_row(meeting: PublishedMeeting) -> list[str]:
    """The meeting's CSV row, in `CSV_HEADER`'s order; times keep their offsets."""
    record = meeting.record
    publication = meeting.publication
    zone = ZoneInfo(record.timezone)
    local_start = record.starts_at.astimezone(zone)
    local_end = record.ends_at.astimezone(zone) if record.ends_at else None
    representatives = record.representatives
    values: dict[str, str] = {
        "id": str(record.id),
        "authority_id": str(record.authority.id),
        "authority": record.authority.name,
        "official_id": str(record.official.id),
        "official": record.official.name,
        "official_role": record.official.role,
        "starts_at": _time(local_start),
        "ends_at": _time(local_end),
        "timezone": record.timezone,
        "all_day": "true" if record.all_day else "false",
        "status": record.status.value,
        "subject": record.subject,
        "policy_area": record.policy_area.code if record.policy_area else "",
        "policy_area_label": record.policy_area.label.fr if record.policy_area else "",
        "format": record.format.value if record.format else "",
        "initiative": record.initiative.value if record.initiative else "",
        "organisations": _join(rep.name for rep in representatives),
        "organisation_ids": _join(rep.id for rep in representatives),
        "hatvp_ids": _join(rep.hatvp_id for rep in representatives),
        "sirens": _join(rep.siren for rep in representatives),
        "hatvp_registered": "true"
        if any(rep.hatvp_registered for rep in representatives)
        else "false",
        "officials_present": _join(official.name for official in record.officials_present),
        "other_attendee_roles": _join(record.other_attendee_roles),
        "classification": record.classification.value,
        "documents": _join(record.documents),
        "state": publication.state.value,
        "version": str(publication.version),
        "first_published_at": _time(meeting.first_published_at),
        "published_at": _time(meeting.recorded_at),
        "reason": publication.reason or "",
        "legal_ground": publication.legal_ground.value if publication.legal_ground else "",
        "log_seq": str(meeting.log_seq),
    }
    return [values[name] for name in CSV_HEADER]


def json_document(meeting: PublishedMeeting) -> dict[str, Any]:
    """The meeting's JSON document: the public record, how it was published, and when."""
    return {
        **meeting.record.model_dump(mode="json"),
        "publication": meeting.publication.model_dump(mode="json"),
        "first_published_at": _time(meeting.first_published_at) or None,
        "published_at": meeting.recorded_at.isoformat(),
        "log_seq": meeting.log_seq,
    }


def table_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of the CSV."""
    return {
        "fields": [
            {"name": name, "type": kind, "description": description}
            for name, kind, description in COLUMNS
        ],
        "primaryKey": ["id"],
        "missingValues": [""],
    }
