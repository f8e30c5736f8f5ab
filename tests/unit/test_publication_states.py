"""The publication state machine: draft → ready → published → corrected / withdrawn."""

import itertools

import pytest

from register.domain.collegiality import Violation
from register.domain.kinds import LegalGround, PublicationState
from register.domain.publication import (
    Decision,
    PublicationAction,
    TransitionRequest,
    decide,
    is_public,
)
from register.domain.text import Message

S = PublicationState
A = PublicationAction

# The whole transition table, written out independently of the module's own tables.
EXPECTED_AFTER: dict[tuple[PublicationState, PublicationAction], PublicationState] = {
    (S.DRAFT, A.MARK_READY): S.READY,
    (S.READY, A.REOPEN): S.DRAFT,
    (S.READY, A.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, A.CORRECT): S.CORRECTED,
    (S.CORRECTED, A.CORRECT): S.CORRECTED,
    (S.PUBLISHED, A.WITHDRAW): S.WITHDRAWN,
    (S.CORRECTED, A.WITHDRAW): S.WITHDRAWN,
}

STATE_NAMES: dict[PublicationState, tuple[str, str]] = {
    S.DRAFT: ("brouillon", "draft"),
    S.READY: ("prête à publier", "ready"),
    S.PUBLISHED: ("publiée", "published"),
    S.CORRECTED: ("corrigée", "corrected"),
    S.WITHDRAWN: ("retirée", "withdrawn"),
}

WRONG_STATE: dict[PublicationAction, tuple[str, str]] = {
    A.MARK_READY: (
        "Seule une rencontre en brouillon peut être marquée prête à publier.",
        "Only a draft meeting can be marked ready.",
    ),
    A.REOPEN: (
        "Seule une rencontre prête à publier peut être remise en brouillon.",
        "Only a meeting marked ready can be reopened as a draft.",
    ),
    A.PUBLISH: (
        "Seule une rencontre prête à publier peut être publiée.",
        "Only a meeting marked ready can be published.",
    ),
    A.CORRECT: (
        "Seule une rencontre publiée peut être corrigée.",
        "Only a published meeting can be corrected.",
    ),
    A.WITHDRAW: (
        "Seule une rencontre publiée peut être retirée.",
        "Only a published meeting can be withdrawn.",
    ),
}

ALL_PAIRS = list(itertools.product(PublicationState, PublicationAction))
ALLOWED_PAIRS = [pair for pair in ALL_PAIRS if pair in EXPECTED_AFTER]
REFUSED_PAIRS = [pair for pair in ALL_PAIRS if pair not in EXPECTED_AFTER]

REASON_MISSING = Message(
    fr="Une raison publique est obligatoire pour corriger ou retirer une publication.",
    en="A public reason is required to correct or withdraw a publication.",
)
GROUND_MISSING = Message(
    fr="Le motif légal du retrait est obligatoire.",
    en="The legal ground for the withdrawal is required.",
)


def complete_request(action: PublicationAction, **overrides: object) -> TransitionRequest:
    """A request with everything any action may need: a reason, a legal ground, no violations."""
    fields: dict[str, object] = {
        "action": action,
        "reason": "La date de la rencontre était erronée.",
        "legal_ground": LegalGround.PRIVACY,
    }
    fields.update(overrides)
    return TransitionRequest.model_validate(fields)


def violation(code: str, fr: str, en: str) -> Violation:
    return Violation(code=code, field="subject", message=Message(fr=fr, en=en))


SUBJECT_MISSING = violation("subject_missing", "Indiquez l'objet.", "Give the subject.")
AREA_MISSING = violation("policy_area_missing", "Indiquez le domaine.", "Give the policy area.")


def test_every_state_action_pair_is_covered_by_the_table() -> None:
    assert len(ALL_PAIRS) == 25
    assert len(ALLOWED_PAIRS) == 7
    assert len(REFUSED_PAIRS) == 18


@pytest.mark.parametrize(("state", "action"), ALLOWED_PAIRS)
def test_allowed_transition_reaches_its_state(
    state: PublicationState, action: PublicationAction
) -> None:
    decision = decide(state, complete_request(action))

    assert decision == Decision(
        before=state, action=action, after=EXPECTED_AFTER[(state, action)], refusals=()
    )
    assert decision.allowed is True


@pytest.mark.parametrize(("state", "action"), REFUSED_PAIRS)
def test_transition_from_wrong_state_is_refused_naming_the_current_state(
    state: PublicationState, action: PublicationAction
) -> None:
    decision = decide(state, complete_request(action))

    fr_state, en_state = STATE_NAMES[state]
    fr_rule, en_rule = WRONG_STATE[action]
    assert decision.before is state
    assert decision.action is action
    assert decision.after is None
    assert decision.allowed is False
    assert decision.refusals == (
        Message(
            fr=f"{fr_rule} Elle est actuellement : {fr_state}.",
            en=f"{en_rule} It is currently {en_state}.",
        ),
    )


def test_wrong_state_message_for_publishing_a_draft_reads_naturally() -> None:
    decision = decide(S.DRAFT, complete_request(A.PUBLISH))

    assert decision.refusals[0].fr == (
        "Seule une rencontre prête à publier peut être publiée. Elle est actuellement : brouillon."
    )
    assert decision.refusals[0].en == (
        "Only a meeting marked ready can be published. It is currently draft."
    )


@pytest.mark.parametrize(
    ("state", "action"),
    [(S.DRAFT, A.MARK_READY), (S.READY, A.PUBLISH), (S.PUBLISHED, A.CORRECT)],
)
def test_action_needing_a_complete_record_is_refused_with_every_violation(
    state: PublicationState, action: PublicationAction
) -> None:
    request = complete_request(action, violations=(SUBJECT_MISSING, AREA_MISSING))

    decision = decide(state, request)

    assert decision.after is None
    assert decision.refusals == (
        Message(
            fr="Le relevé de collégialité est incomplet (2 point(s) à corriger).",
            en="The collegiality record is incomplete (2 problem(s) to fix).",
        ),
        Message(fr="Indiquez l'objet.", en="Give the subject."),
        Message(fr="Indiquez le domaine.", en="Give the policy area."),
    )


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        (S.READY, A.REOPEN, S.DRAFT),
        (S.PUBLISHED, A.WITHDRAW, S.WITHDRAWN),
        (S.CORRECTED, A.WITHDRAW, S.WITHDRAWN),
    ],
)
def test_reopen_and_withdraw_do_not_need_a_complete_record(
    state: PublicationState, action: PublicationAction, after: PublicationState
) -> None:
    request = complete_request(action, violations=(SUBJECT_MISSING,))

    assert decide(state, request).after is after


@pytest.mark.parametrize("action", [A.CORRECT, A.WITHDRAW])
@pytest.mark.parametrize("reason", [None, "", "   ", "\t\n "])
def test_correct_and_withdraw_need_a_public_reason(
    action: PublicationAction, reason: str | None
) -> None:
    decision = decide(S.PUBLISHED, complete_request(action, reason=reason))

    assert decision.after is None
    assert decision.refusals == (REASON_MISSING,)


@pytest.mark.parametrize("action", [A.MARK_READY, A.PUBLISH, A.REOPEN])
def test_actions_before_publication_need_no_reason(action: PublicationAction) -> None:
    state = S.DRAFT if action is A.MARK_READY else S.READY

    decision = decide(state, TransitionRequest(action=action))

    assert decision.allowed is True
    assert decision.refusals == ()


def test_withdraw_needs_a_legal_ground() -> None:
    decision = decide(S.PUBLISHED, complete_request(A.WITHDRAW, legal_ground=None))

    assert decision.after is None
    assert decision.refusals == (GROUND_MISSING,)


def test_correct_needs_no_legal_ground() -> None:
    decision = decide(S.CORRECTED, complete_request(A.CORRECT, legal_ground=None))

    assert decision.after is S.CORRECTED


@pytest.mark.parametrize("ground", list(LegalGround))
def test_withdraw_accepts_every_legal_ground(ground: LegalGround) -> None:
    decision = decide(S.PUBLISHED, complete_request(A.WITHDRAW, legal_ground=ground))

    assert decision.after is S.WITHDRAWN


def test_withdraw_from_draft_without_reason_or_ground_reports_all_three_refusals() -> None:
    decision = decide(S.DRAFT, TransitionRequest(action=A.WITHDRAW))

    assert decision.after is None
    assert decision.refusals == (
        Message(
            fr="Seule une rencontre publiée peut être retirée. Elle est actuellement : brouillon.",
            en="Only a published meeting can be withdrawn. It is currently draft.",
        ),
        REASON_MISSING,
        GROUND_MISSING,
    )


def test_publish_from_draft_with_violations_reports_state_and_record_problems() -> None:
    request = TransitionRequest(action=A.PUBLISH, violations=(SUBJECT_MISSING, AREA_MISSING))

    decision = decide(S.DRAFT, request)

    assert [message.en for message in decision.refusals] == [
        "Only a meeting marked ready can be published. It is currently draft.",
        "The collegiality record is incomplete (2 problem(s) to fix).",
        "Give the subject.",
        "Give the policy area.",
    ]


def test_correct_of_withdrawn_meeting_with_violations_and_no_reason_reports_everything() -> None:
    request = TransitionRequest(action=A.CORRECT, reason=" ", violations=(SUBJECT_MISSING,))

    decision = decide(S.WITHDRAWN, request)

    assert [message.fr for message in decision.refusals] == [
        "Seule une rencontre publiée peut être corrigée. Elle est actuellement : retirée.",
        "Le relevé de collégialité est incomplet (1 point(s) à corriger).",
        "Indiquez l'objet.",
        "Une raison publique est obligatoire pour corriger ou retirer une publication.",
    ]


def test_request_accepts_action_given_as_its_public_value() -> None:
    request = TransitionRequest.model_validate(
        {"action": "withdraw", "reason": "Erreur", "legal_ground": "security"}
    )

    decision = decide(S.PUBLISHED, request)

    assert decision.after is S.WITHDRAWN


@pytest.mark.parametrize(
    ("state", "public"),
    [
        (S.DRAFT, False),
        (S.READY, False),
        (S.PUBLISHED, True),
        (S.CORRECTED, True),
        (S.WITHDRAWN, True),
    ],
)
def test_is_public_for_each_state(state: PublicationState, public: bool) -> None:
    assert is_public(state) is public
