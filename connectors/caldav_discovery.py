"""Which calendars a CalDAV source address stands for.

The address is either one calendar collection (RFC 4791 §4.2) or a principal (RFC 3744 §2),
whose calendar home (RFC 4791 §6.2.1) holds the calendars; a server root that names the
current user's principal (RFC 5397) is followed once. Every calendar of the home that may hold
events (RFC 4791 §5.2.3) is synced.

Discovery costs requests, so it runs on a first sync only; afterwards a single calendar needs
none, and a principal needs one PROPFIND Depth 1 on its home, which also brings each
calendar's sync token (RFC 6578 §4): the calendars whose token did not move cost nothing more.
"""

from dataclasses import dataclass
from functools import partial

from connectors.caldav_remote import Remote
from connectors.caldav_state import SourceState, normalise_href
from connectors.caldav_sync import Target
from connectors.delta import SourceUnreachableError


@dataclass(frozen=True)
class Plan:
    """The calendars to sync, and the home they were listed from (None for one calendar)."""

    home: str | None
    targets: tuple[Target, ...]


async def plan_sync(remote: Remote, url: str, state: SourceState | None) -> Plan:
    """The calendars behind `url`, reusing what `state` learnt about it."""
    if state is not None and state.source == url:
        if state.home is not None:
            # A ctag is worth asking only for a calendar that has no sync token to compare.
            tokenless = any(not calendar.sync_token for calendar in state.calendars.values())
            return await _home(remote, state.home, ctag=tokenless)
        if len(state.calendars) == 1:
            [(path, calendar)] = state.calendars.items()
            return Plan(None, (Target(calendar.url, path),))
    session = remote.session
    found = await remote.call("finding the calendars at this address", session.describe, url)
    if found.is_calendar:
        return Plan(None, (Target(url, found.path, found),))
    home = found.home
    if home is None and found.principal and normalise_href(found.principal) != found.path:
        principal = await remote.call(
            "finding the user's calendars", session.describe, found.principal
        )
        home = principal.home
    if home is None:
        raise SourceUnreachableError(
            f"{remote.url} is neither a calendar nor a principal with a calendar home "
            "(RFC 4791 §6.2.1): use the address of the calendar or of its owner."
        )
    return await _home(remote, home, ctag=False)


async def _home(remote: Remote, home: str, *, ctag: bool) -> Plan:
    calendars = await remote.call(
        "listing the calendars", partial(remote.session.calendars, ctag=ctag), home
    )
    return Plan(home, tuple(Target(found.url, found.path, found) for found in calendars))
