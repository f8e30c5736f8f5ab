"""PROPFIND (RFC 4918 §9.1) bodies, and the reading of their multistatus answers.

The answers are read here rather than by caldav's parser, which raises on any propstat status
but 200 or 404 while RFC 4918 §9.1.2 lets a server answer 403 for a property it will not show
(some do for getctag or sync-token): such a property is simply absent here.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin

from connectors.caldav_state import normalise_href

DAV = "{DAV:}"
CALDAV = "{urn:ietf:params:xml:ns:caldav}"
CALENDARSERVER = "{http://calendarserver.org/ns/}"

_PROPFIND = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"'
    ' xmlns:CS="http://calendarserver.org/ns/"><D:prop>{props}</D:prop></D:propfind>'
)
_CTAG = "<CS:getctag/>"


def describe_body(ctag: bool = False) -> str:
    """What a URL is: a calendar (RFC 4791 §4.2) with its sync token (RFC 6578 §4), or a
    principal with a calendar home (RFC 4791 §6.2.1), or a root naming the user (RFC 5397).

    The ctag is asked only with `ctag`, by a caller that has no sync token to compare: a
    server may compute it over every object (Radicale: 0.45 s for 5,000) as it does the token."""
    return _PROPFIND.format(
        props="<D:resourcetype/><D:sync-token/><C:supported-calendar-component-set/>"
        "<C:calendar-home-set/><D:current-user-principal/>" + (_CTAG if ctag else "")
    )


def calendars_body(ctag: bool = False) -> str:
    """The calendars of a home with their tokens: one request tells which of them changed."""
    return _PROPFIND.format(
        props="<D:resourcetype/><D:sync-token/><C:supported-calendar-component-set/>"
        + (_CTAG if ctag else "")
    )


def members_body(ctag: bool = False) -> str:
    """The ETag of every object, and the collection's own token (and ctag) in the same answer."""
    return _PROPFIND.format(
        props="<D:resourcetype/><D:getetag/><D:sync-token/>" + (_CTAG if ctag else "")
    )


@dataclass(frozen=True)
class Collection:
    """A WebDAV collection as a PROPFIND described it."""

    url: str
    path: str
    is_calendar: bool
    holds_events: bool
    sync_token: str | None
    ctag: str | None
    home: str | None = None
    principal: str | None = None


@dataclass(frozen=True)
class Member:
    """An object of a calendar: its normalised href and its ETag (None when not given)."""

    href: str
    etag: str | None


@dataclass(frozen=True)
class Entry:
    """One `response` of a multistatus (RFC 4918 §14.24): the decoded path, and the
    properties the server showed (200 propstats), as elements by Clark name."""

    path: str
    props: dict[str, Any]

    def text(self, name: str) -> str | None:
        element = self.props.get(name)
        text = element.text if element is not None else None
        return text.strip() if isinstance(text, str) and text.strip() else None

    def href_in(self, name: str) -> str | None:
        element = self.props.get(name)
        href = element.findtext(f"{DAV}href") if element is not None else None
        return href.strip() if isinstance(href, str) and href.strip() else None

    def kinds(self) -> set[str]:
        element = self.props.get(f"{DAV}resourcetype")
        return {str(child.tag) for child in element} if element is not None else set()

    def components(self) -> set[str]:
        element = self.props.get(f"{CALDAV}supported-calendar-component-set")
        if element is None:
            return set()
        return {str(child.get("name")).upper() for child in element if child.get("name")}


def entries(tree: Any) -> list[Entry]:
    """The responses of a multistatus answer (an lxml tree), but those whose own status is not
    a success (a member reported gone)."""
    if tree is None:
        return []
    found: list[Entry] = []
    for response in tree.iter(f"{DAV}response"):
        href = response.findtext(f"{DAV}href")
        if not href or not status_ok(response.findtext(f"{DAV}status")):
            continue
        props: dict[str, Any] = {}
        for propstat in response.findall(f"{DAV}propstat"):
            if status_ok(propstat.findtext(f"{DAV}status")):
                for prop in propstat.findall(f"{DAV}prop"):
                    props.update((child.tag, child) for child in prop)
        found.append(Entry(normalise_href(href.strip()), props))
    return found


def status_ok(status: str | None) -> bool:
    """A missing status is fine (a response with propstats only); else `HTTP/1.1 200 OK`."""
    if status is None:
        return True
    parts = status.split()
    return len(parts) >= 2 and parts[1].startswith("2")


def collection_of(base: str, entry: Entry) -> Collection:
    components = entry.components()
    home = entry.href_in(f"{CALDAV}calendar-home-set")
    principal = entry.href_in(f"{DAV}current-user-principal")
    return Collection(
        url=urljoin(base, quote(entry.path)),
        path=entry.path,
        is_calendar=f"{CALDAV}calendar" in entry.kinds(),
        # RFC 4791 §5.2.3: without the property, a calendar accepts every component type.
        holds_events=not components or "VEVENT" in components,
        sync_token=entry.text(f"{DAV}sync-token"),
        ctag=entry.text(f"{CALENDARSERVER}getctag"),
        home=urljoin(base, home) if home else None,
        principal=urljoin(base, principal) if principal else None,
    )


def member_of(entry: Entry) -> Member | None:
    """The object an entry names, None for a sub-collection."""
    if f"{DAV}collection" in entry.kinds():
        return None
    return Member(entry.path, entry.text(f"{DAV}getetag"))
