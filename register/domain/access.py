"""Who may do what in the back office: one table of rules, checked by every staff route.

Administrators run the whole installation. Editors review, complete and publish the meetings of
their own authorities. Officials only read their own meetings and their authority's compliance
figures. Keeping the rules here, free of HTTP, lets the role matrix be tested route by route.
"""

from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from register.domain.kinds import StaffRole
from register.domain.staff import StaffUser


class Permission(StrEnum):
    VIEW_MEETINGS = "view_meetings"
    EDIT_MEETINGS = "edit_meetings"
    PUBLISH = "publish"
    VIEW_COMPLIANCE = "view_compliance"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"


_GRANTS: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.ADMINISTRATOR: frozenset(Permission),
    StaffRole.EDITOR: frozenset(
        {
            Permission.VIEW_MEETINGS,
            Permission.EDIT_MEETINGS,
            Permission.PUBLISH,
            Permission.VIEW_COMPLIANCE,
        }
    ),
    StaffRole.OFFICIAL: frozenset({Permission.VIEW_MEETINGS, Permission.VIEW_COMPLIANCE}),
}

# Permissions that concern the whole installation rather than one authority.
_INSTALLATION_WIDE = frozenset({Permission.VIEW_AUDIT, Permission.MANAGE_USERS})


def has_permission(user: StaffUser, permission: Permission) -> bool:
    """Whether the user's role grants `permission` somewhere (to show or hide a menu entry)."""
    return user.active and permission in _GRANTS[user.role]


def may(
    user: StaffUser,
    permission: Permission,
    *,
    authority_id: UUID | None = None,
    official_id: UUID | None = None,
) -> bool:
    """Whether `user` may exercise `permission` on what belongs to `authority_id` (and, for a
    meeting, sits in `official_id`'s diary).

    Authority-scoped permissions need the authority; an official user sees only the meetings
    of their own diary.
    """
    if not has_permission(user, permission):
        return False
    if user.role is StaffRole.ADMINISTRATOR:
        return True
    if permission in _INSTALLATION_WIDE or authority_id is None:
        return False
    if authority_id not in user.authority_ids:
        return False
    if user.role is StaffRole.OFFICIAL and permission is Permission.VIEW_MEETINGS:
        return official_id is not None and official_id == user.official_id
    return True


class LoginThrottle(BaseModel):
    """How many failed log-ins are tolerated before guessing is slowed down.

    Counted per user name (someone guessing one account's password) and per client address
    (someone trying many accounts), over a sliding window.
    """

    model_config = ConfigDict(frozen=True)

    window: timedelta = timedelta(minutes=15)
    per_username: int = 5
    per_client: int = 20

    def retry_after(
        self,
        *,
        username_failures: list[datetime],
        client_failures: list[datetime],
        now: datetime,
    ) -> int | None:
        """Seconds to wait before the next attempt, or None when an attempt may be made now."""
        waits = [
            self._wait(username_failures, self.per_username, now),
            self._wait(client_failures, self.per_client, now),
        ]
        return max((wait for wait in waits if wait is not None), default=None)

    def _wait(self, failures: list[datetime], limit: int, now: datetime) -> int | None:
        recent = sorted(moment for moment in failures if now - moment < self.window)
        if len(recent) < limit:
            return None
        # The attempt becomes possible again when the oldest failure that counts leaves the window.
        freed_at = recent[len(recent) - limit] + self.window
        return max(1, int((freed_at - now).total_seconds()) + 1)
