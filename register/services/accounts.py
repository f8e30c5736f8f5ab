"""Staff accounts: creation, password hashing (argon2id, via argon2-cffi), resets."""

import secrets
from datetime import datetime
from functools import cache
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from register.domain.kinds import StaffRole
from register.domain.staff import AuditEvent, StaffUser
from register.store.ids import new_id
from register.store.repositories.audit import record_event
from register.store.repositories.authorities import get_authority_by_slug
from register.store.repositories.officials import get_official
from register.store.repositories.sessions import delete_user_sessions
from register.store.repositories.staff import (
    add_staff_user,
    get_staff_user,
    get_staff_user_by_id,
    set_password_hash,
)
from register.store.transaction import writing

_HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """A request about an account that cannot be met, with a message for the person asking."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def create_user(
    *,
    username: str,
    password: str,
    role: StaffRole,
    authority_slugs: list[str],
    email: str = "",
    full_name: str = "",
    official_id: UUID | None = None,
) -> StaffUser:
    """A new staff account; editors and officials must work for at least one authority, and
    an official account is tied to the official whose meetings it shows."""
    if await get_staff_user(username) is not None:
        raise AccountError(f"a user named {username!r} already exists")
    if role is not StaffRole.ADMINISTRATOR and not authority_slugs:
        raise AccountError(f"a {role.value} must be given at least one authority (--authority)")
    if role is StaffRole.OFFICIAL and official_id is None:
        raise AccountError("an official's account must name the official (--official)")
    authority_ids = []
    for slug in authority_slugs:
        authority = await get_authority_by_slug(slug)
        if authority is None:
            raise AccountError(f"no authority with the slug {slug!r}")
        authority_ids.append(authority.id)
    if official_id is not None:
        official = await get_official(official_id)
        if official is None or official.authority_id not in authority_ids:
            raise AccountError("the official must belong to one of the account's authorities")
    user = StaffUser(
        id=new_id(),
        username=username,
        email=email,
        full_name=full_name,
        role=role,
        authority_ids=tuple(authority_ids),
        official_id=official_id if role is StaffRole.OFFICIAL else None,
    )
    await add_staff_user(user, hash_password(password))
    return user


def temporary_password() -> str:
    """A password an administrator hands over once; the user must replace it at log-in."""
    return secrets.token_urlsafe(12)


async def reset_password(user_id: UUID, *, by: StaffUser | None, now: datetime) -> str:
    """Give an account a new temporary password, end its sessions, and return the password.

    `by` is the administrator who asked (None from the command line)."""
    user = await get_staff_user_by_id(user_id)
    if user is None:
        raise AccountError("no such account")
    password = temporary_password()
    async with writing():
        await set_password_hash(user.id, hash_password(password), must_change=True)
        await delete_user_sessions(user.id)
        await record_event(
            AuditEvent(
                at=now,
                actor=by.username if by else "command line",
                user_id=by.id if by else None,
                action="staff.password_reset",
                entity="staff_user",
                entity_id=str(user.id),
                changes={"username": user.username},
            )
        )
    return password


async def change_password(user: StaffUser, current: str, new: str, *, now: datetime) -> None:
    """A user replaces their own password, proving they know the current one."""
    found = await get_staff_user(user.username)
    if found is None or not password_matches(found[1], current):
        raise AccountError("the current password is wrong")
    if new == current:
        raise AccountError("the new password must differ from the current one")
    async with writing():
        await set_password_hash(user.id, hash_password(new), must_change=False)
        await record_event(
            AuditEvent(
                at=now,
                actor=user.username,
                user_id=user.id,
                action="staff.password_change",
                entity="staff_user",
                entity_id=str(user.id),
            )
        )


async def authenticate(username: str, password: str) -> StaffUser | None:
    """The active user with these credentials, or None (the same answer for every failure)."""
    found = await get_staff_user(username)
    if found is None:
        # Spend the same time as a real check, so timing does not reveal which names exist.
        password_matches(_dummy_hash(), password)
        return None
    user, password_hash = found
    if not user.active or not password_matches(password_hash, password):
        return None
    return user


@cache
def _dummy_hash() -> str:
    return _HASHER.hash("not-a-real-password-only-for-timing")
