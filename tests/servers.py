"""Real CalDAV servers for the integration tests: Radicale and Xandikos, each started as a
subprocess on a free port of 127.0.0.1 with its storage in a temporary folder.

Tests skip with the reason when a server cannot run here (package missing, start failed),
unless REGISTER_REQUIRE_CALDAV=1 (set by CI), which makes that a failure.

`ServerCalendar` plays "another client" (a phone, Thunderbird): it writes and deletes objects
with plain httpx, never through the connector under test.
"""

import importlib.util
import os
import pickle
import re
import shutil
import socket
import subprocess
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from typing import ClassVar, NoReturn, TypeVar
from urllib.parse import unquote, urlsplit

import httpx
import pytest

READY_SECONDS = 20.0
STOP_SECONDS = 10.0

MKCALENDAR_BODY = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    "<D:set><D:prop><D:displayname>{title}</D:displayname>"
    "<C:supported-calendar-component-set>{components}</C:supported-calendar-component-set>"
    "</D:prop></D:set></C:mkcalendar>"
)


def caldav_required() -> bool:
    return os.environ.get("REGISTER_REQUIRE_CALDAV", "") not in {"", "0", "false", "no"}


def skip_or_fail_without_caldav(reason: str) -> NoReturn:
    if caldav_required():
        pytest.fail(f"REGISTER_REQUIRE_CALDAV is set but {reason}", pytrace=False)
    pytest.skip(reason)


class ServerUnavailableError(RuntimeError):
    """The server's package is missing or its process did not come up."""


class ServerRequestError(RuntimeError):
    """The server refused a request made by the test's "other client"."""


def free_port() -> int:
    """A port nobody listens on right now (the server binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _checked(response: httpx.Response, *expected: int) -> httpx.Response:
    if response.status_code not in expected:
        raise ServerRequestError(
            f"{response.request.method} {response.request.url} answered "
            f"{response.status_code}: {response.text[:300]}"
        )
    return response


class CalDAVServer(ABC):
    """One server process; `stop()` and `start()` keep its port and storage (outage tests)."""

    name: ClassVar[str]
    module: ClassVar[str]
    username: ClassVar[str] = ""
    password: ClassVar[str] = ""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = root / "server.log"
        self._client: httpx.Client | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    @abstractmethod
    def principal_path(self) -> str:
        """The path of the test user's principal (RFC 3744 §2), ending with a slash."""

    @property
    @abstractmethod
    def home_path(self) -> str:
        """Where the test creates calendars (the principal's calendar-home-set, RFC 4791 §6.2.1)."""

    @property
    def principal_url(self) -> str:
        return self.base_url + self.principal_path

    @property
    def auth(self) -> httpx.BasicAuth | None:
        return httpx.BasicAuth(self.username, self.password) if self.username else None

    @abstractmethod
    def command(self) -> list[str]:
        """The command line that starts the server on `self.port`."""

    def prepare(self) -> None:  # noqa: B027 - a hook, empty unless a server needs files
        """Write configuration files before the first start."""

    def unavailable_reason(self) -> str | None:
        if importlib.util.find_spec(self.module) is None:
            return f"{self.name} is not installed (no module {self.module!r})"
        return None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        reason = self.unavailable_reason()
        if reason:
            raise ServerUnavailableError(reason)
        self.root.mkdir(parents=True, exist_ok=True)
        self.prepare()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_ready(self.process)

    def _wait_until_ready(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ServerUnavailableError(
                    f"{self.name} exited with status {process.returncode}: {self._log_tail()}"
                )
            try:
                httpx.request("OPTIONS", self.base_url + "/", auth=self.auth, timeout=1)
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            return
        self.stop()
        raise ServerUnavailableError(
            f"{self.name} did not answer within {READY_SECONDS:.0f} s: {self._log_tail()}"
        )

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-1500:]
        except FileNotFoundError:
            return "(no log)"

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_SECONDS)

    def restart(self) -> None:
        self.stop()
        self.start()

    def client(self) -> httpx.Client:
        """The HTTP client of "another client" of the server (never the connector's), kept
        open: making one costs more than a request."""
        if self._client is None:
            self._client = httpx.Client(auth=self.auth, timeout=10)
        return self._client

    def make_calendar(
        self, name: str, title: str, components: tuple[str, ...] = ("VEVENT",)
    ) -> "ServerCalendar":
        """Create the calendar `name` (MKCALENDAR, RFC 4791 §5.3.1) in the home, for the given
        component types (§5.2.3)."""
        url = f"{self.base_url}{self.home_path}{name}/"
        comps = "".join(f'<C:comp name="{component}"/>' for component in components)
        _checked(
            self.client().request(
                "MKCALENDAR",
                url,
                content=MKCALENDAR_BODY.format(title=title, components=comps).encode(),
                headers={"Content-Type": "application/xml; charset=utf-8"},
            ),
            201,
        )
        return ServerCalendar(self, name, url)

    @abstractmethod
    def collection_folder(self, calendar: "ServerCalendar") -> Path:
        """Where the server keeps the calendar's objects on disk."""

    @abstractmethod
    def store_broken_object(self, calendar: "ServerCalendar", filename: str, text: str) -> None:
        """Make the server serve `text` verbatim as `filename`, however broken it is."""

    @abstractmethod
    def forget_sync_tokens(self, calendar: "ServerCalendar") -> None:
        """Make the server forget the sync tokens it handed out for the calendar, as when they
        expire (RFC 6578 §3.2 lets a server do so at any time)."""


class RadicaleServer(CalDAVServer):
    """Radicale 3 with htpasswd (plain) authentication and owner-only rights."""

    name = "radicale"
    module = "radicale"
    username = "marie.dupont"
    password = "Cabinet-2026!"

    @property
    def principal_path(self) -> str:
        return f"/{self.username}/"

    @property
    def home_path(self) -> str:
        return self.principal_path

    @property
    def storage(self) -> Path:
        return self.root / "collections"

    def prepare(self) -> None:
        users = self.root / "users"
        users.write_text(f"{self.username}:{self.password}\n", encoding="utf-8")
        (self.root / "config").write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            "[auth]\n"
            "type = htpasswd\n"
            f"htpasswd_filename = {users}\n"
            "htpasswd_encryption = plain\n"
            # No delay after a refused password, and no cached verdicts between tests.
            "delay = 0\n"
            "cache_logins = False\n"
            "[rights]\n"
            "type = owner_only\n"
            "[storage]\n"
            f"filesystem_folder = {self.storage}\n"
            "[logging]\n"
            "level = warning\n",
            encoding="utf-8",
        )

    def command(self) -> list[str]:
        return [sys.executable, "-m", "radicale", "--config", str(self.root / "config")]

    def collection_folder(self, calendar: "ServerCalendar") -> Path:
        return self.storage / "collection-root" / self.username / calendar.name

    def store_broken_object(self, calendar: "ServerCalendar", filename: str, text: str) -> None:
        """Radicale validates uploads and skips files it cannot parse, so the object is planted
        as a file plus a matching entry of Radicale's item cache, which it then serves as is."""
        from radicale import storage as radicale_storage

        folder = self.collection_folder(calendar)
        raw = text.encode("utf-8")
        (folder / filename).write_bytes(raw)
        cache_hash = sha256(radicale_storage.CACHE_VERSION + raw).hexdigest()
        uid = re.search(r"^UID:(.*?)\r?$", text, re.MULTILINE)
        entry = (
            cache_hash,
            uid.group(1) if uid else filename,
            f'"{sha256(raw).hexdigest()}"',  # etag
            text,
            "VCALENDAR",
            "VEVENT",
            0,  # start and end of the item's time range (always matches)
            2**31,
        )
        cache = folder / ".Radicale.cache" / "item"
        cache.mkdir(parents=True, exist_ok=True)
        (cache / filename).write_bytes(pickle.dumps(entry))

    def forget_sync_tokens(self, calendar: "ServerCalendar") -> None:
        shutil.rmtree(
            self.collection_folder(calendar) / ".Radicale.cache" / "sync-token", ignore_errors=True
        )


class XandikosServer(CalDAVServer):
    """Xandikos with its default layout (principal /user/); it has no authentication."""

    name = "xandikos"
    module = "xandikos"

    @property
    def principal_path(self) -> str:
        return "/user/"

    @property
    def home_path(self) -> str:
        return "/user/calendars/"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "xandikos.web",
            "--directory",
            str(self.root / "data"),
            "--state-dir",
            str(self.root / "state"),
            "--defaults",
            "--listen-address",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-detect-systemd",
        ]

    def collection_folder(self, calendar: "ServerCalendar") -> Path:
        return self.root / "data" / "user" / "calendars" / calendar.name

    def store_broken_object(self, calendar: "ServerCalendar", filename: str, text: str) -> None:
        """Xandikos stores uploads verbatim, broken or not."""
        calendar.put(filename, text)

    def forget_sync_tokens(self, calendar: "ServerCalendar") -> None:
        """Xandikos's tokens are commits of the collection's Git repository: rebuild the
        repository from the files, as after a restore from a backup of the files alone."""
        from dulwich import porcelain

        folder = self.collection_folder(calendar)
        shutil.rmtree(folder / ".git")
        repo = porcelain.init(str(folder))
        porcelain.add(repo, paths=[str(path) for path in folder.iterdir() if path.name != ".git"])
        identity = b"Restauration <restauration@ville-bellerive.fr>"
        porcelain.commit(repo, message=b"Restored", author=identity, committer=identity)


SERVERS: dict[str, type[CalDAVServer]] = {
    RadicaleServer.name: RadicaleServer,
    XandikosServer.name: XandikosServer,
}


@dataclass(frozen=True)
class ServerCalendar:
    """One calendar on a test server, written to by "another client" with plain httpx."""

    server: CalDAVServer
    name: str
    url: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def href(self, filename: str) -> str:
        """The href the connector reports for `filename`: the decoded path."""
        return unquote(self.path + filename)

    def put(self, filename: str, ics: str) -> str:
        """Create or replace an object; returns its ETag."""
        response = _checked(
            self.server.client().put(
                self.url + filename,
                content=ics.encode("utf-8"),
                headers={"Content-Type": "text/calendar; charset=utf-8"},
            ),
            200,
            201,
            204,
        )
        return str(response.headers.get("ETag", ""))

    def delete(self, filename: str) -> None:
        _checked(self.server.client().delete(self.url + filename), 200, 204)

    def remove(self) -> None:
        """Delete the whole calendar collection."""
        _checked(self.server.client().delete(self.url), 200, 204)


_Server = TypeVar("_Server", bound=CalDAVServer)


@contextmanager
def started(server: _Server) -> Iterator[_Server]:
    """`server` running for the block, stopped after it; where it cannot start, the test skips
    (fails under REGISTER_REQUIRE_CALDAV) with the reason."""
    try:
        server.start()
    except ServerUnavailableError as error:
        skip_or_fail_without_caldav(str(error))
    try:
        yield server
    finally:
        server.stop()
