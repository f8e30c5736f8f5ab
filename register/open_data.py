"""The register as open data: one CSV row and one JSON document per published meeting, with the
Frictionless Table Schema that describes the CSV. The API's CSV answers and the bulk dumps both
use these, so a column means the same thing wherever it is downloaded."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import msgspec

from register.domain.public_record import PublishedMeeting
from register.queries import StoredVersion

LICENCE: Mapping[str, str] = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": "Licence Ouverte / Open Licence 2.0",
}

JOIN = " ; "
"""Joins the values of a list column (organisations, officials present, …)."""


class CsvColumn(NamedTuple):
    name: str
    description: str


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection")."""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def csv_cell(value: object) -> str:
    """A value as a CSV cell. Text that a spreadsheet would run as a formula (`=HYPERLINK(…)`,
    `+`, `-`, `@`, a tab or carriage return first) gets a leading apostrophe, which spreadsheets
    read as "this is text" and do not display; the JSON outputs keep the text as it is."""
    text = _text(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _joined(values: Iterable[object]) -> str:
    return JOIN.join(_text(value) for value in values)


MEETING_COLUMNS = (
    CsvColumn("id", "The meeting's stable id."),
    CsvColumn("version", "Number of the current public version (1: never corrected)."),
    CsvColumn("state", "published, corrected or withdrawn."),
    CsvColumn("starts_at", "Start, ISO 8601 in UTC."),
    CsvColumn("ends_at", "End, ISO 8601 in UTC (empty if unknown)."),
    CsvColumn("starts_at_local", "Start, ISO 8601 in the meeting's time zone."),
    CsvColumn("timezone", "IANA time zone of the meeting."),
    CsvColumn("all_day", "true for an all-day event."),
    CsvColumn("status", "confirmed, tentative or cancelled."),
    CsvColumn("authority_id", "The authority's id."),
    CsvColumn("authority", "The authority's name."),
    CsvColumn("official_id", "Id of the official whose diary holds the meeting."),
    CsvColumn("official", "That official's name."),
    CsvColumn("official_role", "That official's role."),
    CsvColumn("subject", "Public subject."),
    CsvColumn("policy_area", "Policy area code."),
    CsvColumn("policy_area_label", "Policy area label (French)."),
    CsvColumn("format", "in_person, video or phone."),
    CsvColumn("initiative", "Who asked for the meeting: official, representative, joint, unknown."),
    CsvColumn("officials_present", "Names of the officials and agents present, joined by ' ; '."),
    CsvColumn("other_attendee_roles", "Roles of other public agents present, joined by ' ; '."),
    CsvColumn("organisations", "Names of the organisations present, joined by ' ; '."),
    CsvColumn("organisation_ids", "Their ids, in the same order."),
    CsvColumn("organisation_hatvp_ids", "Their HATVP ids, in the same order (empty places)."),
    CsvColumn("organisation_sirens", "Their SIREN numbers, in the same order (empty places)."),
    CsvColumn("hatvp_registered", "true if at least one organisation is registered with HATVP."),
    CsvColumn("classification", "What kind of meeting this is."),
    CsvColumn("publication_reason", "Public reason of the last correction or of the withdrawal."),
    CsvColumn("legal_ground", "Legal ground of a withdrawal."),
    CsvColumn("published_at", "When the current version was published, ISO 8601 in UTC."),
    CsvColumn("first_published_at", "When the first version was published, ISO 8601 in UTC."),
    CsvColumn("log_seq", "Number of the current version's entry in the publication log."),
)


def meeting_row(stored: StoredVersion) -> list[str]:
    """The CSV row of one stored public version, read straight from its payload (validated when
    it was published): validating it again into the domain's model cost ten times the query of
    a 100,000-row export (issue 7)."""
    record: dict[str, Any] = msgspec.json.decode(stored.body)
    publication, authority, official = (
        record["publication"],
        record["authority"],
        record["official"],
    )
    area = record.get("policy_area") or {}
    reps = record.get("representatives") or ()
    starts_at = _instant(record["starts_at"])
    values: list[object] = [
        record["id"],
        publication["version"],
        publication["state"],
        starts_at,
        _instant(record.get("ends_at")),
        starts_at.astimezone(ZoneInfo(record["timezone"])) if starts_at else None,
        record["timezone"],
        record["all_day"],
        record["status"],
        authority["id"],
        authority["name"],
        official["id"],
        official["name"],
        official.get("role"),
        record.get("subject"),
        area.get("code"),
        (area.get("label") or {}).get("fr"),
        record.get("format"),
        record.get("initiative"),
        _joined(present["name"] for present in record.get("officials_present") or ()),
        _joined(record.get("other_attendee_roles") or ()),
        _joined(rep["name"] for rep in reps),
        _joined(rep["id"] for rep in reps),
        _joined(rep.get("hatvp_id") for rep in reps),
        _joined(rep.get("siren") for rep in reps),
        any(rep.get("hatvp_registered") for rep in reps),
        record["classification"],
        publication.get("reason"),
        publication.get("legal_ground"),
        stored.recorded_at,
        stored.first_published_at,
        stored.log_seq,
    ]
    return [csv_cell(value) for value in values]


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


CSV_HEADER: tuple[str, ...] = tuple(column.name for column in MEETING_COLUMNS)

_TYPES = {
    "version": "integer",
    "log_seq": "integer",
    "all_day": "boolean",
    "hatvp_registered": "boolean",
    "starts_at": "datetime",
    "ends_at": "datetime",
    "starts_at_local": "datetime",
    "published_at": "datetime",
    "first_published_at": "datetime",
}
"""Frictionless types of the columns that are not text."""


def json_document(meeting: PublishedMeeting) -> dict[str, Any]:
    """The meeting's JSON document: the public record, how it was published, and when."""
    return {
        **meeting.record.model_dump(mode="json"),
        "publication": meeting.publication.model_dump(mode="json"),
        "first_published_at": (
            meeting.first_published_at.isoformat() if meeting.first_published_at else None
        ),
        "published_at": meeting.recorded_at.isoformat(),
        "log_seq": meeting.log_seq,
    }


def table_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of the CSV."""
    return {
        "fields": [
            {
                "name": column.name,
                "type": _TYPES.get(column.name, "string"),
                "description": column.description,
            }
            for column in MEETING_COLUMNS
        ],
        "primaryKey": ["id"],
        "missingValues": [""],
    }
