"""A first sync's answer cut in the middle, after some of its batches were already written
(issue 7: the full load is handed on and written batch by batch): the retried REPORT sends
the first objects again, and none is written twice nor lost."""

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from connectors import caldav_sync
from connectors.caldav_source import CalDAVConnector
from connectors.delta import ObjectOutcome, OutcomeSink, SyncDelta, Window
from register.domain.kinds import SyncRunStatus
from register.services.connector_factory import ConnectorLimits
from register.services.sync import sync_source
from register.settings import Settings
from tests.faults.calendars import calendar_view, event
from tests.faults.proxy import Fault, FaultKind, FaultProxy
from tests.servers import RadicaleServer
from tests.stored import StoredRegister, store_caldav_source

pytestmark = pytest.mark.xdist_group("faults")

NOW = datetime(2026, 12, 15, 8, tzinfo=UTC)
WINDOW = Window.around(NOW)

OBJECTS = 400
"""Enough that half the answer (what a RESET lets through) fills several reads of it."""

BATCH = 20

TIMEOUT = 60.0
"""Radicale's first answer about a calendar just written into its storage reads every object
(seconds on a busy machine); the fault here is a reset, not a silence."""


class Watched(CalDAVConnector):
    """The real connector, noting each batch it hands on and what the proxy had been asked by
    then."""

    def __init__(self, proxy: FaultProxy, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proxy = proxy
        self.batches: list[tuple[int, int]] = []
        """(objects in the batch, REPORTs the proxy had seen when it was handed on)."""

    async def stream(
        self, state: Mapping[str, Any], window: Window, sink: OutcomeSink
    ) -> SyncDelta:
        async def noted(batch: Sequence[ObjectOutcome]) -> None:
            reports = sum(1 for seen in self.proxy.seen if seen.method == "REPORT")
            self.batches.append((len(batch), reports))
            await sink(batch)

        return await super().stream(state, window, noted)


async def watched_source(
    radicale: RadicaleServer,
    proxy: FaultProxy,
    stored: StoredRegister,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    **options: Any,
) -> tuple[UUID, set[tuple[str, str]], Watched]:
    """A source of OBJECTS events read through the proxy in batches of BATCH: its id, its
    occurrence keys, and its watched connector (`options`: retries, backoff)."""
    monkeypatch.setattr(caldav_sync, "FULL_LOAD_BATCH", BATCH)
    path, keys = await filled(radicale)
    url = proxy.url + path
    source_id = await store_caldav_source(
        stored.owner, url, radicale.username, radicale.password, settings
    )
    connector = Watched(
        proxy, url, radicale.username, radicale.password, timeout=TIMEOUT, **options
    )
    return source_id, keys, connector


async def filled(radicale: RadicaleServer) -> tuple[str, set[tuple[str, str]]]:
    """A calendar of OBJECTS events written into Radicale's storage, read once directly (not
    through the proxy, whose own wait for the server is short): Radicale's first answer about
    it reads every object, seconds on a busy machine. Its path, and the occurrence keys."""
    calendar = radicale.make_calendar(f"agenda-{uuid4().hex[:10]}", "Agenda de Marie Durand")
    keys = fill(radicale.collection_folder(calendar))
    direct = CalDAVConnector(calendar.url, radicale.username, radicale.password, timeout=TIMEOUT)
    assert len((await direct.sync({}, WINDOW)).changed) == OBJECTS
    return calendar.path, keys


def fill(folder: Path) -> set[tuple[str, str]]:
    """OBJECTS events written into Radicale's storage; their occurrence keys."""
    keys = set()
    for number in range(OBJECTS):
        uid = f"rdv-{number:04d}@ville-test.example"
        detail = f"DESCRIPTION:Réunion de travail numéro {number}, ordre du jour joint"
        (folder / f"rdv-{number:04d}.ics").write_text(
            event(uid, f"Rendez-vous {number}", 1 + number % 28, 8 + number % 10, detail)
        )
        keys.add((uid, ""))
    return keys


async def test_a_full_load_cut_after_some_batches_is_retried_without_duplicates(
    radicale: RadicaleServer,
    proxy: FaultProxy,
    stored: StoredRegister,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source_id, keys, connector = await watched_source(
        radicale, proxy, stored, settings, monkeypatch, retries=1, backoff=0.05
    )

    with proxy.faulty(Fault(FaultKind.RESET, body_contains="calendar-query", times=1)):
        run = await sync_source(
            source_id,
            settings,
            now=NOW,
            connector_override=connector,
            limits=ConnectorLimits(timeout=TIMEOUT, retries=1, backoff=0.05),
        )

    assert proxy.faults_served() == 1
    before_the_retry = [size for size, reports in connector.batches if reports == 1]
    assert before_the_retry, "no batch was handed on before the answer was cut"
    assert sum(size for size, _ in connector.batches) == OBJECTS  # each object once
    assert run.status is SyncRunStatus.SUCCEEDED, run.failures
    assert (run.counts.new, run.counts.failed, run.counts.cancelled) == (OBJECTS, 0, 0)
    assert set(await calendar_view(stored, source_id)) == keys
    # The state names every object: the next sync finds nothing to do.
    again = await sync_source(
        source_id, settings, now=NOW.replace(minute=5), limits=ConnectorLimits(timeout=TIMEOUT)
    )
    assert (again.counts.new, again.counts.changed, again.counts.cancelled) == (0, 0, 0)
    assert again.counts.unchanged == OBJECTS


async def test_a_full_load_cut_for_good_writes_nothing(
    radicale: RadicaleServer,
    proxy: FaultProxy,
    stored: StoredRegister,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Batches written before the failure are rolled back with the run: the meetings are as
    they were, and the next run loads everything. (The answer is cut short as a proxy may cut
    it, its first half sent as if whole: every object of that half is handed on, and written,
    before the end of the answer shows it is no multistatus.)"""
    source_id, keys, connector = await watched_source(
        radicale, proxy, stored, settings, monkeypatch, retries=0
    )

    with proxy.faulty(Fault(FaultKind.TRUNCATE, body_contains="calendar-query")):
        run = await sync_source(source_id, settings, now=NOW, connector_override=connector)

    assert len(connector.batches) > 1, "the batches were not handed on before the answer ended"
    assert run.status is SyncRunStatus.FAILED
    assert "could not be read while loading the events" in run.error
    assert await calendar_view(stored, source_id) == {}

    recovered = await sync_source(
        source_id, settings, now=NOW.replace(minute=5), limits=ConnectorLimits(timeout=TIMEOUT)
    )
    assert recovered.counts.new == OBJECTS
    assert set(await calendar_view(stored, source_id)) == keys
