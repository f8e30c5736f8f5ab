"""The CalDAV requests the connector makes, one blocking HTTP exchange each, through caldav's
`DAVClient` (niquests underneath); they run in a worker thread (see `caldav_remote`).

PROPFIND and sync-collection go through caldav's client; the REPORTs that bring objects' texts
are our own (`caldav_report`), sent on the same client's session and read as they arrive.

Every HTTP exchange is counted by a response hook on the client's session, so the count includes
what caldav does on its own (an authentication challenge answered, a retried REPORT).
"""

import re
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from caldav.collection import Calendar, SynchronizableCalendarObjectCollection
from caldav.davclient import DAVClient
from caldav.elements import dav
from caldav.lib import error
from niquests.auth import HTTPBasicAuth, HTTPDigestAuth

from connectors.caldav_propfind import (
    Collection,
    Entry,
    Member,
    calendars_body,
    collection_of,
    describe_body,
    entries,
    member_of,
    members_body,
)
from connectors.caldav_report import (
    EVENTS_QUERY,
    MAX_OBJECT_BYTES,
    Body,
    NotMultistatusError,
    ObjectTooLargeError,
    multiget_body,
    read_multistatus,
    too_large,
)
from connectors.caldav_state import normalise_href

TOKEN_REFUSED: str = dav.ValidSyncToken.tag  # {DAV:}valid-sync-token
"""RFC 6578 §3.2: the precondition a server names when it refuses a sync token, whatever the
status it answers with (Radicale 403, Xandikos 412)."""

MULTIGET_BATCH = 500
"""Hrefs per calendar-multiget REPORT (RFC 4791 §7.9): one request for any ordinary change."""

CHUNK_BYTES = 64 * 1024
"""How much of a REPORT's answer is read at a time, and handed to the XML parser."""

_MULTISTATUS = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?multistatus[\s/>]")
_MULTISTATUS_METHODS = frozenset({"PROPFIND", "REPORT"})


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
        self._streaming = False
        hooks: Any = self.client.session.hooks
        hooks["response"].append(self._count)

    def _count(self, response: Any, **_: Any) -> Any:
        """Count every exchange; an answer read whole (not our streamed REPORTs, checked as
        they are read) must be a multistatus if it is a 2xx to a PROPFIND or REPORT."""
        self.requests += 1
        if not self._streaming:
            _check_multistatus(response)
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
        if response.tree is None:
            # caldav gives no tree for a body it could not read as XML, when the answer did
            # not say it was XML: read as "no members", it would cancel every meeting.
            raise NotMultistatusError(
                f"the answer to PROPFIND is not XML ({response.headers.get('Content-Type')})"
            )
        return entries(response.tree)

    def describe(self, url: str, *, ctag: bool = False) -> Collection:
        """PROPFIND Depth 0 (RFC 4918 §9.1) on `url`; its ctag too with `ctag`."""
        found = self._propfind(url, describe_body(ctag), 0)
        if not found:
            raise error.PropfindError(url, "the server described nothing at this address")
        return collection_of(url, found[0])

    def calendars(self, home: str, *, ctag: bool = False) -> list[Collection]:
        """The calendars directly in `home` that can hold events (RFC 4791 §5.2.3), with their
        sync tokens (and ctags with `ctag`), by PROPFIND Depth 1."""
        home_path = normalise_href(home).rstrip("/")
        found = [
            collection_of(home, entry) for entry in self._propfind(home, calendars_body(ctag), 1)
        ]
        return [
            collection
            for collection in found
            if collection.is_calendar
            and collection.holds_events
            and collection.path.rstrip("/") != home_path
        ]

    def members(self, url: str, *, ctag: bool = False) -> tuple[Collection, list[Member]]:
        """The calendar's own token (and ctag with `ctag`), and every object's ETag (PROPFIND
        Depth 1): the listing an ETag comparison works from."""
        own_path = normalise_href(url).rstrip("/")
        collection = Collection(url, own_path + "/", True, True, None, None)
        members: list[Member] = []
        for entry in self._propfind(url, members_body(ctag), 1):
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

    def events(self, url: str) -> Iterator[Body]:
        """Every event object with its ETag and text, in one calendar-query REPORT (RFC 4791
        §7.8), each yielded as soon as the answer has brought it. When an object is too large
        to read, the answer is dropped there, the objects listed (PROPFIND Depth 1) and the
        rest fetched by calendar-multiget: the large one is refused alone (its Body's `refused`
        says why)."""
        read: set[str] = set()
        large = yield from self._report(url, EVENTS_QUERY, "1", read)
        if large is None:
            return
        _, members = self.members(url)
        etags = {member.href: member.etag for member in members}
        rest = [href for href in etags if href not in read and href != large]
        read.clear()
        yield Body(large, etags.get(large), None, refused=too_large(large))
        yield from self.fetching(url, rest)

    def fetch(self, url: str, hrefs: Sequence[str]) -> list[Body]:
        """The given objects' texts (see `fetching`), all at once."""
        return list(self.fetching(url, hrefs))

    def fetching(self, url: str, hrefs: Sequence[str]) -> Iterator[Body]:
        """The given objects' texts, by calendar-multiget REPORTs (RFC 4791 §7.9), yielded as
        they are read; an object gone meanwhile comes back with `data` None, one too large to
        read with `refused`."""
        for start in range(0, len(hrefs), MULTIGET_BATCH):
            batch = list(hrefs[start : start + MULTIGET_BATCH])
            while batch:
                read: set[str] = set()
                # §7.9: the Depth header "SHOULD NOT be sent" with a calendar-multiget.
                large = yield from self._report(url, multiget_body(batch), None, read)
                if large is None:
                    break
                yield Body(large, None, None, refused=too_large(large))
                done = read | {large}
                batch = [href for href in batch if href not in done]

    def _report(
        self, url: str, body: bytes, depth: str | None, read: set[str]
    ) -> Generator[Body, None, str | None]:
        """A REPORT whose multistatus answer is read as it arrives: yields the objects read
        (noting their hrefs in `read`), and returns the href of an object too large to read,
        where reading stopped (None when all was read). The answer stays open between two
        objects: closing the generator closes it.

        The failures are caldav's own, as its `Calendar` methods raise them: AuthorizationError
        for 401 and 403, NotFoundError for 404, ReportError for any other failure status,
        RateLimitError for 429 and a 503 with Retry-After; niquests' errors for the network;
        lxml's XMLSyntaxError or NotMultistatusError for an answer that cannot be read."""
        headers = cast(dict[str, str], dict(self.client.headers))
        headers["Content-Type"] = 'application/xml; charset="utf-8"'
        if depth is not None:
            headers["Depth"] = depth
        response = self._send(url, body, headers)
        with response:
            status: int = response.status_code
            error.raise_if_rate_limited(status, url, response.headers.get("Retry-After"))
            if status >= 300:
                raise _failure(url, response)
            try:
                for found in read_multistatus(response.iter_content(CHUNK_BYTES)):
                    read.add(found.href)
                    yield found
            except ObjectTooLargeError as large:
                if large.href is None:
                    raise NotMultistatusError(
                        f"a part of the answer grew past {MAX_OBJECT_BYTES // (1024 * 1024)} MB "
                        "without naming its calendar object"
                    ) from large
                return large.href
            return None

    def _send(self, url: str, body: bytes, headers: dict[str, str]) -> Any:
        """The request, streamed; a 401 challenge is answered once, as caldav's client does,
        when no authentication scheme is settled yet (a PROPFIND normally settled it)."""
        client = self.client
        while True:
            # The answer is checked as it is read, not by the response hook, which would read
            # it whole.
            self._streaming = True
            try:
                response = client.session.request(
                    "REPORT",
                    url,
                    data=body,
                    headers=headers,
                    auth=client.auth,
                    timeout=client.timeout,
                    verify=client.ssl_verify_cert,
                    cert=client.ssl_cert,
                    proxies={client.url.scheme: client.proxy} if client.proxy else None,
                    stream=True,
                )
            finally:
                self._streaming = False
            challenge = response.headers.get("WWW-Authenticate")
            if not (
                response.status_code == 401
                and challenge
                and client.auth is None
                and client.username is not None
                and client.password is not None
            ):
                return response
            response.close()
            client.build_auth_object(list(client.extract_auth_types(challenge)))
            if client.auth is None:
                raise NotImplementedError(
                    "the server offers none of the authentication schemes basic, digest, bearer"
                )


def _failure(url: str, response: Any) -> error.DAVError:
    """The caldav error for a failed REPORT, with the status and any DAV:error precondition
    of its body (RFC 4918 §16)."""
    status: int = response.status_code
    content: bytes = response.content or b""
    kind: type[error.DAVError] = error.ReportError
    if status in {401, 403}:
        kind = error.AuthorizationError
    elif status == 404:
        kind = error.NotFoundError
    reason = f"{status} {response.reason or ''}".strip()
    return kind(
        url,
        reason,
        preconditions=error.parse_preconditions(content),
        body=content or None,
        status=status,
    )


def _check_multistatus(response: Any) -> None:
    """A 2xx answer to a PROPFIND or REPORT must be a multistatus (RFC 4918 §9.1, §13): caldav
    reads anything else (a log-in page served with 200) as an empty answer, or fails on it with
    a TypeError."""
    method = getattr(response.request, "method", None)
    if method not in _MULTISTATUS_METHODS or not 200 <= response.status_code < 300:
        return
    content: bytes = response.content or b""
    if not content.strip():
        return  # no body at all: caldav reads it as nothing, which callers check
    if _MULTISTATUS.search(content[:4096]) is None:
        kind = response.headers.get("Content-Type") or "no content type"
        start = content[:60].decode("utf-8", "replace")
        raise NotMultistatusError(
            f"the answer to {method} is not a WebDAV multistatus (RFC 4918 §13) but {kind}, "
            f"beginning {start!r}"
        )


def is_token_refusal(failure: BaseException) -> bool:
    """RFC 6578 §3.2: the server no longer knows the token (expired, forged, forgotten)."""
    return isinstance(failure, error.DAVError) and TOKEN_REFUSED in failure.preconditions


def _etag(value: Any) -> str | None:
    """Stripped as in `caldav_propfind`, so that the ETag of an object compares equal whichever
    answer it came in."""
    return value.strip() if isinstance(value, str) and value.strip() else None
