"""The CalDAV requests the connector makes, one blocking HTTP exchange each, through caldav's
`DAVClient` (niquests underneath); they run in a worker thread (see `caldav_remote`).

Every HTTP exchange is counted by a response hook on the client's session, so the count includes
what caldav does on its own (an authentication challenge answered, a retried REPORT).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast
from urllib.parse import quote, urljoin

from caldav.collection import Calendar, SynchronizableCalendarObjectCollection
from caldav.davclient import DAVClient
from caldav.elements import dav
from caldav.lib import error
from caldav.lib.url import URL
from niquests.auth import HTTPBasicAuth, HTTPDigestAuth

from connectors.caldav_propfind import (
    CALENDARS_BODY,
    DESCRIBE_BODY,
    MEMBERS_BODY,
    Collection,
    Entry,
    Member,
    collection_of,
    entries,
    member_of,
)
from connectors.caldav_state import normalise_href

TOKEN_REFUSED: str = dav.ValidSyncToken.tag  # {DAV:}valid-sync-token
"""RFC 6578 §3.2: the precondition a server names when it refuses a sync token, whatever the
status it answers with (Radicale 403, Xandikos 412)."""

MULTIGET_BATCH = 500
"""Hrefs per calendar-multiget REPORT (RFC 4791 §7.9): one request for any ordinary change."""


@dataclass(frozen=True)
class Body:
    """An object's text; None when the server no longer has it (404 in a multiget)."""

    href: str
    etag: str | None
    data: str | bytes | None


@dataclass(frozen=True)
class Changes:
    """A sync-collection answer (RFC 6578 §3.5): changed members and removed hrefs."""

    sync_token: str | None
    changed: tuple[Member, ...]
    removed: frozenset[str]


class DAVSession:
    """One sync's worth of requests to one server, with one HTTP session."""

    def __init__(
        self, url: str, username: str, password: str, timeout: float, auth_scheme: str | None
    ) -> None:
        self.requests = 0
        self.client = DAVClient(
            url,
            username=username or None,
            password=password if username else None,
            auth_type=auth_scheme if username else None,
            timeout=timeout,  # type: ignore[arg-type]  # caldav says int, niquests takes a float
            enable_rfc6764=False,
        )
        hooks: Any = self.client.session.hooks
        hooks["response"].append(self._count)

    def _count(self, response: Any, **_: Any) -> Any:
        self.requests += 1
        return response

    @property
    def auth_scheme(self) -> Literal["basic", "digest"] | None:
        """The authentication scheme settled on ("basic" or "digest"), to be asked for
        straight away next time: an unchanged calendar then costs one request, not two."""
        auth = self.client.auth
        if isinstance(auth, HTTPDigestAuth):
            return "digest"
        if isinstance(auth, HTTPBasicAuth):
            return "basic"
        return None

    def close(self) -> None:
        self.client.close()

    def _calendar(self, url: str) -> Calendar:
        return Calendar(client=self.client, url=url)

    def _propfind(self, url: str, body: str, depth: int) -> list[Entry]:
        response = self.client.request(url, "PROPFIND", body, {"Depth": str(depth)})
        if response.status not in {200, 207}:
            raise error.error_from_response(error.PropfindError, response)
        return entries(response.tree)

    def describe(self, url: str) -> Collection:
        """PROPFIND Depth 0 (RFC 4918 §9.1) on `url`."""
        found = self._propfind(url, DESCRIBE_BODY, 0)
        if not found:
            raise error.PropfindError(url, "the server described nothing at this address")
        return collection_of(url, found[0])

    def calendars(self, home: str) -> list[Collection]:
        """The calendars directly in `home` that can hold events (RFC 4791 §5.2.3), with their
        sync tokens and ctags (PROPFIND Depth 1)."""
        home_path = normalise_href(home).rstrip("/")
        found = [collection_of(home, entry) for entry in self._propfind(home, CALENDARS_BODY, 1)]
        return [
            collection
            for collection in found
            if collection.is_calendar
            and collection.holds_events
            and collection.path.rstrip("/") != home_path
        ]

    def members(self, url: str) -> tuple[Collection, list[Member]]:
        """The calendar's own token and ctag, and every object's ETag (PROPFIND Depth 1): the
        listing an ETag comparison works from."""
        own_path = normalise_href(url).rstrip("/")
        collection = Collection(url, own_path + "/", True, True, None, None)
        members: list[Member] = []
        for entry in self._propfind(url, MEMBERS_BODY, 1):
            if entry.path.rstrip("/") == own_path:
                collection = collection_of(url, entry)
            elif (member := member_of(entry)) is not None:
                members.append(member)
        return collection, members

    def changes_since(self, url: str, sync_token: str) -> Changes:
        """A sync-collection REPORT (RFC 6578 §3.2) from `sync_token`, ETags only.

        Raises caldav's DAVError when the server refuses; a refused token is told by the
        DAV:valid-sync-token precondition on the error (see `is_token_refusal`)."""
        collection = cast(
            SynchronizableCalendarObjectCollection,
            self._calendar(url).get_objects_by_sync_token(
                sync_token=sync_token, load_objects=False, disable_fallback=True
            ),
        )
        removed = frozenset(normalise_href(str(deleted)) for deleted in collection.deleted_urls)
        changed: list[Member] = []
        for found in collection:
            href = normalise_href(str(found.url))
            if href in removed:
                continue
            changed.append(Member(href, _etag(found.props.get(dav.GetEtag.tag))))
        return Changes(collection.sync_token, tuple(changed), removed)

    def load_events(self, url: str) -> list[Body]:
        """Every event object with its text, in one calendar-query REPORT (RFC 4791 §7.8)."""
        found = cast(list[Any], self._calendar(url).search(event=True))
        return [_body(item) for item in found]

    def fetch(self, url: str, hrefs: Sequence[str]) -> list[Body]:
        """The given objects' texts, by calendar-multiget REPORTs (RFC 4791 §7.9); an object
        gone meanwhile comes back with `data` None."""
        calendar = self._calendar(url)
        bodies: list[Body] = []
        for start in range(0, len(hrefs), MULTIGET_BATCH):
            batch = hrefs[start : start + MULTIGET_BATCH]
            found = cast(list[Any], calendar.multiget(_urls(url, batch)))
            bodies.extend(_body(item) for item in found)
        return bodies


def is_token_refusal(failure: BaseException) -> bool:
    """RFC 6578 §3.2: the server no longer knows the token (expired, forged, forgotten)."""
    return isinstance(failure, error.DAVError) and TOKEN_REFUSED in failure.preconditions


def _urls(base: str, hrefs: Iterable[str]) -> list[URL]:
    return [URL.objectify(urljoin(base, quote(href))) for href in hrefs]


def _body(item: Any) -> Body:
    """Text as the server sent it: `raw_data` is taken before caldav's own fixes, and reading
    `.data` (never `.icalendar_component`, which rewrites it) is the fallback."""
    data = item.raw_data if item.raw_data is not None else item.data
    return Body(normalise_href(str(item.url)), _etag(item.props.get(dav.GetEtag.tag)), data)


def _etag(value: Any) -> str | None:
    """Stripped as in `caldav_propfind`, so that the ETag of an object compares equal whichever
    answer it came in."""
    return value.strip() if isinstance(value, str) and value.strip() else None
