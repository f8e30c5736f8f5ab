"""The feeds' in-process cache: never stale, bounded, one generation for concurrent readers,
and served gzipped as generated once (not compressed again per request)."""

import asyncio
import gzip
from datetime import UTC, datetime
from functools import partial
from typing import Any

import httpx
import pytest
from piccolo.engine.base import Engine

from register.web.feed_cache import FeedCache
from tests.published import publish_meeting, register_of_five


async def test_a_publication_changes_the_cached_feed_at_once(
    client: httpx.AsyncClient, db: Engine[Any]
) -> None:
    stored, _ = await register_of_five()
    first = await client.get("/feeds/rencontres.rss")
    cached = await client.get("/feeds/rencontres.rss")
    unchanged = await client.get(
        "/feeds/rencontres.rss", headers={"if-none-match": first.headers["etag"]}
    )

    await publish_meeting(
        stored, datetime(2026, 4, 1, 9, tzinfo=UTC), subject="Réseau de chaleur urbain"
    )
    after = await client.get(
        "/feeds/rencontres.rss", headers={"if-none-match": first.headers["etag"]}
    )

    assert cached.content == first.content
    assert cached.headers["etag"] == first.headers["etag"]
    assert unchanged.status_code == 304
    assert after.status_code == 200
    assert after.headers["etag"] != first.headers["etag"]
    assert "Réseau de chaleur urbain" in after.text
    assert "Réseau de chaleur urbain" not in first.text


async def test_a_feed_is_served_gzipped_once_not_compressed_again(
    client: httpx.AsyncClient, db: Engine[Any]
) -> None:
    await register_of_five()
    plain = await client.get("/feeds/rencontres.ics", headers={"accept-encoding": "identity"})
    zipped = await client.get("/feeds/rencontres.ics", headers={"accept-encoding": "gzip, br"})
    refused = await client.get("/feeds/rencontres.ics", headers={"accept-encoding": "gzip;q=0"})

    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert zipped.content == plain.content  # decoded once by httpx: compressed exactly once
    assert zipped.num_bytes_downloaded < len(plain.content)
    assert zipped.headers["etag"] == plain.headers["etag"]
    assert "content-encoding" not in refused.headers
    assert refused.content == plain.content


async def _body(text: str, delay: float = 0.0) -> bytes:
    await asyncio.sleep(delay)
    return text.encode()


async def test_the_cache_keeps_the_most_recently_used_feeds_within_its_size() -> None:
    size = len(b"a" * 400) + len(gzip.compress(b"a" * 400, mtime=0))
    cache = FeedCache(max_bytes=2 * size)
    calls: list[str] = []

    async def build(key: str) -> bytes:
        calls.append(key)
        return await _body(key * 400)

    for key in ("a", "b", "a", "c", "a", "b"):
        await cache.get(key, partial(build, key))

    assert calls == ["a", "b", "c", "b"]  # "b" was the least recently used when "c" came
    assert len(cache) == 2
    assert cache.size <= cache.max_bytes


async def test_concurrent_readers_of_a_feed_wait_for_one_generation() -> None:
    cache = FeedCache(max_bytes=1 << 20)
    calls = 0

    async def build() -> bytes:
        nonlocal calls
        calls += 1
        return await _body("BEGIN:VCALENDAR", delay=0.05)

    feeds = await asyncio.gather(*(cache.get("k", build) for _ in range(20)))

    assert calls == 1
    assert {feed.body for feed in feeds} == {b"BEGIN:VCALENDAR"}
    assert gzip.decompress(feeds[0].gzipped) == b"BEGIN:VCALENDAR"


async def test_a_failed_generation_is_not_kept_and_the_next_reader_tries_again() -> None:
    cache = FeedCache(max_bytes=1 << 20)

    async def failing() -> bytes:
        raise ConnectionError("database gone")

    with pytest.raises(ConnectionError):
        await cache.get("k", failing)
    feed = await cache.get("k", partial(_body, "ok"))

    assert feed.body == b"ok"
    assert len(cache) == 1


async def test_a_feed_larger_than_the_cache_is_served_but_not_kept() -> None:
    cache = FeedCache(max_bytes=100)
    feed = await cache.get("k", partial(_body, "x" * 500))

    assert len(feed.body) == 500
    assert len(cache) == 0
    assert cache.size == 0
