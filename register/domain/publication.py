"""The publication state machine: draft → ready → published → corrected / withdrawn.

A published record is never edited in place: a change becomes a correction (a new public version
with its reason) and a retraction becomes a withdrawal that itself stays public.
"""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from register.domain.collegiality import Violation
from register.domain.kinds import LegalGround, PublicationState
from register.domain.text import Message


class PublicationAction(StrEnum):
    MARK_READY = "mark_ready"
    REOPEN = "reopen"
    PUBLISH = "publish"
    CORRECT = "correct"
    WITHDRAW = "withdraw"


ALLOWED: dict[PublicationAction, frozenset[PublicationState]] = {
    PublicationAction.MARK_READY: frozenset({PublicationState.DRAFT}),
    PublicationAction.REOPEN: frozenset({PublicationState.READY}),
    PublicationAction.PUBLISH: frozenset({PublicationState.READY}),
    PublicationAction.CORRECT: frozenset({PublicationState.PUBLISHED, PublicationState.CORRECTED}),
    PublicationAction.WITHDRAW: frozenset({PublicationState.PUBLISHED, PublicationState.CORRECTED}),
}
"""From which states each action may be taken."""

RESULT: dict[PublicationAction, PublicationState] = {
    PublicationAction.MARK_READY: PublicationState.READY,
    PublicationAction.REOPEN: PublicationState.DRAFT,
    PublicationAction.PUBLISH: PublicationState.PUBLISHED,
    PublicationAction.CORRECT: PublicationState.CORRECTED,
    PublicationAction.WITHDRAW: PublicationState.WITHDRAWN,
}

# Actions whose outcome is public and so needs a complete record.
_NEEDS_COMPLETE_RECORD = frozenset(
    {PublicationAction.MARK_READY, PublicationAction.PUBLISH, PublicationAction.CORRECT}
)

_STATE_NAMES: dict[PublicationState, tuple[str, str]] = {
    PublicationState.DRAFT: ("brouillon", "draft"),
    PublicationState.READY: ("prête à publier", "ready"),
    PublicationState.PUBLISHED: ("publiée", "published"),
    PublicationState.CORRECTED: ("corrigée", "corrected"),
    PublicationState.WITHDRAWN: ("retirée", "withdrawn"),
}

_WRONG_STATE: dict[PublicationAction, Message] = {
    PublicationAction.MARK_READY: Message(
        fr="Seule une rencontre en brouillon peut être marquée prête à publier.",
        en="Only a draft meeting can be marked ready.",
    ),
    PublicationAction.REOPEN: Message(
        fr="Seule une rencontre prête à publier peut être remise en brouillon.",
        en="Only a meeting marked ready can be reopened as a draft.",
    ),
    PublicationAction.PUBLISH: Message(
        fr="Seule une rencontre prête à publier peut être publiée.",
        en="Only a meeting marked ready can be published.",
    ),
    PublicationAction.CORRECT: Message(
        fr="Seule une rencontre publiée peut être corrigée.",
        en="Only a published meeting can be corrected.",
    ),
    PublicationAction.WITHDRAW: Message(
        fr="Seule une rencontre publiée peut être retirée.",
        en="Only a published meeting can be withdrawn.",
    ),
}


class TransitionRequest(BaseModel):
    """An action on a meeting, with what it needs: a public reason for corrections and
    withdrawals, a legal ground for withdrawals, and the record's current violations."""

    model_config = ConfigDict(frozen=True)

    action: PublicationAction
    reason: str | None = None
    legal_ground: LegalGround | None = None
    violations: tuple[Violation, ...] = ()


class Decision(BaseModel):
    """The outcome of a request: the new state, or every reason it was refused."""

    model_config = ConfigDict(frozen=True)

    before: PublicationState
    action: PublicationAction
    after: PublicationState | None
    refusals: tuple[Message, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.after is not None


def decide(state: PublicationState, request: TransitionRequest) -> Decision:
    """Whether `request` may be carried out on a meeting in `state`, and with what result."""
    refusals: list[Message] = []
    action = request.action
    if state not in ALLOWED[action]:
        fr_name, en_name = _STATE_NAMES[state]
        wrong = _WRONG_STATE[action]
        refusals.append(
            Message(
                fr=f"{wrong.fr} Elle est actuellement : {fr_name}.",
                en=f"{wrong.en} It is currently {en_name}.",
            )
        )
    if action in _NEEDS_COMPLETE_RECORD and request.violations:
        refusals.append(
            Message(
                fr=f"Le relevé de collégialité est incomplet ({len(request.violations)} point(s) "
                "à corriger).",
                en=f"The collegiality record is incomplete ({len(request.violations)} "
                "problem(s) to fix).",
            )
        )
        refusals.extend(violation.message for violation in request.violations)
    if action in {PublicationAction.CORRECT, PublicationAction.WITHDRAW} and not (
        request.reason and request.reason.strip()
    ):
        refusals.append(
            Message(
                fr="Une raison publique est obligatoire pour corriger ou retirer une publication.",
                en="A public reason is required to correct or withdraw a publication.",
            )
        )
    if action is PublicationAction.WITHDRAW and request.legal_ground is None:
        refusals.append(
            Message(
                fr="Le motif légal du retrait est obligatoire.",
                en="The legal ground for the withdrawal is required.",
            )
        )
    if refusals:
        return Decision(before=state, action=action, after=None, refusals=tuple(refusals))
    return Decision(before=state, action=action, after=RESULT[action])


def is_public(state: PublicationState) -> bool:
    """Whether a meeting in `state` has a version in the public register."""
    return state in {
        PublicationState.PUBLISHED,
        PublicationState.CORRECTED,
        PublicationState.WITHDRAWN,
    }
