"""What part of the register a staff user works on: their authorities and, for an official's
account, their own diary. Pages pass this to the services rather than filtering afterwards."""

from dataclasses import dataclass
from uuid import UUID

from register.domain.authority import Authority
from register.domain.kinds import StaffRole
from register.domain.official import Official
from register.domain.staff import StaffUser
from register.store.repositories.authorities import list_authorities
from register.store.repositories.officials import list_officials


@dataclass(frozen=True)
class Scope:
    authority_ids: tuple[UUID, ...] | None
    """None: every authority (administrators)."""
    official_id: UUID | None
    """An official's account sees only this diary."""
    authorities: tuple[Authority, ...]
    officials: tuple[Official, ...]


async def scope_of(user: StaffUser) -> Scope:
    authorities = [
        authority
        for authority in await list_authorities()
        if user.role is StaffRole.ADMINISTRATOR or authority.id in user.authority_ids
    ]
    officials: list[Official] = []
    for authority in authorities:
        officials.extend(await list_officials(authority.id))
    if user.role is StaffRole.OFFICIAL:
        officials = [official for official in officials if official.id == user.official_id]
    return Scope(
        authority_ids=None
        if user.role is StaffRole.ADMINISTRATOR
        else tuple(authority.id for authority in authorities),
        official_id=user.official_id if user.role is StaffRole.OFFICIAL else None,
        authorities=tuple(authorities),
        officials=tuple(sorted(officials, key=lambda official: official.full_name)),
    )
