"""Staff accounts: creation and password hashing (argon2id, via argon2-cffi)."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from register.domain.kinds import StaffRole
from register.domain.staff import StaffUser
from register.store.ids import new_id
from register.store.repositories.authorities import get_authority_by_slug
from register.store.repositories.staff import add_staff_user, get_staff_user

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
) -> StaffUser:
    """A new staff account; editors and officials must work for at least one authority."""
    if await get_staff_user(username) is not None:
        raise AccountError(f"a user named {username!r} already exists")
    if role is not StaffRole.ADMINISTRATOR and not authority_slugs:
        raise AccountError(f"a {role.value} must be given at least one authority (--authority)")
    authority_ids = []
    for slug in authority_slugs:
        authority = await get_authority_by_slug(slug)
        if authority is None:
            raise AccountError(f"no authority with the slug {slug!r}")
        authority_ids.append(authority.id)
    user = StaffUser(
        id=new_id(),
        username=username,
        email=email,
        full_name=full_name,
        role=role,
        authority_ids=tuple(authority_ids),
    )
    await add_staff_user(user, hash_password(password))
    return user


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
