"""The demo's staff accounts, so that the back office can be tried at once.

One password for the three accounts: `REGISTER_DEMO_PASSWORD` when set, otherwise a random one
made at each start and printed on the terminal (the demo listens on loopback by default).
"""

from dataclasses import dataclass

from register.domain.kinds import StaffRole
from register.services.accounts import create_user, hash_password, temporary_password
from register.services.demo import data
from register.store.repositories.authorities import get_authority_by_slug
from register.store.repositories.officials import list_officials
from register.store.repositories.staff import get_staff_user, set_password_hash

PASSWORD_VARIABLE = "REGISTER_DEMO_PASSWORD"  # noqa: S105 - the name of a variable


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: StaffRole
    description: str


ACCOUNTS = (
    DemoAccount("admin", StaffRole.ADMINISTRATOR, "administrator: everything"),
    DemoAccount("editeur", StaffRole.EDITOR, "editor of the demo city: review and publish"),
    DemoAccount("maire", StaffRole.OFFICIAL, "the mayor: reads her own meetings"),
)


async def ensure_demo_accounts(password: str | None) -> tuple[str, tuple[DemoAccount, ...]]:
    """Create the demo accounts (or give them the password) and return the password."""
    password = password or temporary_password()
    authority = await get_authority_by_slug(data.AUTHORITY_SLUG)
    if authority is None:
        raise RuntimeError("the demo authority is not loaded")
    officials = await list_officials(authority.id)
    mayor = next(o for o in officials if o.role == "Maire")
    for account in ACCOUNTS:
        found = await get_staff_user(account.username)
        if found is not None:
            await set_password_hash(found[0].id, hash_password(password))
            continue
        await create_user(
            username=account.username,
            password=password,
            role=account.role,
            authority_slugs=[] if account.role is StaffRole.ADMINISTRATOR else [authority.slug],
            full_name={"admin": "Administratrice", "editeur": "Cabinet du maire"}.get(
                account.username, mayor.full_name
            ),
            official_id=mayor.id if account.role is StaffRole.OFFICIAL else None,
        )
    return password, ACCOUNTS
