"""Drawing from weighted lists fast and reproducibly, and the identifiers the register uses."""

import random
from bisect import bisect
from collections.abc import Sequence
from datetime import datetime
from itertools import accumulate
from typing import Generic, TypeVar
from uuid import UUID

T = TypeVar("T")


class Weighted(Generic[T]):
    """Items with weights, drawn in O(log n) (`random.choices` recomputes the sums each call)."""

    __slots__ = ("_cumulative", "_total", "items")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights):
            raise ValueError("a weighted draw needs as many weights as items, and some items")
        self.items = list(items)
        self._cumulative = list(accumulate(weights))
        self._total = self._cumulative[-1]

    def __len__(self) -> int:
        return len(self.items)

    def draw(self, rng: random.Random) -> T:
        return self.items[bisect(self._cumulative, rng.random() * self._total)]

    def draw_distinct(self, rng: random.Random, k: int, excluded: T | None = None) -> list[T]:
        """Up to `k` different items, likelier the heavier, never `excluded`."""
        found: list[T] = []
        wanted = min(k, len(self.items) - (excluded in self.items))
        for _ in range(8 * wanted):
            if len(found) >= wanted:
                break
            item = self.draw(rng)
            if item is not excluded and item not in found:
                found.append(item)
        return found


def some(rng: random.Random, items: Sequence[T], k: int) -> tuple[T, ...]:
    """`k` (at most all) different items in a row from a random place, wrapping around: what
    `random.sample` gives for small k, without its costly check that `items` is a Sequence."""
    start, size = rng.randrange(len(items)), len(items)
    return tuple(items[(start + n) % size] for n in range(min(k, size)))


def time_ordered_id(rng: random.Random, moment: datetime) -> UUID:
    """An id shaped like `register.store.ids.new_id` (a ULID: 48 bits of milliseconds, 80
    random bits), but reproducible: its time is `moment` and its random bits come from `rng`."""
    milliseconds = int(moment.timestamp() * 1000)
    return UUID(int=(milliseconds << 80) | rng.getrandbits(80))


def pareto_weight(rng: random.Random, alpha: float, cap: float) -> float:
    """A heavy-tailed weight (at least 1): a few organisations ask for most meetings."""
    return min(cap, float((1.0 - rng.random()) ** (-1.0 / alpha)))


def siren(rng: random.Random) -> str:
    """A company's or association's SIREN: 9 digits passing the Luhn check (as
    `register.services.demo.data.siren`, with the check digit computed, not searched for)."""
    body = str(rng.randrange(3, 10)) + "".join(str(rng.randrange(10)) for _ in range(7))
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char) * (1 if position % 2 else 2)  # the check digit will take position 0
        total += value - 9 if value > 9 else value
    return body + str(-total % 10)
