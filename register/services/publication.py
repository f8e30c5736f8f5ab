"""Moving meetings through the publication states, and writing the public log as they go.

Every publish, correction and withdrawal appends one entry to the hash-chained log in the same
transaction as the meeting's new state, so the log and the meetings never disagree.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from register.domain.kinds import LegalGround, LogAction, PublicationState
from register.domain.public_record import public_record
from register.domain.publication import Decision, PublicationAction, TransitionRequest, decide
from register.domain.readiness import publication_violations
from register.domain.staff import AuditEvent
from register.domain.text import Message
from register.store.repositories.audit import record_event
from register.store.repositories.authorities import get_authority
from register.store.repositories.errors import NotFoundError
from register.store.repositories.meetings import get_meeting, update_meeting
from register.store.repositories.officials import officials_by_id
from register.store.repositories.publication_log import append_entry, entries_for_meeting
from register.store.repositories.representatives import representatives_by_id
from register.store.transaction import writing

_LOGGED: dict[PublicationAction, LogAction] = {
    PublicationAction.PUBLISH: LogAction.PUBLISH,
    PublicationAction.CORRECT: LogAction.CORRECT,
    PublicationAction.WITHDRAW: LogAction.WITHDRAW,
}


class ActionRefusedError(Exception):
    """The action is not allowed; `decision.refusals` says every reason, in French and English."""

    def __init__(self, decision: Decision) -> None:
        super().__init__("; ".join(message.en for message in decision.refusals))
        self.decision = decision


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff user, or a named system process (the demo, an import)."""

    label: str
    user_id: UUID | None = None


async def apply_action(
    meeting_id: UUID,
    action: PublicationAction,
    *,
    actor: Actor,
    reason: str | None = None,
    legal_ground: LegalGround | None = None,
    now: datetime | None = None,
) -> PublicationState:
    """Carry out `action` on a meeting and return its new state.

    Raises ActionRefusedError with every reason when the action is not allowed, and
    ConflictError when someone changed the meeting meanwhile.
    """
    moment = now or datetime.now(UTC)
    async with writing():
        meeting = await get_meeting(meeting_id)
        if meeting is None:
            raise NotFoundError(f"no meeting {meeting_id}")
        authority = await get_authority(meeting.authority_id)
        if authority is None:
            raise NotFoundError(f"no authority {meeting.authority_id}")
        violations = (
            publication_violations(meeting, authority.policy)
            if action is not PublicationAction.WITHDRAW
            else ()
        )
        decision = decide(
            meeting.publication_state,
            TransitionRequest(
                action=action, reason=reason, legal_ground=legal_ground, violations=violations
            ),
        )
        if decision.after is None:
            raise ActionRefusedError(decision)
        updates: dict[str, Any] = {"publication_state": decision.after}
        log_action = _LOGGED.get(action)
        if log_action is not None:
            version = meeting.published_version + 1
            if action is PublicationAction.WITHDRAW:
                payload = await _last_published_payload(meeting_id)
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
                "state": decision.after.value,
                "reason": reason.strip() if reason else None,
                "legal_ground": legal_ground.value if legal_ground else None,
            }
            await append_entry(
                meeting_id=meeting_id,
                version=version,
                action=log_action,
                recorded_at=moment,
                payload=payload,
                actor_id=actor.user_id,
            )
            updates["published_version"] = version
            if meeting.first_published_at is None:
                updates["first_published_at"] = moment
        await update_meeting(meeting.model_copy(update=updates))
        await record_event(
            AuditEvent(
                at=moment,
                actor=actor.label,
                user_id=actor.user_id,
                action=f"meeting.{action.value}",
                entity="meeting",
                entity_id=str(meeting_id),
                changes={
                    "publication_state": [meeting.publication_state.value, decision.after.value],
                    "reason": reason,
                    "legal_ground": legal_ground.value if legal_ground else None,
                },
            )
        )
    return decision.after


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
