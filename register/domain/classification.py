"""The classifier's verdict on a calendar entry, with the evidence for it.

Reasons are structured (rule, field, matched text) so that staff see why an entry was flagged and
the public sees why a published meeting counts as one with an interest representative.
"""

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from register.domain.kinds import ClassificationKind, Decider
from register.domain.text import Message


class Reason(BaseModel):
    """One piece of evidence: which rule fired, on which field, on what text."""

    model_config = ConfigDict(frozen=True)

    rule: str = Field(min_length=1, max_length=80)
    field: str | None = None
    matched: str | None = None
    representative_id: UUID | None = None
    explanation: Message


class Classification(BaseModel):
    """Kind, confidence in [0, 1], reasons, and who decided; a staff decision sticks."""

    model_config = ConfigDict(frozen=True)

    kind: ClassificationKind
    confidence: float = Field(ge=0.0, le=1.0)
    reasons: tuple[Reason, ...] = ()
    representative_ids: tuple[UUID, ...] = ()
    decided_by: Decider = Decider.RULE

    @property
    def is_interest_meeting(self) -> bool:
        return self.kind is ClassificationKind.INTEREST_REPRESENTATIVE

    @property
    def is_publishable_kind(self) -> bool:
        """Only meetings with interest representatives go to the public register."""
        return self.is_interest_meeting


UNCLASSIFIED = Classification(kind=ClassificationKind.UNKNOWN, confidence=0.0)
