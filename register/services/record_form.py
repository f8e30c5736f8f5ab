"""The collegiality record's form, read as typed: every input error and every gap against the
authority's policy at once, so staff fix everything in one go.

The form keeps strings, so a refused form is shown again exactly as it was typed.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import BaseModel, Field

from register.domain.collegiality import (
    CollegialityRecord,
    OtherAttendee,
    RepresentativePresence,
    Violation,
)
from register.domain.kinds import (
    Initiative,
    MeetingFormat,
)
from register.domain.meeting import Meeting
from register.domain.policy import Policy
from register.domain.readiness import publication_violations
from register.domain.text import Message
from register.store.repositories.directory import kept_records
from register.store.repositories.officials import list_officials, officials_by_id
from register.store.repositories.representatives import (
    representatives_by_id,
)

if TYPE_CHECKING:
    pass


MAX_NAME = 200
"""Roles, attendees' and representatives' names (the domain's limit)."""
MAX_SUBJECT = 1000
MAX_POLICY_AREA = 60
MAX_LINK = 2000


class AttendeeInput(BaseModel):
    """A row of the "other attendees" part of the form, as typed."""

    role: str = ""
    name: str = ""


class RepresentativeInput(BaseModel):
    """A row of the "interest representatives" part of the form, as typed."""

    representative_id: str = ""
    people: str = Field(default="", description="One name per line.")


class RecordForm(BaseModel):
    """The collegiality record as the back office's form holds it: every field a string, so a
    refused form can be shown again exactly as typed."""

    officials_present: list[str] = Field(default_factory=list, description="Official ids.")
    other_attendees: list[AttendeeInput] = Field(default_factory=list)
    representatives: list[RepresentativeInput] = Field(default_factory=list)
    subject: str = ""
    policy_area: str = ""
    format: str = ""
    initiative: str = ""
    documents: str = Field(default="", description="One link per line.")

    @classmethod
    def from_meeting(cls, meeting: Meeting) -> "RecordForm":
        """The form filled with the meeting's stored record."""
        record = meeting.record
        return cls(
            officials_present=[str(official_id) for official_id in record.officials_present],
            other_attendees=[
                AttendeeInput(role=attendee.role, name=attendee.name or "")
                for attendee in record.other_attendees
            ],
            representatives=[
                RepresentativeInput(
                    representative_id=str(presence.representative_id),
                    people="\n".join(presence.people),
                )
                for presence in record.representatives
            ],
            subject=record.subject,
            policy_area=record.policy_area or "",
            format=record.format.value if record.format else "",
            initiative=record.initiative.value if record.initiative else "",
            documents="\n".join(record.documents),
        )


def _error(code: str, field: str, fr: str, en: str) -> Violation:
    return Violation(code=code, field=field, message=Message(fr=fr, en=en))


def _shown(value: str) -> str:
    """A typed value quoted in a message, cut short when long."""
    value = value.strip()
    return value if len(value) <= 60 else f"{value[:57]}…"


def _too_long(field: str, what_fr: str, what_en: str, limit: int) -> Violation:
    return _error(
        f"{field}_too_long",
        field,
        f"{what_fr} dépasse {limit} caractères.",
        f"{what_en} is longer than {limit} characters.",
    )


def _uuid(value: str) -> UUID | None:
    try:
        return UUID(value.strip())
    except ValueError:
        return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _is_link(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return (
        parts.scheme.lower() in {"http", "https"}
        and bool(parts.hostname)
        and not any(c.isspace() for c in value)
    )


class _FormReader:
    """Reads a form into a record, collecting every input error; values in error are left out
    of the record (so its completeness can still be checked)."""

    def __init__(
        self,
        officials: Collection[UUID],
        representatives: Mapping[UUID, UUID],
        other_officials: Collection[UUID],
    ) -> None:
        self.officials, self.representatives = officials, representatives
        self.other_officials = other_officials
        self.errors: list[Violation] = []

    def officials_present(self, values: Iterable[str]) -> tuple[UUID, ...]:
        found: dict[UUID, None] = {}
        for value in (v for v in values if v.strip()):
            official_id = _uuid(value)
            if official_id is None:
                self.errors.append(
                    _error(
                        "official_malformed",
                        "officials_present",
                        f"« {_shown(value)} » n'est pas un identifiant de responsable public.",
                        f'"{_shown(value)}" is not an official\'s identifier.',
                    )
                )
            elif official_id in self.officials:
                found[official_id] = None
            elif official_id in self.other_officials:
                self.errors.append(
                    _error(
                        "official_other_authority",
                        "officials_present",
                        f"Le responsable public {official_id} relève d'une autre collectivité.",
                        f"The official {official_id} belongs to another authority.",
                    )
                )
            else:
                self.errors.append(
                    _error(
                        "official_unknown",
                        "officials_present",
                        f"Aucun responsable public n'a l'identifiant {official_id}.",
                        f"No official has the identifier {official_id}.",
                    )
                )
        return tuple(found)

    def other_attendees(self, rows: Iterable[AttendeeInput]) -> tuple[OtherAttendee, ...]:
        found = []
        for number, row in enumerate(rows, start=1):
            role, name = row.role.strip(), row.name.strip()
            if not role:
                if name:
                    self.errors.append(
                        _error(
                            "attendee_role_missing",
                            "other_attendees",
                            f"Autres participants, ligne {number} : indiquez le rôle.",
                            f"Other attendees, row {number}: give the role.",
                        )
                    )
                continue
            if len(role) > MAX_NAME or len(name) > MAX_NAME:
                self.errors.append(
                    _too_long(
                        "other_attendees",
                        f"Autres participants, ligne {number} : le rôle ou le nom",
                        f"Other attendees, row {number}: the role or name",
                        MAX_NAME,
                    )
                )
                continue
            found.append(OtherAttendee(role=role, name=name or None))
        return tuple(found)

    def representatives_present(
        self, rows: Iterable[RepresentativeInput]
    ) -> tuple[RepresentativePresence, ...]:
        """Organisations present; one listed twice (or a merged duplicate beside the
        organisation it was merged into) becomes one, with everyone's names."""
        people_by_id: dict[UUID, list[str]] = {}
        for number, row in enumerate(rows, start=1):
            people = _lines(row.people)
            if not row.representative_id.strip():
                if people:
                    self.errors.append(
                        _error(
                            "representative_organisation_missing",
                            "representatives",
                            f"Représentants d'intérêts, ligne {number} : choisissez "
                            "l'organisation.",
                            f"Interest representatives, row {number}: choose the organisation.",
                        )
                    )
                continue
            representative_id = _uuid(row.representative_id)
            kept = self.representatives.get(representative_id) if representative_id else None
            if kept is None:
                self.errors.append(
                    _error(
                        "representative_unknown",
                        "representatives",
                        f"Représentants d'intérêts, ligne {number} : organisation inconnue "
                        f"« {_shown(row.representative_id)} ».",
                        f"Interest representatives, row {number}: unknown organisation "
                        f'"{_shown(row.representative_id)}".',
                    )
                )
                continue
            if any(len(person) > MAX_NAME for person in people):
                self.errors.append(
                    _too_long(
                        "representatives",
                        f"Représentants d'intérêts, ligne {number} : un nom",
                        f"Interest representatives, row {number}: a name",
                        MAX_NAME,
                    )
                )
                continue
            names = people_by_id.setdefault(kept, [])
            names.extend(person for person in people if person not in names)
        return tuple(
            RepresentativePresence(representative_id=rep_id, people=tuple(names))
            for rep_id, names in people_by_id.items()
        )

    def subject(self, value: str) -> str:
        subject = value.strip()
        if len(subject) > MAX_SUBJECT:
            self.errors.append(_too_long("subject", "L'objet", "The subject", MAX_SUBJECT))
            return ""
        return subject

    def policy_area(self, value: str) -> str | None:
        """The area's code; whether the authority's list has it is the domain's check."""
        code = value.strip()
        if len(code) > MAX_POLICY_AREA:
            self.errors.append(
                _too_long(
                    "policy_area",
                    "Le domaine d'action publique",
                    "The policy area",
                    MAX_POLICY_AREA,
                )
            )
            return None
        return code or None

    def format(self, value: str) -> MeetingFormat | None:
        if not value.strip():
            return None
        try:
            return MeetingFormat(value.strip())
        except ValueError:
            self.errors.append(
                _error(
                    "format_invalid",
                    "format",
                    f"Format inconnu « {_shown(value)} » : en présentiel, en visio ou par "
                    "téléphone.",
                    f'Unknown format "{_shown(value)}": in person, video or phone.',
                )
            )
            return None

    def initiative(self, value: str) -> Initiative | None:
        if not value.strip():
            return None
        try:
            return Initiative(value.strip())
        except ValueError:
            self.errors.append(
                _error(
                    "initiative_invalid",
                    "initiative",
                    f"Valeur inconnue « {_shown(value)} » pour qui a demandé la rencontre.",
                    f'Unknown value "{_shown(value)}" for who asked for the meeting.',
                )
            )
            return None

    def documents(self, text: str) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for link in _lines(text):
            if len(link) > MAX_LINK:
                self.errors.append(_too_long("documents", "Un lien", "A link", MAX_LINK))
            elif not _is_link(link):
                self.errors.append(
                    _error(
                        "document_invalid",
                        "documents",
                        f"« {_shown(link)} » n'est pas un lien http:// ou https://.",
                        f'"{_shown(link)}" is not an http:// or https:// link.',
                    )
                )
            else:
                found[link] = None
        return tuple(found)


def _read(
    form: RecordForm,
    officials: Collection[UUID],
    representatives: Mapping[UUID, UUID],
    other_officials: Collection[UUID],
) -> tuple[CollegialityRecord, tuple[Violation, ...]]:
    reader = _FormReader(officials, representatives, other_officials)
    record = CollegialityRecord(
        officials_present=reader.officials_present(form.officials_present),
        other_attendees=reader.other_attendees(form.other_attendees),
        representatives=reader.representatives_present(form.representatives),
        subject=reader.subject(form.subject),
        policy_area=reader.policy_area(form.policy_area),
        format=reader.format(form.format),
        initiative=reader.initiative(form.initiative),
        documents=reader.documents(form.documents),
    )
    return record, tuple(reader.errors)


def parse_record(
    form: RecordForm,
    *,
    officials: Collection[UUID],
    representatives: Mapping[UUID, UUID],
    other_officials: Collection[UUID] = (),
) -> tuple[CollegialityRecord | None, tuple[Violation, ...]]:
    """The record the form describes, or None and every input error.

    `officials` are the ids of the meeting's authority's officials; `other_officials` ids known
    in other authorities (to say so rather than "unknown"); `representatives` maps each known
    organisation the form may name to the one to record (the kept organisation for a merged
    duplicate, itself otherwise). Completeness against the policy is the domain's check
    (`publication_violations`), made on the result.
    """
    record, errors = _read(form, officials, representatives, other_officials)
    return (None, errors) if errors else (record, ())


@dataclass(frozen=True)
class FormCheck:
    """A form read against a meeting: the record (without the values in error), the input
    errors, and the completeness problems under the authority's policy."""

    record: CollegialityRecord
    input_errors: tuple[Violation, ...]
    violations: tuple[Violation, ...]


async def check_form(meeting: Meeting, form: RecordForm, policy: Policy) -> FormCheck:
    """Read `form` for `meeting`, looking up the officials and organisations it names."""
    own = {official.id for official in await list_officials(meeting.authority_id)}
    named = {_uuid(value) for value in form.officials_present if value.strip()}
    others = set(await officials_by_id(i for i in named if i is not None and i not in own))
    wanted = [_uuid(row.representative_id) for row in form.representatives]
    known = await representatives_by_id(i for i in wanted if i is not None)
    kept = {rep_id: rep.id for rep_id, rep in (await kept_records(known.values())).items()}
    record, errors = _read(form, own, kept, others)
    violations = publication_violations(meeting.model_copy(update={"record": record}), policy)
    return FormCheck(record, errors, violations)


def record_changes(before: CollegialityRecord, after: CollegialityRecord) -> dict[str, Any]:
    """The fields that differ, each as [before, after] in JSON form, for the audit trail."""
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    return {field: [old[field], new[field]] for field in new if old[field] != new[field]}
