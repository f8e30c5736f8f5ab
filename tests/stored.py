"""A small register stored in the test database: one authority, two officials, one organisation."""

from typing import NamedTuple
from uuid import UUID

from register.domain.authority import Authority
from register.domain.kinds import OfficialKind, SourceKind
from register.domain.official import Official
from register.domain.representative import InterestRepresentative
from register.services.sources import add_source
from register.settings import Settings
from register.store.repositories import authorities, officials, representatives
from tests import factories


class StoredRegister(NamedTuple):
    authority: Authority
    owner: Official
    colleague: Official
    representative: InterestRepresentative


async def store_register(**authority_overrides: object) -> StoredRegister:
    """The authority "ville-test", its mayor (the diary's owner), her director of cabinet, and
    a federation registered with HATVP."""
    authority = factories.authority(**authority_overrides)
    await authorities.save_authority(authority)
    owner = factories.official(authority.id)
    colleague = factories.official(
        authority.id,
        slug="paul-petit",
        full_name="Paul Petit",
        kind=OfficialKind.STAFF,
        role="Directeur de cabinet",
    )
    for official in (owner, colleague):
        await officials.save_official(official)
    representative = factories.representative()
    await representatives.save_representative(representative)
    return StoredRegister(authority, owner, colleague, representative)


async def store_caldav_source(
    official: Official, url: str, username: str, password: str, settings: Settings
) -> UUID:
    """Connect `official`'s CalDAV calendar at `url`; returns the source's id."""
    source = await add_source(
        official,
        kind=SourceKind.CALDAV,
        url=url,
        username=username,
        password=password,
        settings=settings,
    )
    return source.id
