"""Calling the blocking CalDAV requests from the event loop: each in a worker thread, with
bounded retries and exponential backoff on network failures and 5xx answers, and every other
failure turned into a SourceUnreachableError that says, for staff, what failed and why.

caldav's own async client works too (checked against both test servers), but its objects were
made dual-mode only recently; the blocking client is the long-tested path, and a thread per
request keeps the event loop free all the same.
"""

import asyncio
import re
import socket
from collections.abc import Callable
from typing import TypeVar
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
                if not is_transient(failure) or attempt >= self.retries:
                    raise SourceUnreachableError(
                        self.explain(failure, what, attempt + 1)
                    ) from failure
            await asyncio.sleep(self.backoff * 2**attempt)
            attempt += 1

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
