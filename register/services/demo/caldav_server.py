"""The demo's own CalDAV server: Radicale, started on 127.0.0.1 with the demo officials'
calendars, so that the demo goes through the real sync pipeline like a real installation."""

import ctypes
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

USERNAME = "cabinet"
READY_SECONDS = 30


def _die_with_parent() -> None:
    """In the child, on Linux: ask the kernel to end Radicale when `register demo` ends, even
    if it is killed (prctl PR_SET_PDEATHSIG), so no orphan keeps the port."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 is PR_SET_PDEATHSIG


class CalDAVServerError(RuntimeError):
    """The demo's CalDAV server could not start or refused a request."""


class DemoCalDAVServer:
    """A Radicale process whose data lives under `folder` (kept between runs)."""

    def __init__(self, folder: Path, port: int, host: str = "127.0.0.1") -> None:
        self.folder = folder
        self.host = host
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None
        self.password = self._password()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def calendar_url(self, name: str) -> str:
        return f"{self.base_url}/{USERNAME}/{name}/"

    def _password(self) -> str:
        """The demo account's password, made once and kept with the server's data."""
        users = self.folder / "users"
        if users.exists():
            return users.read_text(encoding="utf-8").strip().split(":", 1)[1]
        self.folder.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(18)
        users.write_text(f"{USERNAME}:{password}\n", encoding="utf-8")
        users.chmod(0o600)
        return password

    def start(self) -> None:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((self.host, self.port))
            except OSError as error:
                raise CalDAVServerError(
                    f"cannot start the demo CalDAV server on {self.host}:{self.port}: "
                    f"{error.strerror} (choose another with --caldav-port)"
                ) from error
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [
                sys.executable,
                "-m",
                "radicale",
                "--server-hosts",
                f"{self.host}:{self.port}",
                "--auth-type",
                "htpasswd",
                "--auth-htpasswd-filename",
                str(self.folder / "users"),
                "--auth-htpasswd-encryption",
                "plain",
                # Clients first ask without credentials; that 401 must not cost a second.
                "--auth-delay",
                "0",
                "--rights-type",
                "owner_only",
                "--storage-filesystem-folder",
                str(self.folder / "collections"),
                "--logging-level",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - only calls prctl, no locks taken
        )
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CalDAVServerError(
                    "the demo CalDAV server (Radicale) exited with status "
                    f"{self.process.returncode}"
                )
            try:
                httpx.get(self.base_url + "/.web/", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise CalDAVServerError("the demo CalDAV server (Radicale) did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def __enter__(self) -> "DemoCalDAVServer":
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    async def create_calendar(self, client: httpx.AsyncClient, name: str, title: str) -> str:
        """Create (or keep) the calendar `name` and return its URL."""
        url = self.calendar_url(name)
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            f"<D:set><D:prop><D:displayname>{title}</D:displayname></D:prop></D:set>"
            "</C:mkcalendar>"
        )
        response = await client.request("MKCALENDAR", url, content=body, auth=self.auth)
        if response.status_code not in {201, 405}:  # 405: it exists already
            raise CalDAVServerError(f"MKCALENDAR {url} answered {response.status_code}")
        return url

    async def put(self, client: httpx.AsyncClient, url: str, data: bytes) -> None:
        response = await client.put(
            url, content=data, headers={"Content-Type": "text/calendar"}, auth=self.auth
        )
        if response.status_code not in {200, 201, 204}:
            raise CalDAVServerError(f"PUT {url} answered {response.status_code}: {response.text}")

    @property
    def auth(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(USERNAME, self.password)
