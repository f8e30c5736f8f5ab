"""Scale-out on PostgreSQL (issue 7): two `register serve` processes (background sync off) and
two `register worker` processes over one database, syncing 50 officials' calendars on a real
Radicale server.

Every source is synced exactly once per cycle (counted in `sync_run`), no meeting is duplicated,
both servers publish the same register; a worker killed with `kill -9` in the middle of its syncs
loses its sources when their leases expire, the other worker takes them over, and every event of
every calendar ends up as exactly one meeting. Leases last 4 s here, so the whole test takes
about a minute.
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest
from cryptography.fernet import Fernet
from piccolo.engine.postgres import PostgresEngine

from register.domain.kinds import PublicationState
from register.domain.official import Official
from register.domain.publication import PublicationAction
from register.services.publication import Actor, apply_action
from register.settings import Settings
from register.store import conf
from register.store.engine import make_engine, use_engine
from register.store.repositories.meetings import list_meetings, update_meeting
from register.store.repositories.officials import save_official
from tests import factories
from tests.databases import (
    fresh_postgres_database,
    postgres_unavailable_reason,
    skip_or_fail_without_postgres,
)
from tests.servers import (
    RadicaleServer,
    ServerCalendar,
    free_port,
    started,
)
from tests.stored import StoredRegister, store_caldav_source, store_register

pytestmark = pytest.mark.postgres

REGISTER = [sys.executable, "-m", "register"]
SOURCES = 50
EVENTS_PER_CALENDAR = 3
LEASE_SECONDS = 4
CYCLE_SECONDS = 90.0
SECRET_KEY = Fernet.generate_key().decode()


def _event(uid: str, day: int, hour: int) -> str:
    """An event of January 2027 with someone from the test directory's federation."""
    start = f"202701{day:02d}T{hour:02d}0000"
    end = f"202701{day:02d}T{hour:02d}4500"
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//Agenda//FR\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261201T090000Z\r\n"
        f"DTSTART;TZID=Europe/Paris:{start}\r\nDTEND;TZID=Europe/Paris:{end}\r\n"
        f"SUMMARY:Rendez-vous {uid}\r\n"
        "ATTENDEE;CN=Jean Martin:mailto:jean.martin@fbv.example\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


@dataclass
class Deployment:
    """What the test runs: the database, the CalDAV server, the register's processes."""

    url: str
    root: Path
    settings: Settings
    radicale: RadicaleServer
    stored: StoredRegister
    database: asyncpg.Connection
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    calendars: dict[UUID, ServerCalendar] = field(default_factory=dict)
    officials: dict[UUID, Official] = field(default_factory=dict)
    numbers: dict[UUID, int] = field(default_factory=dict)
    added: int = 0
    """Events added to every calendar since the first sync."""

    async def connect_calendars(self) -> None:
        """50 officials, each with a calendar of a few events connected as a source; several
        at once, while the register's processes start."""
        self.radicale.client()  # made once, then shared by the threads
        limit = asyncio.Semaphore(4)

        async def connect(number: int) -> None:
            async with limit:
                official = factories.official(
                    self.stored.authority.id,
                    slug=f"elu-{number:02d}",
                    full_name=f"Élu n° {number}",
                )
                await save_official(official)
                calendar = await asyncio.to_thread(self._fill_calendar, number)
                source_id = await store_caldav_source(
                    official,
                    calendar.url,
                    self.radicale.username,
                    self.radicale.password,
                    self.settings,
                )
                self.calendars[source_id], self.officials[source_id] = calendar, official
                self.numbers[source_id] = number

        await asyncio.gather(*(connect(number) for number in range(SOURCES)))

    def _fill_calendar(self, number: int) -> ServerCalendar:
        calendar = self.radicale.make_calendar(f"elu-{number:02d}", f"Agenda n° {number}")
        for event in range(EVENTS_PER_CALENDAR):
            calendar.put(
                f"e{event}.ics", _event(f"elu-{number}-e{event}", 4 + event, 9 + number % 8)
            )
        return calendar

    def environment(self, **extra: str) -> dict[str, str]:
        """The same database and secret key for every process, as in production."""
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("REGISTER_", "DATABASE_URL"))
        }
        environment.update(
            DATABASE_URL=self.url,
            REGISTER_SECRET_KEY=SECRET_KEY,
            REGISTER_BASE_URL="https://registre.ville-test.example",
            REGISTER_DUMPS_INTERVAL="0",
            REGISTER_LOG_LEVEL="INFO",
            **extra,
        )
        return environment

    def start(self, name: str, *args: str, **extra: str) -> subprocess.Popen[bytes]:
        data_dir = self.root / name
        data_dir.mkdir()
        with (self.root / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                [*REGISTER, *args, "--data-dir", str(data_dir)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.environment(**extra),
            )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(encoding="utf-8", errors="replace")[-3000:]

    def logs(self) -> str:
        return "\n".join(f"--- {name}\n{self.log(name)}" for name in self.processes)

    def start_server(self, name: str) -> None:
        self.ports[name] = free_port()
        self.start(name, "serve", "--port", str(self.ports[name]), REGISTER_SYNC_INTERVAL="0")

    def start_worker(self, name: str) -> None:
        self.start(
            name,
            "worker",
            "--concurrency",
            "2",
            REGISTER_SYNC_INTERVAL="3600",
            REGISTER_SYNC_LEASE_SECONDS=str(LEASE_SECONDS),
            REGISTER_SYNC_POLL_SECONDS="1",
        )

    def worker_name(self, name: str) -> str:
        return f"{socket.gethostname()}:{self.processes[name].pid}"

    async def wait_for(
        self, what: str, condition: Callable[[], Awaitable[bool]], seconds: float = CYCLE_SECONDS
    ) -> None:
        deadline = time.monotonic() + seconds
        while not await condition():
            for name, process in self.processes.items():
                if process.poll() is not None and not name.startswith("killed"):
                    raise AssertionError(f"{name} exited ({process.returncode}):\n{self.logs()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.logs()}")
            await asyncio.sleep(0.2)


@pytest.fixture
def postgres_reachable() -> None:
    reason = postgres_unavailable_reason()
    if reason:
        skip_or_fail_without_postgres(reason)


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[RadicaleServer]:
    with started(RadicaleServer(tmp_path / "radicale")) as server:
        yield server


@pytest.fixture
async def deployment(
    postgres_reachable: None, radicale: RadicaleServer, tmp_path: Path
) -> AsyncIterator[Deployment]:
    """A fresh, migrated database with the test authority, and an empty Radicale server."""
    previous = conf.DB
    with fresh_postgres_database("register_scale") as url:
        settings = Settings(data_dir=tmp_path / "test", database_url=url, secret_key=SECRET_KEY)
        # Once, before any process of the new version starts (as on every upgrade).
        migrate = await asyncio.create_subprocess_exec(
            *REGISTER,
            "migrate",
            "--data-dir",
            str(settings.data_dir),
            "--database-url",
            url,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(migrate.communicate(), timeout=120)
        assert migrate.returncode == 0, output.decode()
        engine = make_engine(settings)
        use_engine(engine)
        assert isinstance(engine, PostgresEngine)
        await engine.start_connection_pool(min_size=1, max_size=4)
        database = await asyncpg.connect(url)
        deployment = Deployment(
            url=url,
            root=tmp_path,
            settings=settings,
            radicale=radicale,
            stored=await store_register(),
            database=database,
        )
        try:
            yield deployment
        finally:
            for process in deployment.processes.values():
                if process.poll() is None:
                    process.kill()
                process.wait(timeout=30)
            await database.close()
            await engine.close_connection_pool()
            use_engine(previous)


async def _runs_since(database: asyncpg.Connection, since: datetime) -> list[Any]:
    return list(
        await database.fetch(
            "SELECT source, status, worker, error, started_at FROM sync_run WHERE started_at >= $1",
            since,
        )
    )


async def _start_cycle(database: asyncpg.Connection) -> datetime:
    """Make every source due now, as when its interval has passed."""
    start = datetime.now(UTC)
    await database.execute("UPDATE calendar_source SET next_sync_at = $1", start)
    return start


def _cycle_done(deployment: Deployment, since: datetime) -> Callable[[], Awaitable[bool]]:
    async def done() -> bool:
        waiting = await deployment.database.fetchval(
            "SELECT count(*) FROM calendar_source "
            "WHERE next_sync_at IS NULL OR next_sync_at <= $1 OR lease_owner IS NOT NULL",
            since,
        )
        return bool(waiting == 0)

    return done


async def _assert_each_source_synced_once(
    deployment: Deployment, since: datetime, workers: set[str]
) -> list[Any]:
    runs = await _runs_since(deployment.database, since)
    succeeded: dict[UUID, int] = {}
    for run in runs:
        assert run["worker"] in workers, run  # never a server: their sync is off
        if run["status"] == "succeeded":
            succeeded[run["source"]] = succeeded.get(run["source"], 0) + 1
    wrong = {
        source_id: [dict(run) for run in runs if run["source"] == source_id]
        for source_id in deployment.calendars
        if succeeded.get(source_id) != 1
    }
    assert not wrong, f"sources not synced exactly once since {since}: {wrong}"
    return runs


async def _assert_every_event_is_one_meeting(deployment: Deployment) -> None:
    database = deployment.database
    total, distinct = await database.fetchrow(
        "SELECT count(*), count(DISTINCT (source, source_uid, recurrence_id)) FROM meeting"
    )
    assert total == distinct
    events = EVENTS_PER_CALENDAR + deployment.added
    expected = {
        source_id: {f"elu-{number}-e{event}" for event in range(events)}
        for source_id, number in deployment.numbers.items()
    }
    found: dict[UUID, set[str]] = {source_id: set() for source_id in deployment.calendars}
    for row in await database.fetch("SELECT source, source_uid FROM meeting"):
        found[row["source"]].add(row["source_uid"])
    assert found == expected
    assert total == SOURCES * events


def _add_an_event_everywhere(deployment: Deployment) -> None:
    """Another client adds one event to every calendar."""
    event = EVENTS_PER_CALENDAR + deployment.added
    for source_id, calendar in deployment.calendars.items():
        number = deployment.numbers[source_id]
        calendar.put(f"e{event}.ics", _event(f"elu-{number}-e{event}", 4 + event, 14))
    deployment.added += 1


async def _publish_some(deployment: Deployment, count: int) -> None:
    """Staff complete and publish a synced meeting of the first `count` officials."""
    stored = deployment.stored
    meetings = await list_meetings(stored.authority.id)
    for source_id in sorted(deployment.calendars, key=deployment.numbers.__getitem__)[:count]:
        meeting = next(
            m
            for m in meetings
            if m.source is not None
            and m.source.source_id == source_id
            and m.publication_state is PublicationState.DRAFT
        )
        official = deployment.officials[source_id]
        await update_meeting(
            meeting.model_copy(
                update={
                    "record": factories.complete_record(
                        official, stored.colleague, stored.representative
                    ),
                    "classification": factories.interest_classification(stored.representative),
                }
            )
        )
        for action in (PublicationAction.MARK_READY, PublicationAction.PUBLISH):
            await apply_action(meeting.id, action, actor=Actor("test"))


def _public_answers(port: int) -> dict[str, bytes]:
    base = f"http://127.0.0.1:{port}"
    paths = ("/api/v1/meetings?limit=100", "/feeds/rencontres.ics", "/rencontres")
    answers = {}
    for path in paths:
        response = httpx.get(base + path, timeout=30)
        assert response.status_code == 200, (path, response.text[:300])
        answers[path] = response.content
    return answers


def _assert_servers_agree(deployment: Deployment, published: int) -> None:
    first, second = (_public_answers(deployment.ports[name]) for name in ("server-1", "server-2"))
    assert first == second
    meetings = httpx.get(
        f"http://127.0.0.1:{deployment.ports['server-1']}/api/v1/meetings?limit=100", timeout=30
    ).json()
    assert meetings["total"] == published


async def test_two_servers_and_two_workers_sync_each_source_once_and_survive_a_kill(
    deployment: Deployment,
) -> None:
    database = deployment.database
    cycle = datetime.now(UTC) - timedelta(seconds=1)
    for name in ("server-1", "server-2"):
        deployment.start_server(name)
    for name in ("worker-1", "worker-2"):
        deployment.start_worker(name)
    workers = {deployment.worker_name(name) for name in ("worker-1", "worker-2")}

    # Cycle 1: the first sync of every source, as each is connected.
    await deployment.connect_calendars()
    await deployment.wait_for("the first cycle", _cycle_done(deployment, cycle))
    await _assert_each_source_synced_once(deployment, cycle, workers)
    await _assert_every_event_is_one_meeting(deployment)
    for name in ("server-1", "server-2"):
        await deployment.wait_for(
            f"{name} to answer",
            _answers(deployment.ports[name]),
        )
    await _publish_some(deployment, 5)
    _assert_servers_agree(deployment, published=5)

    # Cycle 2: an event more in every calendar.
    await asyncio.to_thread(_add_an_event_everywhere, deployment)
    cycle = await _start_cycle(database)
    await deployment.wait_for("the second cycle", _cycle_done(deployment, cycle))
    runs = await _assert_each_source_synced_once(deployment, cycle, workers)
    assert len(runs) == SOURCES
    await _assert_every_event_is_one_meeting(deployment)

    # Cycle 3: worker-1 is frozen while it holds leases, then killed with SIGKILL.
    await asyncio.to_thread(_add_an_event_everywhere, deployment)
    victim = deployment.worker_name("worker-1")
    cycle = await _start_cycle(database)
    held = await _freeze_while_holding_leases(deployment, "worker-1", victim)
    frozen_at = datetime.now(UTC)
    deployment.processes["killed-worker-1"] = deployment.processes.pop("worker-1")
    deployment.processes["killed-worker-1"].kill()
    deployment.processes["killed-worker-1"].wait(timeout=30)
    await deployment.wait_for("the third cycle", _cycle_done(deployment, cycle))

    runs = await _assert_each_source_synced_once(deployment, cycle, workers)
    # A run the victim had begun is closed as abandoned by the worker that took its source.
    abandoned = {run["source"] for run in runs if run["status"] == "failed"}
    assert abandoned <= held
    assert all(
        run["worker"] == victim and run["error"].startswith("abandoned")
        for run in runs
        if run["status"] == "failed"
    )
    # The survivor took each of them over, once its lease had expired (not before).
    survivor = deployment.worker_name("worker-2")
    taken_over = [run for run in runs if run["source"] in held and run["status"] == "succeeded"]
    assert {run["source"] for run in taken_over} == held
    assert all(run["worker"] == survivor for run in taken_over)
    expired = frozen_at + timedelta(seconds=LEASE_SECONDS / 2)
    assert all(run["started_at"] > expired for run in taken_over)
    await _assert_every_event_is_one_meeting(deployment)
    _assert_servers_agree(deployment, published=5)

    # SIGTERM in the middle of a cycle: the worker finishes the syncs under way, starts no
    # other, and exits holding nothing; the sources it did not reach are still due.
    cycle = await _start_cycle(database)
    await deployment.wait_for("a lease", _holds_a_lease(database, survivor))
    worker = deployment.processes["worker-2"]
    worker.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(worker.wait, 30) == 0, deployment.log("worker-2")
    assert "Stopped." in deployment.log("worker-2")
    runs = await _runs_since(database, cycle)
    assert runs
    assert {run["status"] for run in runs} == {"succeeded"}
    assert (
        await database.fetchval(
            "SELECT count(*) FROM calendar_source WHERE lease_owner IS NOT NULL"
        )
        == 0
    )
    assert await database.fetchval(
        "SELECT count(*) FROM calendar_source WHERE next_sync_at <= $1", cycle
    ) == SOURCES - len(runs)


def _holds_a_lease(database: asyncpg.Connection, worker: str) -> Callable[[], Awaitable[bool]]:
    async def holds() -> bool:
        found = await database.fetchval(
            "SELECT count(*) FROM calendar_source WHERE lease_owner LIKE $1", f"{worker}#%"
        )
        return bool(found)

    return holds


def _answers(port: int) -> Callable[[], Awaitable[bool]]:
    async def answers() -> bool:
        try:
            async with httpx.AsyncClient() as client:
                response = await client.get(f"http://127.0.0.1:{port}/health", timeout=2)
        except httpx.TransportError:
            return False
        return response.status_code == 200

    return answers


async def _freeze_while_holding_leases(deployment: Deployment, name: str, worker: str) -> set[UUID]:
    """Stop (SIGSTOP) the worker as soon as it holds a lease, and return the sources whose leases
    it holds: those it was syncing when it stopped."""
    process = deployment.processes[name]
    pattern = f"{worker}#%"
    deadline = time.monotonic() + CYCLE_SECONDS
    while time.monotonic() < deadline:
        if await deployment.database.fetchval(
            "SELECT count(*) FROM calendar_source WHERE lease_owner LIKE $1", pattern
        ):
            await asyncio.sleep(0.1)  # into the sync
            process.send_signal(signal.SIGSTOP)
            await asyncio.sleep(0.5)  # a commit sent just before the stop lands
            rows = await deployment.database.fetch(
                "SELECT id FROM calendar_source WHERE lease_owner LIKE $1", pattern
            )
            if rows:
                return {row["id"] for row in rows}
            process.send_signal(signal.SIGCONT)
        await asyncio.sleep(0.01)
    raise AssertionError(f"{name} never held a lease:\n{deployment.logs()}")
