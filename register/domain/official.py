"""Officials (responsables publics): elected officials and cabinet staff or senior agents."""

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from register.domain.authority import SLUG_PATTERN
from register.domain.kinds import OfficialKind


class Official(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    authority_id: UUID
    slug: str = Field(pattern=SLUG_PATTERN, max_length=120)
    full_name: str = Field(min_length=1, max_length=200)
    kind: OfficialKind
    role: str = Field(min_length=1, max_length=200)
    portfolio: str = Field(default="", max_length=500)
    mandate_start: date | None = None
    mandate_end: date | None = None
    in_scope: bool = True
    email: str | None = Field(default=None, description="Staff only: matches calendar organizers.")

    @model_validator(mode="after")
    def _mandate_in_order(self) -> "Official":
        if self.mandate_start and self.mandate_end and self.mandate_end < self.mandate_start:
            raise ValueError("mandate_end is before mandate_start")
        return self

    def in_office_on(self, day: date) -> bool:
        """Whether `day` falls within the mandate (open ends count as in office)."""
        starts_ok = self.mandate_start is None or self.mandate_start <= day
        ends_ok = self.mandate_end is None or day <= self.mandate_end
        return starts_ok and ends_ok
