"""Moving meetings through the publication states, and writing the public log as they go.

Every publish, correction and withdrawal appends one entry to the hash-chained log in the same
transaction as the meeting's new state, so the log and the meetings never disagree. The actions
the back office offers (`publish`, `correct`, `withdraw`) check the lock version the editor's page
was drawn from, so two editors never overwrite each other silently.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from register.domain.authority import Authority
from register.domain.collegiality import Violation
from register.domain.kinds import LegalGround, LogAction, PublicationState
from register.domain.meeting import Meeting
from register.domain.public_record import public_record
from register.domain.publication import Decision, PublicationAction, TransitionRequest, decide
from register.domain.readiness import publication_violations
from register.domain.staff import AuditEvent
from register.domain.text import Message
from register.services.record_form import RecordForm, check_form, record_changes
from register.services.records import RefusedError
from register.store.repositories.audit import record_event
from register.store.repositories.authorities import get_authority
from register.store.repositories.errors import ConflictError, NotFoundError
from register.store.repositories.meetings import get_meeting, update_meeting
from register.store.repositories.officials import officials_by_id
from register.store.repositories.public_register import save_public_version
from register.store.repositories.publication_log import append_entry, entries_for_meeting
from register.store.repositories.representatives import representatives_by_id
from register.store.transaction import writing

_LOGGED: dict[PublicationAction, LogAction] = {
    PublicationAction.PUBLISH: LogAction.PUBLISH,
    PublicationAction.CORRECT: LogAction.CORRECT,
    PublicationAction.WITHDRAW: LogAction.WITHDRAW,
}


class ActionRefusedError(RefusedError):
    """The action is not allowed; `decision.refusals` (also `refusals`) says every reason, in
    French and English. A refused correction also gives its form's `input_errors` and the
    record's `violations`, field by field, for the form to show them."""

    def __init__(
        self,
        decision: Decision,
        *,
        input_errors: tuple[Violation, ...] = (),
        violations: tuple[Violation, ...] = (),
    ) -> None:
        super().__init__(decision.refusals)
        self.decision = decision
        self.input_errors = input_errors
        self.violations = violations


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff user, or a named system process (the demo, an import)."""

    label: str
    user_id: UUID | None = None


async def _load(meeting_id: UUID, lock_version: int | None) -> tuple[Meeting, Authority]:
    """The meeting and its authority; ConflictError when `lock_version` (if given) is stale."""
    meeting = await get_meeting(meeting_id)
    if meeting is None:
        raise NotFoundError(f"no meeting {meeting_id}")
    if lock_version is not None and meeting.lock_version != lock_version:
        raise ConflictError(f"meeting {meeting_id} was changed by someone else")
    authority = await get_authority(meeting.authority_id)
    if authority is None:
        raise NotFoundError(f"no authority {meeting.authority_id}")
    return meeting, authority


def _violations(
    meeting: Meeting, authority: Authority, action: PublicationAction
) -> tuple[Violation, ...]:
    if action is PublicationAction.WITHDRAW:
        return ()
    return publication_violations(meeting, authority.policy)


async def _carry_out(
    meeting: Meeting,
    authority: Authority,
    action: PublicationAction,
    after: PublicationState,
    *,
    actor: Actor,
    reason: str | None,
    legal_ground: LegalGround | None,
    moment: datetime,
    before: PublicationState | None = None,
    changes: dict[str, Any] | None = None,
) -> Meeting:
    """Write an allowed transition of `meeting` (as it is to be published): its new state, the
    log entry of a public action, and the audit event (`changes` adds the record's changes)."""
    updates: dict[str, Any] = {"publication_state": after}
    log_action = _LOGGED.get(action)
    if log_action is not None:
        version = meeting.published_version + 1
        if action is PublicationAction.WITHDRAW:
            payload = await _last_published_payload(meeting.id)
        else:
            officials = await officials_by_id(
                [meeting.official_id, *meeting.record.officials_present]
            )
            representatives = await representatives_by_id(
                p.representative_id for p in meeting.record.representatives
            )
            payload = public_record(meeting, authority, officials, representatives).payload()
        payload["publication"] = {
            "version": version,
            "state": after.value,
            "reason": reason.strip() if reason else None,
            "legal_ground": legal_ground.value if legal_ground else None,
        }
        entry = await append_entry(
            meeting_id=meeting.id,
            version=version,
            action=log_action,
            recorded_at=moment,
            payload=payload,
            actor_id=actor.user_id,
        )
        await save_public_version(
            entry, payload, first_published_at=meeting.first_published_at or moment
        )
        updates["published_version"] = version
        if meeting.first_published_at is None:
            updates["first_published_at"] = moment
    saved = await update_meeting(meeting.model_copy(update=updates))
    await record_event(
        AuditEvent(
            at=moment,
            actor=actor.label,
            user_id=actor.user_id,
            action=f"meeting.{action.value}",
            entity="meeting",
            entity_id=str(meeting.id),
            changes={
                **(changes or {}),
                "publication_state": [(before or meeting.publication_state).value, after.value],
                "reason": reason,
                "legal_ground": legal_ground.value if legal_ground else None,
            },
        )
    )
    return saved


async def _act(
    meeting_id: UUID,
    action: PublicationAction,
    *,
    actor: Actor,
    reason: str | None,
    legal_ground: LegalGround | None,
    moment: datetime,
    lock_version: int | None,
) -> Meeting:
    async with writing():
        meeting, authority = await _load(meeting_id, lock_version)
        decision = decide(
            meeting.publication_state,
            TransitionRequest(
                action=action,
                reason=reason,
                legal_ground=legal_ground,
                violations=_violations(meeting, authority, action),
            ),
        )
        if decision.after is None:
            raise ActionRefusedError(decision)
        return await _carry_out(
            meeting,
            authority,
            action,
            decision.after,
            actor=actor,
            reason=reason,
            legal_ground=legal_ground,
            moment=moment,
        )


async def apply_action(
    meeting_id: UUID,
    action: PublicationAction,
    *,
    actor: Actor,
    reason: str | None = None,
    legal_ground: LegalGround | None = None,
    now: datetime | None = None,
    lock_version: int | None = None,
) -> PublicationState:
    """Carry out `action` on a meeting and return its new state.

    Raises ActionRefusedError with every reason when the action is not allowed, and
    ConflictError when someone changed the meeting meanwhile: since `lock_version` (the version
    the caller read) when given, or during the action itself.
    """
    meeting = await _act(
        meeting_id,
        action,
        actor=actor,
        reason=reason,
        legal_ground=legal_ground,
        moment=now or datetime.now(UTC),
        lock_version=lock_version,
    )
    return meeting.publication_state


def _exempted(ground: LegalGround) -> Message:
    return Message(
        fr=f"Cette rencontre est gardée non publiée (motif : {ground.value}) : levez d'abord "
        "l'exemption.",
        en=f"This meeting is kept unpublished (ground: {ground.value}): lift the exemption first.",
    )


async def publish(meeting_id: UUID, *, lock_version: int, actor: Actor, now: datetime) -> Meeting:
    """Publish a draft or ready meeting in one step (a draft is marked ready on the way, in the
    same transaction). Refused with every reason at once: an incomplete record, an exemption,
    a meeting already published or withdrawn; ConflictError when `lock_version` is stale."""
    async with writing():
        meeting, authority = await _load(meeting_id, lock_version)
        violations = _violations(meeting, authority, PublicationAction.PUBLISH)
        state = meeting.publication_state
        steps = (
            (PublicationAction.MARK_READY, PublicationAction.PUBLISH)
            if state is PublicationState.DRAFT
            else (PublicationAction.PUBLISH,)
        )
        # The first step's check says everything: the second only follows from a ready state.
        first = decide(state, TransitionRequest(action=steps[0], violations=violations))
        refusals = list(first.refusals)
        if meeting.exemption_ground is not None:
            refusals.append(_exempted(meeting.exemption_ground))
        if refusals:
            raise ActionRefusedError(
                Decision(
                    before=state,
                    action=PublicationAction.PUBLISH,
                    after=None,
                    refusals=tuple(refusals),
                ),
                violations=violations,
            )
        current = meeting
        for action in steps:
            decision = decide(
                current.publication_state, TransitionRequest(action=action, violations=violations)
            )
            if decision.after is None:  # pragma: no cover - the first check covers both steps
                raise ActionRefusedError(decision, violations=violations)
            current = await _carry_out(
                current,
                authority,
                action,
                decision.after,
                actor=actor,
                reason=None,
                legal_ground=None,
                moment=now,
            )
    return current


async def correct(
    meeting_id: UUID,
    form: RecordForm,
    *,
    lock_version: int,
    reason: str | None,
    actor: Actor,
    now: datetime,
) -> Meeting:
    """Publish a correction of a published (or already corrected) meeting: the edited record is
    saved and its new public version appended to the log, in one transaction, with the public
    `reason`. A correction may change nothing in the record (to publish what the calendar now
    says: a new time, a cancellation).

    Refused with every reason (input errors, the record's gaps, a missing reason, the wrong
    state), writing nothing; ConflictError when `lock_version` is stale.
    """
    async with writing():
        meeting, authority = await _load(meeting_id, lock_version)
        checked = await check_form(meeting, form, authority.policy)
        decision = decide(
            meeting.publication_state,
            TransitionRequest(
                action=PublicationAction.CORRECT, reason=reason, violations=checked.violations
            ),
        )
        if decision.after is None or checked.input_errors:
            refusals = (*decision.refusals, *(e.message for e in checked.input_errors))
            raise ActionRefusedError(
                decision.model_copy(update={"after": None, "refusals": refusals}),
                input_errors=checked.input_errors,
                violations=checked.violations,
            )
        return await _carry_out(
            meeting.model_copy(update={"record": checked.record}),
            authority,
            PublicationAction.CORRECT,
            decision.after,
            actor=actor,
            reason=reason,
            legal_ground=None,
            moment=now,
            changes=record_changes(meeting.record, checked.record),
        )


async def withdraw(
    meeting_id: UUID,
    *,
    lock_version: int,
    reason: str | None,
    legal_ground: LegalGround | None,
    actor: Actor,
    now: datetime,
) -> Meeting:
    """Withdraw a published meeting from the register: the withdrawal, with its public reason
    and legal ground (both required), is itself a public version. Refused with every reason;
    ConflictError when `lock_version` is stale."""
    return await _act(
        meeting_id,
        PublicationAction.WITHDRAW,
        actor=actor,
        reason=reason,
        legal_ground=legal_ground,
        moment=now,
        lock_version=lock_version,
    )


async def _last_published_payload(meeting_id: UUID) -> dict[str, Any]:
    entries = await entries_for_meeting(meeting_id)
    if not entries:
        raise ActionRefusedError(
            Decision(
                before=PublicationState.PUBLISHED,
                action=PublicationAction.WITHDRAW,
                after=None,
                refusals=(
                    Message(
                        fr="Aucune version publiée à retirer.",
                        en="There is no published version to withdraw.",
                    ),
                ),
            )
        )
    payload: dict[str, Any] = json.loads(entries[-1].body)["payload"]
    return payload
