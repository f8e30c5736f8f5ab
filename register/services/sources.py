"""Connecting an official's calendar, and what staff see of each source."""

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from register.domain.kinds import SourceKind
from register.domain.official import Official
from register.domain.source import CalendarSource, SyncRun
from register.services.credentials import encrypt
from register.settings import Settings
from register.store.ids import new_id
from register.store.repositories.authorities import get_authority_by_slug
from register.store.repositories.officials import get_official, officials_with_slug
from register.store.repositories.sources import list_sources, save_source
from register.store.repositories.sync_runs import runs_for_source

URL_SCHEMES = {
    SourceKind.CALDAV: {"http", "https"},
    SourceKind.ICS: {"http", "https", "webcal", "webcals"},
}


class SourceError(ValueError):
    """A source that cannot be added, with a message for the person adding it."""


async def find_official(slug: str, authority_slug: str | None = None) -> Official:
    """The official with this slug, in the given authority when several have it."""
    candidates = await officials_with_slug(slug)
    if authority_slug is not None:
        authority = await get_authority_by_slug(authority_slug)
        if authority is None:
            raise SourceError(f"no authority with the slug {authority_slug!r}")
        candidates = [o for o in candidates if o.authority_id == authority.id]
    if not candidates:
        raise SourceError(f"no official with the slug {slug!r}")
    if len(candidates) > 1:
        raise SourceError(f"several authorities have an official {slug!r}: give --authority")
    return candidates[0]


async def add_source(
    official: Official,
    *,
    kind: SourceKind,
    url: str,
    username: str,
    password: str,
    settings: Settings,
) -> CalendarSource:
    """Connect a calendar: the password is stored encrypted, never in clear."""
    parts = urlsplit(url)
    if parts.password is not None:
        # Stored and logged in clear with the address, and echoed by this very message: refused
        # without repeating the address.
        raise SourceError(
            "the address holds a password (user:password@…): give the user name with "
            "--username and the password in REGISTER_SOURCE_PASSWORD, which is stored encrypted"
        )
    if parts.scheme.lower() not in URL_SCHEMES[kind] or not parts.netloc:
        schemes = ", ".join(sorted(URL_SCHEMES[kind]))
        raise SourceError(f"{url!r} is not a {kind.value} address ({schemes}://host/…)")
    source = CalendarSource(
        id=new_id(), official_id=official.id, kind=kind, url=url, username=username
    )
    await save_source(source, credentials_ciphertext=encrypt(password, settings))
    return source


@dataclass(frozen=True)
class SourceStatus:
    source: CalendarSource
    official: Official | None
    last_run: SyncRun | None


async def source_statuses() -> list[SourceStatus]:
    """Every source with its official and its latest run, for `register source list`."""
    statuses = []
    for source in await list_sources():
        runs = await runs_for_source(source.id, limit=1)
        statuses.append(
            SourceStatus(
                source=source,
                official=await get_official(source.official_id),
                last_run=runs[0] if runs else None,
            )
        )
    return statuses


def age(moment: datetime | None, now: datetime | None = None) -> str:
    """ "3 min ago", for tables that staff read."""
    if moment is None:
        return "never"
    seconds = int(((now or datetime.now(UTC)) - moment).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return f"{max(seconds, 0)} s ago"
