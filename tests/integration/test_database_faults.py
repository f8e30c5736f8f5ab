"""The database failing under a running server, with real processes.

PostgreSQL: a private cluster (its own directory and port, never the machine's shared server) is
stopped while `register serve` is answering a steady load: every request is answered promptly
with a 503 (problem details for the API, an error page for pages), and once PostgreSQL is back
the same server answers again, without a restart.

SQLite: several processes write to one database file at once (a server saving staff records and
another process publishing, while a third holds the write lock for longer than SQLite's own
wait): the writes wait and retry instead of failing.
"""

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path

import httpx
import pytest

from register.domain.kinds import PublicationState
from register.services.publication import publish
from register.settings import Settings
from register.store.engine import make_engine
from register.store.migrate import migrate
from register.store.repositories.meetings import add_meeting, get_meeting
from register.store.repositories.publication_log import verify_log
from tests import factories
from tests.databases import postgres_required
from tests.published import ACTOR, NOW
from tests.servers import free_port
from tests.web.staff import log_in, store_staff_world
from tests.web.test_staff_flow import _record

REGISTER = [sys.executable, "-m", "register"]
HTML = {"accept": "text/html"}
PROMPT_SECONDS = 5.0
"""The longest a request may take to be answered, database down or not."""


def _pg_binary(name: str) -> str | None:
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else None


def _as_postgres(*command: str) -> list[str]:
    """initdb refuses to run as root: run the cluster as the system's postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


@dataclass
class PrivateCluster:
    """A PostgreSQL cluster of this test alone, in a temporary directory, on a free port."""

    root: Path
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args: str) -> None:
        pg_ctl = _pg_binary("pg_ctl")
        assert pg_ctl
        subprocess.run(
            _as_postgres(pg_ctl, "-D", str(self.root / "data"), "-w", *args),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def create(self) -> None:
        initdb = _pg_binary("initdb")
        assert initdb
        subprocess.run(
            _as_postgres(
                initdb, "-D", str(self.root / "data"), "-A", "trust", "-U", "postgres", "-N"
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off"
        )
        self._pg_ctl("-o", options, "-l", str(self.root / "postgres.log"), "start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")


@pytest.fixture
def private_cluster() -> Iterator[PrivateCluster]:
    if _pg_binary("initdb") is None:
        message = "PostgreSQL's initdb is not installed under /usr/lib/postgresql"
        if postgres_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="register-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    cluster = PrivateCluster(root)
    cluster.create()
    cluster.start()
    try:
        yield cluster
    finally:
        subprocess.run(
            _as_postgres(
                _pg_binary("pg_ctl") or "pg_ctl",
                "-D",
                str(root / "data"),
                "-m",
                "immediate",
                "stop",
            ),
            capture_output=True,
            check=False,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


def _environment(**extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REGISTER_", "DATABASE_URL"))
    }
    environment.update(
        REGISTER_SYNC_INTERVAL="0", REGISTER_DUMPS_INTERVAL="0", REGISTER_LOG_LEVEL="WARNING"
    )
    environment.update(extra)
    return environment


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]


async def _start_server(data_dir: Path, log: Path, *args: str, **extra: str) -> Server:
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: ASYNC220 - starting it does not wait for it
            [*REGISTER, "serve", "--port", str(port), "--data-dir", str(data_dir), *args],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=_environment(**extra),
        )
    server = Server(process, port, log)
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=server.base_url, timeout=5) as client:
        while True:
            if process.poll() is not None:
                raise AssertionError(f"the server exited:\n{server.output()}")
            try:
                if (await client.get("/health")).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"the server did not start:\n{server.output()}")
            await asyncio.sleep(0.1)


def _stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=20)


@dataclass(frozen=True)
class Answer:
    path: str
    started: float
    seconds: float
    status: int
    content_type: str
    body: str


REQUESTS = (
    ("/api/v1/meetings", {"accept": "application/json"}),
    ("/", {"accept": "text/html"}),
    ("/health", {"accept": "application/json"}),
)


async def _load(base_url: str, answers: list[Answer], stop: asyncio.Event) -> None:
    """One client asking for the API, a page and the health check in turn, until `stop`."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        turn = 0
        while not stop.is_set():
            path, headers = REQUESTS[turn % len(REQUESTS)]
            turn += 1
            started = time.monotonic()
            try:
                answer = await client.get(path, headers=headers)
                status, kind, body = (
                    answer.status_code,
                    answer.headers.get("content-type", ""),
                    answer.text[:400],
                )
            except httpx.TransportError as error:
                status, kind, body = 0, "", repr(error)
            answers.append(Answer(path, started, time.monotonic() - started, status, kind, body))
            await asyncio.sleep(0.02)


@pytest.fixture
async def served_cluster(
    private_cluster: PrivateCluster, tmp_path: Path
) -> AsyncIterator[tuple[PrivateCluster, Server]]:
    server = await _start_server(
        tmp_path / "data", tmp_path / "server.log", "--database-url", private_cluster.url
    )
    try:
        yield private_cluster, server
    finally:
        _stop_server(server)


async def test_postgresql_restarted_under_load_fails_cleanly_then_recovers_without_restart(
    served_cluster: tuple[PrivateCluster, Server],
) -> None:
    cluster, server = served_cluster
    answers: list[Answer] = []
    stop = asyncio.Event()
    clients = [asyncio.create_task(_load(server.base_url, answers, stop)) for _ in range(4)]
    try:
        async with asyncio.timeout(30):
            while sum(a.status == 200 for a in answers) < 3 * len(REQUESTS):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        stopping = time.monotonic()
        await asyncio.to_thread(cluster.stop)
        stopped = time.monotonic()
        await asyncio.sleep(1.5)
        restarting = time.monotonic()
        await asyncio.to_thread(cluster.start)
        restarted = time.monotonic()
        recovered = None
        async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
            while recovered is None and time.monotonic() < restarted + 30:
                if (await client.get("/api/v1/meetings")).status_code == 200:
                    recovered = time.monotonic()
                await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
    finally:
        stop.set()
        await asyncio.gather(*clients)
    assert server.process.poll() is None, server.output()

    before = [a for a in answers if a.started + a.seconds < stopping]
    down = [a for a in answers if a.started > stopped and a.started + a.seconds < restarting]
    after = [a for a in answers if recovered is not None and a.started > recovered]
    report = (
        f"before {len(before)}, down {len(down)}, after {len(after)}; recovered "
        f"{None if recovered is None else round(recovered - restarted, 2)} s after PostgreSQL "
        f"was back; slowest {max(a.seconds for a in answers):.2f} s\n{server.output()}"
    )
    print(report)
    assert before, report
    assert all(a.status == 200 for a in before), report
    assert recovered is not None, report
    assert after, report
    assert all(a.status == 200 for a in after), report
    assert down, report
    for answer in down:
        assert answer.status == 503, (answer, report)
        if answer.path == "/":
            assert answer.content_type.startswith("text/html"), answer
        elif answer.path.startswith("/api/"):
            assert answer.content_type == "application/problem+json", answer
            assert "/problems/database-unavailable" in answer.body, answer
    odd = [a for a in answers if a.status not in {200, 503}]
    assert not odd, f"{odd[:3]}\n{report}"  # never a 500
    assert max(a.seconds for a in answers) < PROMPT_SECONDS, report


HOLD_SECONDS = 3.5
"""How long the other process keeps SQLite's write lock: more than one attempt's wait in
SQLite's busy handler (`sqlite_busy.BUSY_TIMEOUT`, and Python's default of 5 s)."""

LOCK_HOLDER = """
import sqlite3, sys, time
database = sqlite3.connect(sys.argv[1], isolation_level=None)
database.execute("BEGIN IMMEDIATE")
database.execute("UPDATE authority SET updated_at = updated_at")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
database.execute("COMMIT")
"""


async def test_sqlite_writers_in_several_processes_wait_for_the_lock_instead_of_failing(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    settings = Settings(data_dir=data)
    await migrate(make_engine(settings))
    starting = asyncio.create_task(_start_server(data, tmp_path / "server.log"))
    world = await store_staff_world()  # while the server starts
    drafts = [
        await add_meeting(
            factories.meeting(
                world.own.authority.id,
                world.own.owner.id,
                record=factories.complete_record(
                    world.own.owner, world.own.colleague, world.own.representative
                ),
                classification=factories.interest_classification(world.own.representative),
            )
        )
        for _ in range(6)
    ]
    by_staff, by_service = drafts[:4], drafts[4:]
    server = await starting
    client = httpx.AsyncClient(base_url=server.base_url, timeout=60)
    try:
        await log_in(client, "editor")
        forms = []
        for draft in by_staff:
            screen = await client.get(f"/staff/meetings/{draft.id}", headers=HTML)
            assert screen.status_code == 200, screen.text[:300]
            forms.append((draft.id, _record(world, screen.text)))
        holder = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            LOCK_HOLDER,
            str(settings.sqlite_path),
            str(HOLD_SECONDS),
            stdout=asyncio.subprocess.PIPE,
        )
        assert holder.stdout is not None
        assert await holder.stdout.readline() == b"held\n"
        held = time.monotonic()
        saves = [
            client.post(f"/staff/meetings/{meeting_id}/record", data=form, headers=HTML)
            for meeting_id, form in forms
        ]
        publications = [
            publish(draft.id, lock_version=draft.lock_version, actor=ACTOR, now=NOW)
            for draft in by_service
        ]
        answers = await asyncio.gather(*saves)
        await asyncio.gather(*publications)
        waited = time.monotonic() - held
        assert await holder.wait() == 0
    finally:
        await client.aclose()
        _stop_server(server)
    logs = server.output()
    assert [a.status_code for a in answers] == [303] * len(by_staff), logs
    assert waited >= HOLD_SECONDS - 1, waited  # they did wait for the other writer
    assert "sqlite database busy, retrying" in logs  # past one attempt's wait, then retried
    assert await verify_log() == (len(drafts), [])
    for draft in drafts:
        published = await get_meeting(draft.id)
        assert published is not None
        assert published.publication_state is PublicationState.PUBLISHED
