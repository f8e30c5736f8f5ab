"""ICS subscriptions (webcal and the secret addresses of Google, Outlook, iCloud).

The whole feed is fetched with a conditional GET (RFC 9110 §13: If-None-Match, If-Modified-Since),
so an unchanged feed costs one 304. A changed feed is split per UID, and only the events whose
text changed are parsed and reported.
"""

import asyncio
import hashlib
import os
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from connectors.delta import (
    ObjectChanged,
    ObjectFailed,
    SourceUnreachableError,
    SyncDelta,
    Window,
)
from connectors.icalendar_events import MalformedObjectError, events_from_ical
from connectors.ics_feed import split_feed

MAX_FEED_BYTES = 20 * 1024 * 1024
"""A feed larger than this is refused: no official's calendar is that big, a runaway one is."""

WINDOW_STEP = timedelta(days=30)
"""How far the window's end may move before every event is expanded again."""


def http_url(url: str) -> str:
    """webcal:// and webcals:// are https:// by another name (the scheme only tells the client
    to subscribe)."""
    parts = urlsplit(url)
    if parts.scheme.lower() in {"webcal", "webcals"}:
        return urlunsplit(parts._replace(scheme="https"))
    return url


class ICSConnector:
    """A calendar published as one iCalendar file at a (usually secret) address."""

    def __init__(
        self,
        url: str,
        username: str = "",
        password: str = "",
        *,
        default_timezone: str = "Europe/Paris",
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """`timeout` bounds each read (seconds); a network failure or a 5xx answer is retried
        `retries` times, after `backoff`, 2×`backoff`… seconds (at most 8 s)."""
        self.url = http_url(url)
        self.auth = httpx.BasicAuth(username, password) if username else None
        self.default_timezone = default_timezone
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.transport = transport

    async def sync(self, state: Mapping[str, Any], window: Window) -> SyncDelta:
        hashes: dict[str, str] = dict(state.get("hashes", {}))
        full = not hashes or _window_moved(state, window)
        headers = {"Accept": "text/calendar, */*;q=0.5"}
        if not full:
            if state.get("etag"):
                headers["If-None-Match"] = str(state["etag"])
            if state.get("last_modified"):
                headers["If-Modified-Since"] = str(state["last_modified"])
        status, body, response_headers, requests = await self._get(headers)
        if status == 304:
            return SyncDelta(unchanged=len(hashes), requests=requests, state=dict(state))
        try:
            objects = split_feed(body)
        except MalformedObjectError as error:
            raise SourceUnreachableError(
                f"{self.url} did not return an iCalendar feed: {error}"
            ) from error
        changed: list[ObjectChanged] = []
        failed: list[ObjectFailed] = []
        new_hashes: dict[str, str] = {}
        unchanged = 0
        for href, data in objects.items():
            digest = hashlib.sha256(data).hexdigest()
            new_hashes[href] = digest
            if not full and hashes.get(href) == digest:
                unchanged += 1
                continue
            try:
                events = events_from_ical(
                    data, href=href, window=window, default_timezone=self.default_timezone
                )
            except MalformedObjectError as error:
                failed.append(ObjectFailed(href=href, message=str(error)))
                continue
            changed.append(ObjectChanged(href=href, etag=digest, events=events))
        return SyncDelta(
            changed=tuple(changed),
            removed=tuple(href for href in hashes if href not in new_hashes),
            failed=tuple(failed),
            unchanged=unchanged,
            full=full,
            requests=requests,
            state={
                "etag": response_headers.get("etag"),
                "last_modified": response_headers.get("last-modified"),
                "hashes": new_hashes,
                # Only a full expansion covers the new window; keeping the old end otherwise
                # lets the gap grow until it triggers one.
                "window_end": window.end.isoformat() if full else state.get("window_end"),
            },
        )

    async def _get(self, headers: dict[str, str]) -> tuple[int, bytes, httpx.Headers, int]:
        """GET the feed, retrying network failures and 5xx with exponential backoff."""
        requests = 0
        last_error = ""
        async with httpx.AsyncClient(
            timeout=self.timeout,
            follow_redirects=True,
            auth=self.auth,
            transport=self.transport,
        ) as client:
            for attempt in range(self.retries + 1):
                if attempt:
                    await asyncio.sleep(min(self.backoff * 2 ** (attempt - 1), 8.0))
                requests += 1
                try:
                    async with client.stream("GET", self.url, headers=headers) as response:
                        if response.status_code >= 500:
                            last_error = f"the server answered {response.status_code}"
                            continue
                        _refuse(response, self.url)
                        body = await _read_capped(response, self.url)
                        return response.status_code, body, response.headers, requests
                except httpx.TransportError as error:
                    last_error = network_reason(error, self.timeout)
        raise SourceUnreachableError(
            f"cannot fetch {self.url} after {requests} attempt(s): {last_error}"
        )


def network_reason(error: httpx.TransportError, timeout: float) -> str:
    """What went wrong on the network, in words staff can act on (httpx's own messages are
    often empty: a bare ReadError)."""
    if isinstance(error, httpx.TimeoutException):
        return f"no answer within {timeout:g} s"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"the connection was cut in the middle of the answer ({error})"
    link: BaseException | None = error
    seen: list[BaseException] = []
    while link is not None and link not in seen:
        if isinstance(link, OSError) and (link.errno or link.strerror):
            # asyncio words a refused connection "Connect call failed (…)": the errno says more.
            return (os.strerror(link.errno) if link.errno else str(link.strerror)).lower()
        seen.append(link)
        link = link.__cause__ or link.__context__
    if isinstance(error, httpx.ReadError):
        return "the connection was cut in the middle of the answer"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _refuse(response: httpx.Response, url: str) -> None:
    """Answers that retrying cannot fix."""
    status = response.status_code
    if status in {401, 403}:
        raise SourceUnreachableError(
            f"{url} refused the credentials (HTTP {status}); check the user name and password"
        )
    if status == 404:
        raise SourceUnreachableError(
            f"{url} was not found (HTTP 404): the address may have changed"
        )
    if status != 304 and not 200 <= status < 300:
        raise SourceUnreachableError(f"{url} answered HTTP {status}")


async def _read_capped(response: httpx.Response, url: str) -> bytes:
    if response.status_code == 304:
        return b""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_FEED_BYTES:
            raise SourceUnreachableError(
                f"{url} sent more than {MAX_FEED_BYTES // (1024 * 1024)} MB; the feed was refused"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _window_moved(state: Mapping[str, Any], window: Window) -> bool:
    previous = state.get("window_end")
    if not previous:
        return True
    return window.end - datetime.fromisoformat(str(previous)) >= WINDOW_STEP
