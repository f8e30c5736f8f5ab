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
        must_change_password=row.get("must_change_password", False),
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


async def set_password_hash(
    user_id: UUID, password_hash: str, *, must_change: bool = False
) -> None:
    await StaffUserRow.update(
        {
            StaffUserRow.password_hash: password_hash,
            StaffUserRow.password_changed_at: datetime.now(UTC),
            StaffUserRow.must_change_password: must_change,
        }
    ).where(StaffUserRow.id == user_id)


async def set_active(user_id: UUID, active: bool) -> None:
    await StaffUserRow.update({StaffUserRow.active: active}).where(StaffUserRow.id == user_id)


async def note_login(user_id: UUID, at: datetime) -> None:
    await StaffUserRow.update({StaffUserRow.last_login_at: at}).where(StaffUserRow.id == user_id)


async def must_change_password(user_id: UUID) -> bool:
    row = (
        await StaffUserRow.select(StaffUserRow.must_change_password)
        .where(StaffUserRow.id == user_id)
        .first()
    )
    return bool(row and row["must_change_password"])


async def _memberships(user_ids: list[UUID]) -> dict[UUID, list[UUID]]:
    found: dict[UUID, list[UUID]] = {user_id: [] for user_id in user_ids}
    if user_ids:
        for row in await StaffMembership.select(
            StaffMembership.user, StaffMembership.authority
        ).where(StaffMembership.user.is_in(user_ids)):
            found[row["user"]].append(row["authority"])
    return {user_id: sorted(ids, key=str) for user_id, ids in found.items()}


async def get_staff_user_by_id(user_id: UUID) -> StaffUser | None:
    row = await StaffUserRow.select().where(StaffUserRow.id == user_id).first()
    if row is None:
        return None
    return _from_row(row, (await _memberships([row["id"]]))[row["id"]])


async def list_staff_users() -> list[tuple[StaffUser, datetime | None]]:
    """Every account with its last log-in, by user name."""
    rows = await StaffUserRow.select().order_by(StaffUserRow.username)
    memberships = await _memberships([row["id"] for row in rows])
    return [(_from_row(row, memberships[row["id"]]), row["last_login_at"]) for row in rows]


async def get_staff_user(username: str) -> tuple[StaffUser, str] | None:
    """The user and their password hash, by user name."""
    row = await StaffUserRow.select().where(StaffUserRow.username == username).first()
    if row is None:
        return None
    user = _from_row(row, (await _memberships([row["id"]]))[row["id"]])
    return user, row["password_hash"]
