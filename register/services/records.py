"""Staff editing a meeting before publication: the collegiality record, the classification and
the exemption.

A draft is saved even when incomplete (staff complete it over time); a record that fails to parse
(`register.services.record_form`) is never saved. Published meetings change only through a public
correction (`register.services.publication.correct`).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from register.domain.classification import Classification, Reason
from register.domain.collegiality import (
    Violation,
)
from register.domain.kinds import (
    ClassificationKind,
    Decider,
    LegalGround,
    PublicationState,
)
from register.domain.meeting import Meeting
from register.domain.policy import Policy
from register.domain.readiness import publication_violations
from register.domain.staff import AuditEvent
from register.domain.text import Message
from register.store.repositories.audit import record_event
from register.store.repositories.authorities import get_authority
from register.store.repositories.errors import ConflictError, NotFoundError
from register.store.repositories.meetings import get_meeting, update_meeting
from register.store.transaction import writing

if TYPE_CHECKING:
    from register.services.publication import Actor

from register.services.record_form import RecordForm, check_form, record_changes

EDITABLE = frozenset({PublicationState.DRAFT, PublicationState.READY})
"""States in which staff edit a meeting directly; published ones are corrected publicly."""


class RefusedError(Exception):
    """An action staff may not take now; `refusals` gives every reason, in French and English."""

    def __init__(self, refusals: tuple[Message, ...]) -> None:
        super().__init__("; ".join(message.en for message in refusals))
        self.refusals = refusals


class EditRefusedError(RefusedError):
    """The meeting cannot be edited this way in its publication state."""


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
