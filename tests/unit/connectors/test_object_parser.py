"""Large batches of calendar objects are read in worker processes, with the same outcomes as in
process, and no worker outlives the sync; without a pool they are read in process."""

import logging
import multiprocessing
import os
from datetime import UTC, datetime
from functools import cache
from typing import NoReturn

import pytest

from connectors import object_parser
from connectors.caldav_report import Body
from connectors.delta import ObjectChanged, ObjectFailed, Window
from connectors.object_parser import POOL_FROM, ObjectParser, parse

YEAR_2027 = Window(start=datetime(2027, 1, 1, tzinfo=UTC), end=datetime(2028, 1, 1, tzinfo=UTC))


def meeting(number: int) -> Body:
    """A one-hour meeting on a day of 2027; every 50th object has a DTSTART that is no time."""
    start = "demain" if number % 50 == 7 else f"2027{1 + number % 12:02d}{1 + number % 28:02d}"
    text = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "BEGIN:VEVENT",
            f"UID:rdv-{number}@ville-bellerive.fr",
            f"DTSTART;TZID=Europe/Paris:{start}T100000",
            f"DTEND;TZID=Europe/Paris:{start}T110000",
            f"SUMMARY:Rencontre n° {number}",
            "RRULE:FREQ=WEEKLY;COUNT=3" if number % 10 == 0 else "CLASS:PUBLIC",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    return Body(f"/marie.dupont/agenda/rdv-{number}.ics", f'"etag-{number}"', text)


BATCH = [meeting(number) for number in range(POOL_FROM + 41)]


@cache
def in_process() -> list[ObjectChanged | ObjectFailed]:
    return parse(BATCH, YEAR_2027, "Europe/Paris")


def _die(*_: object) -> NoReturn:
    """A worker killed mid-batch (out of memory, a signal)."""
    os._exit(1)


@pytest.fixture
def parser() -> ObjectParser:
    return ObjectParser(YEAR_2027, "Europe/Paris", workers=2)


async def test_a_large_batch_is_read_in_worker_processes_alike(parser: ObjectParser) -> None:
    try:
        outcomes = await parser.parse(BATCH)
        workers = multiprocessing.active_children()
    finally:
        parser.close()

    assert len(workers) == 2
    assert outcomes == in_process()  # the same objects, in the same order
    failed = [outcome for outcome in outcomes if isinstance(outcome, ObjectFailed)]
    assert [failure.href for failure in failed] == [
        f"/marie.dupont/agenda/rdv-{number}.ics" for number in range(7, len(BATCH), 50)
    ]
    assert multiprocessing.active_children() == []  # no worker outlives the sync


async def test_a_small_batch_starts_no_process(parser: ObjectParser) -> None:
    try:
        outcomes = await parser.parse(BATCH[:POOL_FROM])
        assert multiprocessing.active_children() == []
    finally:
        parser.close()

    assert outcomes == in_process()[:POOL_FROM]


async def test_without_a_pool_the_batch_is_read_in_process(
    parser: ObjectParser, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refused(**_: object) -> NoReturn:
        raise OSError("fork: Resource temporarily unavailable")

    monkeypatch.setattr(object_parser, "ProcessPoolExecutor", refused)

    with caplog.at_level(logging.WARNING, logger="connectors.object_parser"):
        outcomes = await parser.parse(BATCH)
    parser.close()

    assert outcomes == in_process()
    assert "Resource temporarily unavailable" in caplog.text


async def test_a_worker_that_dies_leaves_the_batch_to_the_process(
    parser: ObjectParser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(object_parser, "parse_chunk", _die)

    try:
        outcomes = await parser.parse(BATCH)
        again = await parser.parse(BATCH)  # the broken pool is not tried again
    finally:
        parser.close()

    assert outcomes == again == in_process()
    assert multiprocessing.active_children() == []


async def test_one_core_gets_no_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    def unwanted(**_: object) -> NoReturn:
        raise AssertionError("a pool was started for one core")

    monkeypatch.setattr(object_parser, "ProcessPoolExecutor", unwanted)
    parser = ObjectParser(YEAR_2027, "Europe/Paris", workers=1)

    assert await parser.parse(BATCH) == in_process()
