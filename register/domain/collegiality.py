"""The collegiality record (who attended, about what) and its check against a policy.

The charters require that a meeting with an interest representative is never one-to-one: at least
`Policy.min_present` public officials or agents attend, and the record says who they were.
"""

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from register.domain.kinds import Initiative, MeetingFormat
from register.domain.normalise import normalise
from register.domain.policy import Policy, RecordField
from register.domain.text import Message


class OtherAttendee(BaseModel):
    """A public agent present who is not among the register's officials (e.g. a department head)."""

    model_config = ConfigDict(frozen=True)

    role: str = Field(min_length=1, max_length=200)
    name: str | None = Field(default=None, max_length=200)


class RepresentativePresence(BaseModel):
    """An organisation that attended, and the people who represented it."""

    model_config = ConfigDict(frozen=True)

    representative_id: UUID
    people: tuple[str, ...] = ()


class CollegialityRecord(BaseModel):
    """What staff complete for each meeting; never overwritten by a calendar resync."""

    model_config = ConfigDict(frozen=True)

    officials_present: tuple[UUID, ...] = ()
    other_attendees: tuple[OtherAttendee, ...] = ()
    representatives: tuple[RepresentativePresence, ...] = ()
    subject: str = ""
    policy_area: str | None = None
    format: MeetingFormat | None = None
    initiative: Initiative | None = None
    documents: tuple[str, ...] = ()

    def present_count(self) -> int:
        """Officials and agents present, each official counted once."""
        return len(set(self.officials_present)) + len(self.other_attendees)


class Violation(BaseModel):
    """One reason a record is not complete: a stable code, the field concerned, and the message."""

    model_config = ConfigDict(frozen=True)

    code: str
    field: str
    message: Message


def is_vague_subject(subject: str, policy: Policy) -> bool:
    """Whether a subject says nothing ("point général", "échanges"): users' top complaint."""
    normalised = normalise(subject)
    return normalised in {normalise(vague) for vague in policy.vague_subjects}


def check_collegiality(
    record: CollegialityRecord,
    policy: Policy,
    *,
    owner_id: UUID,
    with_interest_representative: bool = True,
) -> tuple[Violation, ...]:
    """Every way `record` falls short of `policy`, all at once, so staff fix everything in one go.

    `owner_id` is the official whose diary holds the meeting. An empty result means the record
    may be published.
    """
    violations: list[Violation] = []
    violations.extend(_attendance_violations(record, policy, owner_id))
    violations.extend(_field_violations(record, policy))
    if with_interest_representative:
        violations.extend(_representative_violations(record, policy))
    return tuple(violations)


def _attendance_violations(
    record: CollegialityRecord, policy: Policy, owner_id: UUID
) -> list[Violation]:
    found: list[Violation] = []
    present = record.present_count()
    if present < policy.min_present:
        found.append(
            Violation(
                code="too_few_present",
                field="officials_present",
                message=Message(
                    fr=f"Au moins {policy.min_present} responsables publics ou agents doivent être "
                    f"présents ; {present} indiqué(s).",
                    en=f"At least {policy.min_present} public officials or agents must attend; "
                    f"{present} given.",
                ),
            )
        )
    if policy.owner_must_attend and owner_id not in record.officials_present:
        found.append(
            Violation(
                code="owner_absent",
                field="officials_present",
                message=Message(
                    fr="Le responsable public dont l'agenda contient la rencontre doit "
                    "figurer parmi les présents.",
                    en="The official whose diary holds the meeting must be listed as present.",
                ),
            )
        )
    if len(set(record.officials_present)) != len(record.officials_present):
        found.append(
            Violation(
                code="official_repeated",
                field="officials_present",
                message=Message(
                    fr="Un même responsable public est indiqué plusieurs fois.",
                    en="The same official is listed more than once.",
                ),
            )
        )
    return found


def _field_violations(record: CollegialityRecord, policy: Policy) -> list[Violation]:
    found: list[Violation] = []
    required = policy.required_fields
    subject = record.subject.strip()
    if not subject:
        if RecordField.SUBJECT in required:
            found.append(
                _missing("subject", "l'objet de la rencontre", "the subject of the meeting")
            )
    elif is_vague_subject(subject, policy):
        found.append(
            Violation(
                code="subject_vague",
                field="subject",
                message=Message(
                    fr=f"L'objet « {subject} » est trop vague : dites de quoi il a été question "
                    "(projet, texte, dossier).",
                    en=f'The subject "{subject}" is too vague: say what was discussed '
                    "(project, text, case).",
                ),
            )
        )
    elif len(subject) < policy.min_subject_length:
        found.append(
            Violation(
                code="subject_too_short",
                field="subject",
                message=Message(
                    fr=f"L'objet doit compter au moins {policy.min_subject_length} caractères.",
                    en=f"The subject must be at least {policy.min_subject_length} characters long.",
                ),
            )
        )
    if not record.policy_area:
        if RecordField.POLICY_AREA in required:
            found.append(_missing("policy_area", "le domaine d'action publique", "the policy area"))
    elif policy.policy_area(record.policy_area) is None:
        found.append(
            Violation(
                code="policy_area_unknown",
                field="policy_area",
                message=Message(
                    fr=f"Le domaine « {record.policy_area} » ne figure pas dans la liste de la "
                    "collectivité.",
                    en=f'The policy area "{record.policy_area}" is not in the authority\'s list.',
                ),
            )
        )
    if record.format is None and RecordField.FORMAT in required:
        found.append(_missing("format", "le format de la rencontre", "the format of the meeting"))
    if record.initiative is None and RecordField.INITIATIVE in required:
        found.append(
            _missing("initiative", "qui a demandé la rencontre", "who asked for the meeting")
        )
    return found


def _representative_violations(record: CollegialityRecord, policy: Policy) -> list[Violation]:
    found: list[Violation] = []
    if not record.representatives:
        found.append(
            Violation(
                code="representative_missing",
                field="representatives",
                message=Message(
                    fr="Indiquez au moins un représentant d'intérêts présent.",
                    en="Name at least one interest representative who attended.",
                ),
            )
        )
    ids = [presence.representative_id for presence in record.representatives]
    if len(set(ids)) != len(ids):
        found.append(
            Violation(
                code="representative_repeated",
                field="representatives",
                message=Message(
                    fr="Une même organisation est indiquée plusieurs fois.",
                    en="The same organisation is listed more than once.",
                ),
            )
        )
    if policy.require_representative_names:
        unnamed = sum(
            1
            for presence in record.representatives
            if not [name for name in presence.people if name.strip()]
        )
        if unnamed:
            found.append(
                Violation(
                    code="representative_people_missing",
                    field="representatives",
                    message=Message(
                        fr=f"Donnez le nom des personnes présentes pour {unnamed} organisation(s).",
                        en=f"Give the names of the people present for {unnamed} organisation(s).",
                    ),
                )
            )
    return found


def _missing(field: str, what_fr: str, what_en: str) -> Violation:
    return Violation(
        code=f"{field}_missing",
        field=field,
        message=Message(fr=f"Indiquez {what_fr}.", en=f"Give {what_en}."),
    )
