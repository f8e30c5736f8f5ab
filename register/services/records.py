"""Staff editing a meeting before publication: the collegiality record, the classification, the
exemption, and the organisation picker of the record's form.

The form keeps what was typed as typed (strings), so a refused form is shown again exactly as it
was; parsing it reports every input error and every gap against the authority's policy at once.
A draft is saved even when incomplete (staff complete it over time); a record that fails to parse
is never saved. Published meetings change only through a public correction
(`register.services.publication.correct`).
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from uuid import UUID

from pydantic import BaseModel, Field

from register.domain.classification import Classification, Reason
from register.domain.collegiality import (
    CollegialityRecord,
    OtherAttendee,
    RepresentativePresence,
    Violation,
)
from register.domain.kinds import (
    ClassificationKind,
    Decider,
    Initiative,
    LegalGround,
    MeetingFormat,
    PublicationState,
)
from register.domain.meeting import Meeting
from register.domain.normalise import normalise
from register.domain.policy import Policy
from register.domain.readiness import publication_violations
from register.domain.representative import InterestRepresentative
from register.domain.staff import AuditEvent
from register.domain.text import Message
from register.store.repositories.audit import record_event
from register.store.repositories.authorities import get_authority
from register.store.repositories.directory import find_by_identifier, kept_records
from register.store.repositories.errors import ConflictError, NotFoundError
from register.store.repositories.meetings import get_meeting, update_meeting
from register.store.repositories.officials import list_officials, officials_by_id
from register.store.repositories.representatives import (
    directory_version,
    list_representatives,
    representatives_by_id,
)
from register.store.transaction import current_engine, writing

if TYPE_CHECKING:
    from register.services.publication import Actor

MAX_NAME = 200
"""Roles, attendees' and representatives' names (the domain's limit)."""
MAX_SUBJECT = 1000
MAX_POLICY_AREA = 60
MAX_LINK = 2000

EDITABLE = frozenset({PublicationState.DRAFT, PublicationState.READY})
"""States in which staff edit a meeting directly; published ones are corrected publicly."""


class RefusedError(Exception):
    """An action staff may not take now; `refusals` gives every reason, in French and English."""

    def __init__(self, refusals: tuple[Message, ...]) -> None:
        super().__init__("; ".join(message.en for message in refusals))
        self.refusals = refusals


class EditRefusedError(RefusedError):
    """The meeting cannot be edited this way in its publication state."""


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


@dataclass(frozen=True)
class SaveOutcome:
    """What saving a record did: the meeting as it now is (unchanged when not saved), whether it
    was saved, the input errors that stopped it, and what it still lacks for publication."""

    meeting: Meeting
    saved: bool
    input_errors: tuple[Violation, ...] = ()
    violations: tuple[Violation, ...] = ()


_PUBLISHED_EDIT = Message(
    fr="Une rencontre publiée ne se modifie que par une correction publique, avec sa raison.",
    en="A published meeting is changed only through a public correction, with its reason.",
)
_WITHDRAWN_EDIT = Message(
    fr="Une rencontre retirée ne peut plus être modifiée.",
    en="A withdrawn meeting can no longer be changed.",
)


async def _editable(
    meeting_id: UUID, lock_version: int, published_refusal: Message
) -> tuple[Meeting, Policy]:
    """The meeting, if `lock_version` is still current and it is a draft or ready; its policy."""
    meeting = await get_meeting(meeting_id)
    if meeting is None:
        raise NotFoundError(f"no meeting {meeting_id}")
    if meeting.lock_version != lock_version:
        raise ConflictError(f"meeting {meeting_id} was changed by someone else")
    if meeting.publication_state is PublicationState.WITHDRAWN:
        raise EditRefusedError((_WITHDRAWN_EDIT,))
    if meeting.publication_state not in EDITABLE:
        raise EditRefusedError((published_refusal,))
    authority = await get_authority(meeting.authority_id)
    if authority is None:
        raise NotFoundError(f"no authority {meeting.authority_id}")
    return meeting.model_copy(update={"lock_version": lock_version}), authority.policy


def _state_after_edit(meeting: Meeting, policy: Policy) -> PublicationState:
    """A meeting marked ready that no longer could be goes back to draft."""
    if meeting.publication_state is PublicationState.READY and publication_violations(
        meeting, policy
    ):
        return PublicationState.DRAFT
    return meeting.publication_state


async def _save(
    before: Meeting,
    after: Meeting,
    changes: dict[str, Any],
    *,
    action: str,
    actor: "Actor",
    now: datetime,
) -> Meeting:
    if after.publication_state is not before.publication_state:
        changes["publication_state"] = [
            before.publication_state.value,
            after.publication_state.value,
        ]
    saved = await update_meeting(after)
    await record_event(
        AuditEvent(
            at=now,
            actor=actor.label,
            user_id=actor.user_id,
            action=action,
            entity="meeting",
            entity_id=str(before.id),
            changes=changes,
        )
    )
    return saved


async def save_record(
    meeting_id: UUID, form: RecordForm, *, lock_version: int, actor: "Actor", now: datetime
) -> SaveOutcome:
    """Save the record of a draft or ready meeting, complete or not; a form with input errors
    saves nothing. A ready meeting whose record no longer passes goes back to draft.

    Raises ConflictError when `lock_version` is stale, EditRefusedError for a published or
    withdrawn meeting, NotFoundError for an unknown one.
    """
    async with writing():
        meeting, policy = await _editable(meeting_id, lock_version, _PUBLISHED_EDIT)
        checked = await check_form(meeting, form, policy)
        if checked.input_errors:
            return SaveOutcome(meeting, False, checked.input_errors, checked.violations)
        edited = meeting.model_copy(update={"record": checked.record})
        edited = edited.model_copy(update={"publication_state": _state_after_edit(edited, policy)})
        changes = record_changes(meeting.record, checked.record)
        if not changes and edited.publication_state is meeting.publication_state:
            return SaveOutcome(meeting, True, (), checked.violations)
        saved = await _save(
            meeting, edited, changes, action="meeting.edit_record", actor=actor, now=now
        )
    return SaveOutcome(saved, True, (), checked.violations)


STAFF_DECISION = "staff_decision"
"""The rule name of the reason recording a staff decision on the classification."""


async def decide_classification(
    meeting_id: UUID,
    kind: ClassificationKind,
    *,
    lock_version: int,
    actor: "Actor",
    now: datetime,
) -> Meeting:
    """Confirm or change a draft or ready meeting's classification as staff: the decision
    sticks through resyncs and directory changes (both reclassify only what a rule decided).
    The classifier's evidence is kept, with a reason saying staff decided."""
    async with writing():
        meeting, policy = await _editable(
            meeting_id,
            lock_version,
            Message(
                fr="La classification d'une rencontre publiée ne peut plus changer.",
                en="The classification of a published meeting can no longer change.",
            ),
        )
        current = meeting.classification
        if current.kind is kind and current.decided_by is Decider.STAFF:
            return meeting
        decision = Reason(
            rule=STAFF_DECISION,
            explanation=Message(
                fr="Classification décidée par les services de la collectivité.",
                en="Classification decided by the authority's staff.",
            ),
        )
        classification = Classification(
            kind=kind,
            confidence=1.0,
            reasons=(*(r for r in current.reasons if r.rule != STAFF_DECISION), decision),
            representative_ids=current.representative_ids,
            decided_by=Decider.STAFF,
        )
        edited = meeting.model_copy(update={"classification": classification})
        edited = edited.model_copy(update={"publication_state": _state_after_edit(edited, policy)})
        changes: dict[str, Any] = {}
        if current.kind is not kind:
            changes["classification_kind"] = [current.kind.value, kind.value]
        if current.decided_by is not Decider.STAFF:
            changes["classification_decided_by"] = [current.decided_by.value, Decider.STAFF.value]
        return await _save(
            meeting, edited, changes, action="meeting.classify", actor=actor, now=now
        )


async def set_exemption(
    meeting_id: UUID,
    ground: LegalGround | None,
    *,
    lock_version: int,
    actor: "Actor",
    now: datetime,
) -> Meeting:
    """Keep a draft or ready meeting unpublished on a legal ground (the public sees only counts
    per ground), or lift the exemption with None. An exempted meeting marked ready goes back
    to draft: it is not to be published."""
    async with writing():
        meeting, _ = await _editable(
            meeting_id,
            lock_version,
            Message(
                fr="Une rencontre publiée ne peut pas être exemptée : retirez-la, avec son "
                "motif légal.",
                en="A published meeting cannot be exempted: withdraw it, with its legal ground.",
            ),
        )
        if meeting.exemption_ground is ground:
            return meeting
        state = meeting.publication_state
        edited = meeting.model_copy(
            update={
                "exemption_ground": ground,
                "publication_state": PublicationState.DRAFT if ground else state,
            }
        )
        before = meeting.exemption_ground
        changes: dict[str, Any] = {
            "exemption_ground": [before.value if before else None, ground.value if ground else None]
        }
        action = "meeting.exempt" if ground else "meeting.lift_exemption"
        return await _save(meeting, edited, changes, action=action, actor=actor, now=now)


@dataclass(frozen=True)
class _Searchable:
    kept: InterestRepresentative
    names: tuple[str, ...]
    acronym: str


_INDEX: dict[int, tuple[tuple[int, str], list[_Searchable]]] = {}


async def _search_index() -> list[_Searchable]:
    """Every organisation's names, normalised, with the organisation each resolves to; rebuilt
    only when the directory changed (it may hold tens of thousands of organisations)."""
    engine_key, version = id(current_engine()), await directory_version()
    cached = _INDEX.get(engine_key)
    if cached is not None and cached[0] == version:
        return cached[1]
    everyone = await list_representatives()
    kept = await kept_records(everyone)
    index = [
        _Searchable(
            kept=kept[rep.id],
            names=tuple(dict.fromkeys(n for n in map(normalise, (rep.name, *rep.aliases)) if n)),
            acronym=normalise(rep.acronym or "").replace(" ", ""),
        )
        for rep in everyone
    ]
    _INDEX[engine_key] = (version, index)
    return index


def _score(entry: _Searchable, query: str, words: list[str]) -> int | None:
    """How well `entry` matches (lower is better), or None."""
    compact = query.replace(" ", "")
    if entry.acronym and entry.acronym == compact:
        return 0
    best: int | None = None
    for name in entry.names:
        if name == query:
            return 0
        name_words = name.split()
        if name.startswith(query):
            score = 1
        elif all(any(w.startswith(word) for w in name_words) for word in words):
            score = 2
        elif query in name:
            score = 3
        else:
            continue
        best = score if best is None else min(best, score)
    if best is None and entry.acronym and len(compact) > 1 and entry.acronym.startswith(compact):
        best = 2
    return best


async def search_organisations(text: str, *, limit: int = 20) -> list[InterestRepresentative]:
    """Organisations for the record form's picker, best matches first: by HATVP id, SIREN, RNA
    or EU register id (exactly, spaces ignored), or by name, alias or acronym, whatever the case
    and accents. A merged duplicate is found under the organisation it was merged into."""
    query = normalise(text)
    if not query or limit <= 0:
        return []
    ranked: dict[UUID, tuple[int, str, InterestRepresentative]] = {}
    compact = "".join(text.split())
    if any(c.isdigit() for c in compact):
        holders = await find_by_identifier(compact)
        for rep in (await kept_records(holders)).values():
            ranked[rep.id] = (-1, normalise(rep.name), rep)
    words = query.split()
    for entry in await _search_index():
        score = _score(entry, query, words)
        if score is None:
            continue
        rep = entry.kept
        key = (score, normalise(rep.name), rep)
        if rep.id not in ranked or key[:2] < ranked[rep.id][:2]:
            ranked[rep.id] = key
    best = sorted(ranked.values(), key=lambda found: (found[0], found[1], found[2].id))
    return [rep for _, _, rep in best[:limit]]
