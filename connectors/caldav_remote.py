"""Calling the blocking CalDAV requests from the event loop: each in a worker thread, with
bounded retries and exponential backoff on network failures and 5xx answers, and every other
failure turned into a SourceUnreachableError that says, for staff, what failed and why.

caldav's own async client works too (checked against both test servers), but its objects were
made dual-mode only recently; the blocking client is the long-tested path, and a thread per
request keeps the event loop free all the same.
"""

import asyncio
import contextlib
import re
import socket
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

from caldav.lib import error
from niquests import exceptions as http_errors
from urllib3.exceptions import IncompleteRead

from connectors.caldav_client import DAVSession
from connectors.delta import SourceUnreachableError

T = TypeVar("T")

_FAILURES = (
    error.DAVError,
    http_errors.RequestException,
    SyntaxError,  # lxml's XMLSyntaxError: an answer that is not XML (a proxy's error page)
    ValueError,
    NotImplementedError,  # caldav: no authentication scheme in common with the server
)

_OBJECT_REPR = re.compile(r"<[^<>]*object at 0x[0-9a-f]+>: ")


def never(_: BaseException) -> bool:
    return False


def shown(url: str) -> str:
    """The URL as messages may show it: without any user:password@ it was given with."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


class Remote:
    """One sync's access to one server."""

    def __init__(
        self,
        session: DAVSession,
        url: str,
        *,
        username: str,
        retries: int,
        backoff: float,
        timeout: float,
    ) -> None:
        self.session = session
        self.url = shown(url)
        self.server = urlsplit(self.url).netloc
        self.username = username
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout

    @property
    def requests(self) -> int:
        return self.session.requests

    async def call(
        self,
        what: str,
        operation: Callable[..., T],
        *args: object,
        passthrough: Callable[[BaseException], bool] = never,
    ) -> T:
        """`operation(*args)` in a thread. Failures that `passthrough` accepts are raised as they
        are, for the caller to handle (a refused sync token); transient ones are retried
        `retries` times; anything else becomes a SourceUnreachableError."""
        attempt = 0
        while True:
            try:
                return await asyncio.to_thread(operation, *args)
            except _FAILURES as failure:
                if passthrough(failure):
                    raise
                await self._before_retrying(failure, what, attempt)
            attempt += 1

    async def batches(
        self, what: str, reading: Callable[[], Iterator[T]], size: int
    ) -> AsyncGenerator[list[T], None]:
        """What `reading()` yields, in lists of `size`, each read in a thread while the caller
        works on the one before: the caller's work overlaps the server's answer, and no more
        than two lists are held at once.

        A transient failure starts `reading()` again from the beginning (as `call` retries), so
        a caller of a retried reading sees its first items again and must skip those it has
        (a full load skips the hrefs it already has). Anything else becomes a
        SourceUnreachableError."""
        attempt = 0
        while True:
            try:
                async for batch in _read_ahead(_batched(reading(), size)):
                    yield batch
                return
            except _FAILURES as failure:
                await self._before_retrying(failure, what, attempt)
            attempt += 1

    async def _before_retrying(self, failure: BaseException, what: str, attempt: int) -> None:
        """The pause before attempt `attempt + 1`, or, for a failure that is not transient or
        once the retries are spent, the SourceUnreachableError that ends the sync."""
        if not is_transient(failure) or attempt >= self.retries:
            raise SourceUnreachableError(self.explain(failure, what, attempt + 1)) from failure
        await asyncio.sleep(self.backoff * 2**attempt)

    def explain(self, failure: BaseException, what: str, attempts: int) -> str:
        """A sentence for staff: which server, doing what, and what went wrong."""
        tries = f" (gave up after {attempts} attempts)" if attempts > 1 else ""
        if isinstance(failure, http_errors.RequestException):
            reason = self.network_reason(failure)
            return f"Cannot reach the CalDAV server {self.server} while {what}: {reason}{tries}."
        status = failure.status if isinstance(failure, error.DAVError) else None
        if status is None:
            return (
                f"The CalDAV server {self.server} sent an answer that could not be read while "
                f"{what}: {failure}."
            )
        return self.refusal(status, what, tries)

    def refusal(self, status: int, what: str, tries: str) -> str:
        server = f"The CalDAV server {self.server}"
        if status == 401 and not self.username:
            return (
                f"{server} asks for credentials (HTTP 401) while {what}, and none were given: "
                "enter the user name and password of the calendar's account."
            )
        if status == 401:
            return (
                f"{server} refused the credentials of user {self.username!r} (HTTP 401) while "
                f"{what}: check the user name and password."
            )
        if status == 403:
            return (
                f"{server} refused access (HTTP 403) while {what}: the credentials of user "
                f"{self.username!r} were refused or do not allow reading {self.url}."
            )
        if status == 404:
            return (
                f"Nothing was found at {self.url} (HTTP 404) while {what}: the address may have "
                "changed, or the calendar was deleted."
            )
        return f"{server} answered HTTP {status} while {what}{tries}."

    def network_reason(self, failure: BaseException) -> str:
        if isinstance(failure, http_errors.Timeout):
            return f"no answer within {self.timeout:g} s"
        innermost: BaseException = failure
        for link in _chain(failure):
            if isinstance(link, IncompleteRead):
                return (
                    f"the connection was cut in the middle of the answer ({link.partial} bytes "
                    f"read, {link.expected} more expected)"
                )
            if isinstance(link, socket.gaierror):
                return f"the host name {urlsplit(self.url).hostname!r} could not be resolved"
            if isinstance(link, OSError) and link.strerror:
                return link.strerror.lower()
            innermost = link
        return _OBJECT_REPR.sub("", str(innermost)) or type(innermost).__name__


def is_transient(failure: BaseException) -> bool:
    """Worth another try: the network, a timeout, or the server's own trouble (5xx but 501,
    429 too many requests, 408 request timeout)."""
    if isinstance(failure, http_errors.RequestException):
        return not isinstance(
            failure,
            http_errors.SSLError  # a certificate does not mend itself in a second
            | http_errors.InvalidURL
            | http_errors.MissingSchema
            | http_errors.InvalidSchema,
        )
    status = failure.status if isinstance(failure, error.DAVError) else None
    return status is not None and (status in {408, 429} or (status >= 500 and status != 501))


def _chain(failure: BaseException) -> list[BaseException]:
    links: list[BaseException] = []
    current: BaseException | None = failure
    while current is not None and current not in links:
        links.append(current)
        current = current.__cause__ or current.__context__
    return links


def _batched(items: Iterator[T], size: int) -> Iterator[list[T]]:
    with contextlib.closing(cast(Generator[T, None, None], items)):
        batch: list[T] = []
        for item in items:
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch


async def _read_ahead(batches: Iterator[list[T]]) -> AsyncIterator[list[T]]:
    """Each batch read in a thread of its own (the same for every batch of the stream), the next
    one while the caller works on this one. Once the caller stops, the stream is closed (its
    answer dropped) by that thread as soon as the read under way, if any, ends: never while it
    runs, and without waiting for it, so that a deadline is not held up by a slow server."""
    thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="caldav-read")
    ahead = thread.submit(next, batches, None)
    try:
        while (batch := await asyncio.wrap_future(ahead)) is not None:
            ahead = thread.submit(next, batches, None)
            yield batch
    finally:
        ahead.add_done_callback(lambda _: cast(Generator[Any, None, None], batches).close())
        thread.shutdown(wait=False)
