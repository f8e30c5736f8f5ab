"""A worker killed with SIGKILL at random points of a sync and of a publication, and restarted,
over and over (issue 8), on SQLite and PostgreSQL, against a real Radicale.

Each round changes the calendar, forks a child (after imports: a fork costs milliseconds where
a fresh interpreter costs a second) that syncs the source and publishes or corrects meetings at
the same time, and kills it after a random delay; the next child starts as a restarted worker
does, once the dead one's lease has expired (its clock is moved on by more than a lease). After
the last round a child runs to its end. Then: one meeting per occurrence, the calendar's fields
exactly those of a fresh sync, every staff edit kept, every log entry whole, the log verified,
the public projection at the log's last version of each meeting, no sync run left running.

`REGISTER_KILL_ROUNDS` sets the rounds per engine (CI: 50); `REGISTER_KILL_SEED` replays one.
"""

import asyncio
import contextlib
import json
import os
import random
import signal
import statistics
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from register.domain.classification import Classification
from register.domain.kinds import (
    ClassificationKind,
    Decider,
    MeetingStatus,
    PublicationState,
    SourceKind,
    SyncRunStatus,
)
from register.domain.meeting import Meeting
from register.services.publication import ActionRefusedError, Actor, correct, publish
from register.services.record_form import RecordForm
from register.services.sources import add_source
from register.services.sync import ABANDONED, SourceBusyError, sync_source
from register.settings import Settings
from register.store.engine import make_engine, use_engine
from register.store.repositories.errors import ConflictError
from register.store.repositories.meetings import get_meeting, list_meetings, update_meeting
from register.store.repositories.publication_log import iter_entries, verify_log
from register.store.repositories.sync_runs import runs_for_source
from register.store.tables import PublicMeeting
from tests import factories
from tests.faults.calendars import calendar_view, event
from tests.servers import RadicaleServer
from tests.stored import StoredRegister

pytestmark = pytest.mark.xdist_group("faults")

ROUNDS = int(os.environ.get("REGISTER_KILL_ROUNDS", "50"))
SEED = int(os.environ.get("REGISTER_KILL_SEED", str(random.SystemRandom().randrange(10**6))))
EVENTS = 12
EDITED = 6
"""Meetings whose record staff filled in, which the children publish and correct."""
LEASE_SECONDS = 60
STEP = timedelta(seconds=LEASE_SECONDS + 1)
"""How far each restarted child's clock is ahead of the last: past any lease it left."""
BASE = datetime.now(UTC)
ACTOR = Actor(label="kill-test")
FINISH_SECONDS = 60.0
"""A child left to finish that takes longer than this is stuck, and the test fails."""


@dataclass(frozen=True)
class Scene:
    settings: Settings
    stored: StoredRegister
    source_id: UUID
    folder: Path
    edited: tuple[UUID, ...]
    url: str
    username: str
    password: str
    database: str
    """The PostgreSQL URL, or the SQLite file."""


def write_event(folder: Path, number: int, version: int) -> None:
    (folder / f"e{number:02d}.ics").write_text(
        event(
            f"e{number:02d}@ville-test.example",
            f"Rendez-vous {number} (version {version})",
            day=4 + number % 24,
            hour=8 + version % 10,
        )
    )


def change_calendar(folder: Path, rng: random.Random, round_number: int) -> None:
    """One round of another client's edits: an event moved and renamed, sometimes one deleted
    and one added."""
    write_event(folder, rng.randrange(EVENTS), round_number)
    if round_number % 5 == 4:
        files = sorted(folder.glob("*.ics"))
        files[rng.randrange(len(files))].unlink()
        write_event(folder, EVENTS + round_number, 0)


async def set_scene(
    engine: Engine[Any], stored: StoredRegister, radicale: RadicaleServer, root: Path
) -> Scene:
    settings = Settings(data_dir=root, sync_lease_seconds=LEASE_SECONDS)
    calendar = radicale.make_calendar(f"kill-{uuid4().hex[:10]}", "Agenda de Marie Durand")
    folder = radicale.collection_folder(calendar)
    for number in range(EVENTS):
        write_event(folder, number, 0)
    source = await add_source(
        stored.owner,
        kind=SourceKind.CALDAV,
        url=calendar.url,
        username=radicale.username,
        password=radicale.password,
        settings=settings,
    )
    first = await sync_source(source.id, settings, now=BASE)
    assert first.status is SyncRunStatus.SUCCEEDED, first.error
    meetings = sorted(
        (m for m in await list_meetings(stored.authority.id) if m.source is not None),
        key=lambda m: m.when.starts_at,
    )
    edited = []
    for number, meeting in enumerate(meetings[:EDITED]):
        record = factories.complete_record(
            stored.owner,
            stored.colleague,
            stored.representative,
            subject=f"Projet de rénovation de la gare, réunion de travail n° {number}",
        )
        await update_meeting(
            meeting.model_copy(update={"record": record, "classification": staff_verdict(stored)})
        )
        edited.append(meeting.id)
    if isinstance(engine, PostgresEngine):
        database = str(engine.config["dsn"])
    else:
        assert isinstance(engine, SQLiteEngine)
        database = str(engine.path)
    return Scene(
        settings,
        stored,
        source.id,
        folder,
        tuple(edited),
        calendar.url,
        radicale.username,
        radicale.password,
        database,
    )


def staff_verdict(stored: StoredRegister) -> Classification:
    return Classification(
        kind=ClassificationKind.INTEREST_REPRESENTATIVE,
        confidence=1.0,
        decided_by=Decider.STAFF,
        representative_ids=(stored.representative.id,),
    )


# The child: a worker that syncs and publishes until it is killed.


def run_child(scene: Scene, round_number: int, seed: int) -> int:
    """In the forked child: its own event loop and database connections, then the work."""
    # Python 3.11 keeps the parent's running loop in the child after a fork.
    asyncio.events._set_running_loop(None)
    try:
        asyncio.run(_child(scene, round_number, seed))
    except BaseException:
        traceback.print_exc()
        return 1
    return 0


async def _child(scene: Scene, round_number: int, seed: int) -> None:
    if scene.database.startswith("postgres"):
        engine: Engine[Any] = make_engine(Settings(database_url=scene.database))
        assert isinstance(engine, PostgresEngine)
        await engine.start_connection_pool(min_size=1, max_size=3)
    else:
        engine = SQLiteEngine(path=scene.database, timeout=30)
    use_engine(engine)
    now = BASE + STEP * (round_number + 1)
    await asyncio.gather(
        _sync(scene, now, round_number),
        _publish(scene, random.Random(seed), round_number),  # noqa: S311
    )


async def _sync(scene: Scene, now: datetime, round_number: int) -> None:
    # A live lease of a child that finished: the next round syncs.
    with contextlib.suppress(SourceBusyError):
        await sync_source(scene.source_id, scene.settings, now=now, worker=f"child-{round_number}")


async def _publish(scene: Scene, rng: random.Random, round_number: int) -> None:
    for meeting_id in rng.sample(scene.edited, 3):
        meeting = await get_meeting(meeting_id)
        assert meeting is not None
        try:
            if meeting.publication_state in {PublicationState.DRAFT, PublicationState.READY}:
                await publish(
                    meeting_id,
                    lock_version=meeting.lock_version,
                    actor=ACTOR,
                    now=datetime.now(UTC),
                )
            else:
                form = RecordForm.from_meeting(meeting).model_copy(
                    update={"subject": f"{_base(meeting)} — précisé au tour {round_number}"}
                )
                await correct(
                    meeting_id,
                    form,
                    lock_version=meeting.lock_version,
                    reason="Objet précisé par le cabinet",
                    actor=ACTOR,
                    now=datetime.now(UTC),
                )
        except (ConflictError, ActionRefusedError):
            # The sync changed the meeting meanwhile, or cancelled it: another round will do.
            pass


def _base(meeting: Meeting) -> str:
    return meeting.record.subject.split(" — ")[0]


# The parent: the loop, then the checks.


@dataclass
class Tally:
    kills: int = 0
    """Children killed while still working."""
    finished: int = 0
    """Children that finished before their kill came."""
    seconds: float = 0.0


def kill_at_random(
    scene: Scene, round_number: int, rng: random.Random, span: float
) -> float | None:
    """Fork a child and SIGKILL it after a random delay within `span` seconds; None if it was
    killed at work, else how long it took to finish."""
    seed = rng.randrange(10**9)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os._exit(run_child(scene, round_number, seed))
    deadline = started + rng.uniform(0.0, span)
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0, f"round {round_number} failed"
            return time.monotonic() - started
        time.sleep(0.002)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return None
    # It ended between the last look and the kill.
    assert os.waitstatus_to_exitcode(status) == 0, f"round {round_number} failed"
    return time.monotonic() - started


def finish(scene: Scene, round_number: int) -> float:
    """A child that runs to its end; returns how long it took."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover
        os._exit(run_child(scene, round_number, round_number))
    while time.monotonic() < started + FINISH_SECONDS:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0, f"round {round_number} failed"
            return time.monotonic() - started
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError(f"the child of round {round_number} hung")


async def test_sigkill_at_random_points_of_syncs_and_publications_loses_nothing(
    db: Engine[Any],
    stored: StoredRegister,
    radicale: RadicaleServer,
    tmp_path: Path,
) -> None:
    scene = await set_scene(db, stored, radicale, tmp_path)
    rng = random.Random(SEED)  # noqa: S311 - a replayable sequence, not a secret
    tally = Tally()
    started = time.monotonic()
    # A child that finishes tells how long one takes; kills land anywhere in that span,
    # measured again by each child that finishes before its kill (the first is the slowest).
    change_calendar(scene.folder, rng, 0)
    durations = [finish(scene, 0)]
    for round_number in range(1, ROUNDS + 1):
        change_calendar(scene.folder, rng, round_number)
        span = statistics.median(durations[-5:])
        finished = kill_at_random(scene, round_number, rng, span)
        if finished is None:
            tally.kills += 1
        else:
            tally.finished += 1
            durations.append(finished)
    finish(scene, ROUNDS + 1)
    tally.seconds = time.monotonic() - started
    print(
        f"\nseed {SEED}: {tally.kills} kills, {tally.finished} finished, {tally.seconds:.1f} s,",
        end=" ",
    )

    assert tally.kills >= ROUNDS // 2, tally
    await check_meetings(scene)
    await check_log()
    runs = await runs_for_source(scene.source_id, limit=ROUNDS + 10)
    assert runs[0].status is SyncRunStatus.SUCCEEDED
    assert all(run.status is not SyncRunStatus.RUNNING for run in runs)
    # Kills landed inside syncs: runs left running by a dead child, closed by the next one.
    abandoned = sum(1 for run in runs if run.error == ABANDONED)
    entries, _ = await verify_log()
    print(f"{abandoned} syncs cut short, {entries} log entries")
    assert abandoned >= 1


async def check_meetings(scene: Scene) -> None:
    stored = scene.stored
    meetings = [m for m in await list_meetings(stored.authority.id, limit=1000) if m.source]
    keys = Counter((m.source.uid, m.source.recurrence_id) for m in meetings if m.source)
    assert max(keys.values()) == 1, "a meeting was duplicated"
    # The calendar's fields: exactly what a fresh sync of the calendar makes of it.
    twin = await add_source(
        stored.colleague,
        kind=SourceKind.CALDAV,
        url=scene.url,
        username=scene.username,
        password=scene.password,
        settings=scene.settings,
    )
    fresh = await sync_source(twin.id, scene.settings, now=BASE + STEP * (ROUNDS + 3))
    assert fresh.status is SyncRunStatus.SUCCEEDED, fresh.error
    live = {
        key: value
        for key, value in (await calendar_view(stored, scene.source_id)).items()
        if value[1] is not MeetingStatus.CANCELLED
    }
    assert live == await calendar_view(stored, twin.id)
    on_server = {f"{path.stem}@ville-test.example" for path in scene.folder.glob("*.ics")}
    assert {uid for uid, _ in live} == on_server
    # Staff edits: the record staff entered (or last corrected), and their classification.
    last_subjects = await _last_published_subjects()
    for meeting_id in scene.edited:
        meeting = await get_meeting(meeting_id)
        assert meeting is not None
        assert meeting.classification == staff_verdict(stored)
        assert meeting.record.officials_present == (stored.owner.id, stored.colleague.id)
        if meeting.published_version:
            assert meeting.record.subject == last_subjects[meeting_id]
        else:
            assert meeting.record.subject.startswith("Projet de rénovation de la gare")
            assert " — " not in meeting.record.subject


async def _last_published_subjects() -> dict[UUID, str]:
    subjects: dict[UUID, str] = {}
    async for entry in iter_entries():
        subjects[entry.meeting_id] = json.loads(entry.body)["payload"]["subject"]
    return subjects


async def check_log() -> None:
    checked, problems = await verify_log()
    assert problems == []
    versions: dict[UUID, list[int]] = {}
    last_seq: dict[UUID, int] = {}
    async for entry in iter_entries():
        versions.setdefault(entry.meeting_id, []).append(entry.version)
        last_seq[entry.meeting_id] = entry.seq
    assert checked == sum(len(v) for v in versions.values()) > 0
    projection = {row["id"]: row for row in await PublicMeeting.select()}
    assert set(projection) == set(versions)
    for meeting_id, numbers in versions.items():
        # Whole entries only: versions 1, 2, 3… each once, the meeting and its public row at
        # the last.
        assert numbers == list(range(1, len(numbers) + 1))
        meeting = await get_meeting(meeting_id)
        assert meeting is not None
        assert meeting.published_version == numbers[-1]
        assert projection[meeting_id]["version"] == numbers[-1]
        assert projection[meeting_id]["log_seq"] == last_seq[meeting_id]
