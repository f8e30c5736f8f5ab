"""Staff accounts and the audit trail of what they did."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from register.domain.kinds import StaffRole


class StaffUser(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    username: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")
    email: str = ""
    full_name: str = ""
    role: StaffRole
    authority_ids: tuple[UUID, ...] = ()
    official_id: UUID | None = None
    active: bool = True
    must_change_password: bool = False

    def may_act_for(self, authority_id: UUID) -> bool:
        """Administrators act everywhere; editors and officials only for their own authorities."""
        return self.active and (
            self.role is StaffRole.ADMINISTRATOR or authority_id in self.authority_ids
        )


class AuditEvent(BaseModel):
    """Who changed what, and when: kept for staff, never published."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    changes: dict[str, Any] = Field(default_factory=dict)
    user_id: UUID | None = None
