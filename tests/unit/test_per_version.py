"""KeptResults: one computation per key however many ask at once, least recently used out
first, and results older than `max_age` computed again."""

import asyncio
import time
from collections.abc import Awaitable, Callable

import pytest

from register.per_version import KeptResults


async def test_concurrent_requests_for_one_key_share_one_computation() -> None:
    kept: KeptResults[int] = KeptResults()
    calls = 0

    async def compute() -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return 42

    results = await asyncio.gather(*(kept.get("key", compute) for _ in range(5)))

    assert results == [42] * 5
    assert calls == 1


async def test_the_least_recently_used_result_goes_first() -> None:
    kept: KeptResults[str] = KeptResults(size=2)
    computed: list[str] = []

    def maker(key: str) -> Callable[[], Awaitable[str]]:
        async def compute() -> str:
            computed.append(key)
            return key

        return compute

    await kept.get("a", maker("a"))
    await kept.get("b", maker("b"))
    await kept.get("a", maker("a"))  # kept: "a" is now the most recently used
    await kept.get("c", maker("c"))  # "b" goes
    await kept.get("a", maker("a"))
    await kept.get("b", maker("b"))

    assert computed == ["a", "b", "c", "b"]


async def test_a_result_older_than_max_age_is_computed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    kept: KeptResults[int] = KeptResults(max_age=300)
    values = iter([1, 2])

    async def compute() -> int:
        return next(values)

    first = await kept.get("key", compute)
    now[0] += 299
    within = await kept.get("key", compute)
    now[0] += 2
    after = await kept.get("key", compute)

    assert (first, within, after) == (1, 1, 2)
