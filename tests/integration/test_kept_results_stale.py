"""After a publication, a result that took long to compute is answered as it was while the new
one is computed in the background; one computed quickly is always the current state's."""

import asyncio
import time
from datetime import UTC, datetime

import pytest
from piccolo.engine.base import Engine

from register.per_version import KeptResults
from register.queries import MeetingFilter
from register.statistics import search_figures
from tests.published import publish_meeting, register_of_five
from tests.stored import StoredRegister


class Clock:
    """`time.monotonic`, advanced by hand: a computation "takes" as long as it says."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(time, "monotonic", clock)
    return clock


@pytest.fixture
async def stored(db: Engine) -> StoredRegister:
    """A register of five published meetings, to publish one more."""
    stored, _ = await register_of_five()
    return stored


async def _settled(kept: KeptResults[int]) -> None:
    """Wait for the background refreshes started so far."""
    await asyncio.gather(*list(kept._refreshing.values()))


async def test_a_slow_result_is_answered_stale_then_replaced(
    clock: Clock, stored: StoredRegister
) -> None:
    kept: KeptResults[int] = KeptResults(slow=2.0)
    computed = [0]
    release = asyncio.Event()

    async def compute() -> int:
        computed[0] += 1
        if computed[0] > 1:
            await release.wait()
        clock.now += 30  # a whole-register figure of a large register
        return computed[0]

    assert await kept.per_version("figure", compute) == 1
    assert await kept.per_version("figure", compute) == 1
    await publish_meeting(stored, datetime(2026, 4, 1, 9, tzinfo=UTC))

    assert await kept.per_version("figure", compute) == 1  # the previous state's, at once
    assert await kept.per_version("figure", compute) == 1  # while the refresh runs
    assert computed[0] == 2  # one refresh, not one per request
    release.set()
    await _settled(kept)
    assert await kept.per_version("figure", compute) == 2
    assert computed[0] == 2


async def test_a_quick_result_is_always_the_current_states(
    clock: Clock, stored: StoredRegister
) -> None:
    kept: KeptResults[int] = KeptResults(slow=2.0)
    computed = [0]

    async def compute() -> int:
        computed[0] += 1
        clock.now += 1
        return computed[0]

    assert await kept.per_version("figure", compute) == 1
    await publish_meeting(stored, datetime(2026, 4, 1, 9, tzinfo=UTC))
    assert await kept.per_version("figure", compute) == 2
    assert not kept._refreshing


async def test_a_failed_refresh_keeps_the_previous_result_and_is_tried_again(
    clock: Clock, stored: StoredRegister
) -> None:
    kept: KeptResults[int] = KeptResults(slow=2.0)
    outcomes: list[int | Exception] = [1, RuntimeError("database went away"), 3]

    async def compute() -> int:
        clock.now += 30
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert await kept.per_version("figure", compute) == 1
    await publish_meeting(stored, datetime(2026, 4, 1, 9, tzinfo=UTC))
    assert await kept.per_version("figure", compute) == 1
    await _settled(kept)
    assert await kept.per_version("figure", compute) == 1  # failed: the old one, and again
    await _settled(kept)
    assert await kept.per_version("figure", compute) == 3
    assert outcomes == []


async def test_the_search_figures_follow_a_publication(db: Engine) -> None:
    stored, published = await register_of_five()
    everything = MeetingFilter()
    before = await search_figures(everything)
    assert before.summary.meetings == len(published)

    await publish_meeting(stored, datetime(2026, 4, 1, 9, tzinfo=UTC))
    after = await search_figures(everything)

    assert after.summary.meetings == len(published) + 1
    assert sum(month.meetings for month in after.per_month) == len(published) + 1
