"""Streamed answers that fail before they start: once a streamed answer's first bytes are sent,
an error can no longer become a problem document, so the first item is read beforehand (a
database that does not answer is then a 503, not a cut answer)."""

from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

_T = TypeVar("_T")


async def _chain(first: _T, rest: AsyncIterator[_T]) -> AsyncIterator[_T]:
    yield first
    async for item in rest:
        yield item


async def _nothing() -> AsyncIterator[_T]:
    empty: tuple[_T, ...] = ()
    for item in empty:
        yield item


async def primed(items: AsyncIterable[_T]) -> AsyncIterator[_T]:
    """`items`, whose first item has already been read."""
    iterator = aiter(items)
    try:
        first = await anext(iterator)
    except StopAsyncIteration:
        return _nothing()
    return _chain(first, iterator)
