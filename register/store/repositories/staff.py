"""Staff accounts and the authorities they work for. Password hashes are made by
`register.services.accounts`; this module only stores them."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from register.domain.kinds import StaffRole
from register.domain.staff import StaffUser
from register.store.tables import StaffMembership
from register.store.tables import StaffUser as StaffUserRow
from register.store.transaction import writing


def _from_row(row: dict[str, Any], authority_ids: list[UUID]) -> StaffUser:
    return StaffUser(
        id=row["id"],
        username=row["username"],
        email=row["email"],
        full_name=row["full_name"],
        role=StaffRole(row["role"]),
        authority_ids=tuple(authority_ids),
        official_id=row["official"],
        active=row["active"],
    )


async def add_staff_user(user: StaffUser, password_hash: str) -> None:
    async with writing():
        await StaffUserRow.insert(
            StaffUserRow(
                id=user.id,
                username=user.username,
                email=user.email,
                full_name=user.full_name,
                password_hash=password_hash,
                role=user.role.value,
                official=user.official_id,
                active=user.active,
                password_changed_at=datetime.now(UTC),
            )
        )
        if user.authority_ids:
            await StaffMembership.insert(
                *[StaffMembership(user=user.id, authority=a) for a in user.authority_ids]
            )


async def set_password_hash(user_id: UUID, password_hash: str) -> None:
    await StaffUserRow.update(
        {
            StaffUserRow.password_hash: password_hash,
            StaffUserRow.password_changed_at: datetime.now(UTC),
        }
    ).where(StaffUserRow.id == user_id)


async def get_staff_user(username: str) -> tuple[StaffUser, str] | None:
    """The user and their password hash, by user name."""
    row = await StaffUserRow.select().where(StaffUserRow.username == username).first()
    if row is None:
        return None
    memberships = await StaffMembership.select(StaffMembership.authority).where(
        StaffMembership.user == row["id"]
    )
    user = _from_row(row, sorted((m["authority"] for m in memberships), key=str))
    return user, row["password_hash"]
