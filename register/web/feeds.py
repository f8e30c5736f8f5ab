"""The feeds: iCalendar, RSS 2.0 and Atom, for the whole register or any search.

A feed's ETag is computed from the publication log's last entry and the request before anything
is generated, so a calendar app polling an unchanged feed gets a 304 for one small query; a
generated feed is kept, with its gzip, in a bounded in-process cache under that ETag
(`register.web.feed_cache`), so thousands of readers of the same feed cost one generation and one
compression per publication.
"""

import asyncio
import hashlib
from collections.abc import Callable
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide

from feeds.ical import ICALENDAR_MEDIA_TYPE, CalendarWriter
from feeds.syndication import atom_feed, rss_feed
from register.domain.public_record import PublishedMeeting
from register.queries import (
    REGISTER_ZONE,
    MeetingFilter,
    iter_meetings,
    log_entries,
    register_version,
)
from register.settings import Settings
from register.web.feed_cache import FeedCache
from register.web.filters import meeting_filter

ICAL_LIMIT = 10_000
"""Meetings in an iCalendar feed at most (the most recent); the downloads hold everything."""
ENTRIES = 100
"""Entries of an RSS or Atom feed (the latest publications, corrections and withdrawals)."""
WRITE_BATCH = 50
"""Meetings written as iCalendar at a time, in a thread: few enough that their records die
young (a batch of 1,000 lived long enough for the garbage collector to promote and walk them,
about a tenth of a cold feed's CPU)."""
CACHE_BYTES = 64 * 1024 * 1024
"""Feeds kept per server process: about five full iCalendar feeds (10,000 meetings are 9.5 MB,
1.4 MB gzipped) and hundreds of searches."""
PRECOMPRESSED = "precompressed"
"""The handler `opt` key telling the app's compression middleware to leave a response alone:
feeds are served already gzipped from the cache."""
cache = FeedCache(CACHE_BYTES)
_MEDIA_TYPES = {
    "ics": ICALENDAR_MEDIA_TYPE,
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}
NAME = "Registre de transparence des agendas"


def base_url(request: Request[Any, Any, Any], settings: Settings) -> str:
    return (settings.base_url or str(request.base_url)).rstrip("/")


def canonical_url(
    request: Request[Any, Any, Any], settings: Settings, filters: MeetingFilter
) -> str:
    """The feed's own address with its filters in one order, so it names the feed for good."""
    query = urlencode(sorted(filters.params().items()))
    return f"{base_url(request, settings)}{request.url.path}" + (f"?{query}" if query else "")


def _describe(filters: MeetingFilter, sample: PublishedMeeting | None) -> str:
    """What the feed holds, in words: "Rencontres de Marie Durand", "… sur « gare »"."""
    parts: list[str] = []
    if sample is not None:
        record = sample.record
        if filters.official:
            parts.append(f"de {record.official.name}")
        if filters.authority:
            parts.append(f"— {record.authority.name}")
        if filters.organisation:
            names = [rep.name for rep in record.representatives if rep.id == filters.organisation]
            if names:
                parts.append(f"avec {names[0]}")
        if filters.policy_area and record.policy_area:
            parts.append(f"— {record.policy_area.label.fr}")
    if filters.q:
        parts.append(f"« {filters.q} »")
    return " ".join(["Rencontres", *parts]) if parts else "Toutes les rencontres publiées"


def accepts_gzip(request: Request[Any, Any, Any]) -> bool:
    """Whether the client takes gzip (RFC 9110 §12.5.3): named, or `*`, with a quality above 0;
    a named gzip wins over `*`."""
    qualities: dict[str, float] = {}
    for coding in request.headers.get("accept-encoding", "").split(","):
        name, *parameters = coding.split(";")
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[name.strip().lower()] = quality
    for name in ("gzip", "x-gzip", "*"):
        if name in qualities:
            return qualities[name] > 0
    return False


async def _answer(
    request: Request[Any, Any, Any], settings: Settings, kind: str, build: Callable[..., Any]
) -> Response[bytes]:
    version = await register_version()
    site = base_url(request, settings)
    key = f"{version.last_hash}|{kind}|{site}|{request.url.path}?{request.url.query}"
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300", "Vary": "Accept-Encoding"}
    if version.last_recorded_at is not None:
        headers["Last-Modified"] = format_datetime(version.last_recorded_at, usegmt=True)
    headers["Access-Control-Allow-Origin"] = "*"
    if etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}:
        return Response(content=b"", status_code=304, headers=headers)
    feed = await cache.get(etag, build)
    body = feed.body
    if accepts_gzip(request) and len(feed.gzipped) < len(feed.body):
        body = feed.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(content=body, media_type=_MEDIA_TYPES[kind], headers=headers)


async def ical_document(filters: MeetingFilter, *, site: str) -> bytes:
    """The iCalendar feed of the (at most `ICAL_LIMIT`) most recent matching meetings, each
    batch of them written as it is read (in a thread, so that the server answers other
    requests meanwhile), keeping only their VEVENTs' bytes."""
    writer = CalendarWriter(site)
    sample: PublishedMeeting | None = None
    batch: list[PublishedMeeting] = []
    read = 0
    async for meeting in iter_meetings(filters):
        sample = sample or meeting
        batch.append(meeting)
        read += 1
        if len(batch) == WRITE_BATCH or read == ICAL_LIMIT:
            await asyncio.to_thread(writer.add_all, batch)
            batch = []
        if read == ICAL_LIMIT:
            break
    await asyncio.to_thread(writer.add_all, batch)
    return await asyncio.to_thread(
        writer.document,
        name=f"{NAME} — {_describe(filters, sample)}",
        description="Rencontres des responsables publics avec des représentants "
        "d'intérêts, telles que publiées (corrections et retraits compris).",
        timezone=str(REGISTER_ZONE),
    )


async def log_document(
    filters: MeetingFilter, write: Callable[..., bytes], *, site: str, self_url: str
) -> bytes:
    """An RSS or Atom feed (`write`) of the latest `ENTRIES` log entries of matching meetings."""
    entries = await log_entries(filters, limit=ENTRIES)
    return await asyncio.to_thread(
        write,
        entries,
        title=f"{NAME} — {_describe(filters, entries[0] if entries else None)}",
        description="Publications, corrections et retraits du registre.",
        link=f"{site}/rencontres",
        self_url=self_url,
        base_url=site,
    )


async def _log_feed(
    request: Request[Any, Any, Any],
    settings: Settings,
    filters: MeetingFilter,
    kind: str,
    write: Callable[..., bytes],
) -> Response[bytes]:
    async def build() -> bytes:
        return await log_document(
            filters,
            write,
            site=base_url(request, settings),
            self_url=canonical_url(request, settings, filters),
        )

    return await _answer(request, settings, kind, build)


class FeedsController(Controller):
    path = "/feeds"
    tags = ["feeds"]  # noqa: RUF012 - Litestar's declaration
    dependencies = {"filters": Provide(meeting_filter, sync_to_thread=False)}  # noqa: RUF012

    @get(
        "/rencontres.ics",
        name="feed_ical",
        cache=False,
        opt={PRECOMPRESSED: True},
        summary="iCalendar feed",
    )
    async def ical(
        self,
        request: Request[Any, Any, Any],
        filters: NamedDependency[MeetingFilter],
        settings: NamedDependency[Settings],
    ) -> Response[bytes]:
        """The matching meetings (the 10,000 most recent) as an iCalendar feed to subscribe to
        (`webcal://`): one event per meeting, updated in place by each correction, cancelled by
        a withdrawal. Accepts the same filters as `/api/v1/meetings`."""

        async def build() -> bytes:
            return await ical_document(filters, site=base_url(request, settings))

        return await _answer(request, settings, "ics", build)

    @get(
        "/rencontres.rss",
        name="feed_rss",
        cache=False,
        opt={PRECOMPRESSED: True},
        summary="RSS 2.0 feed",
    )
    async def rss(
        self,
        request: Request[Any, Any, Any],
        filters: NamedDependency[MeetingFilter],
        settings: NamedDependency[Settings],
    ) -> Response[bytes]:
        """The latest 100 publications, corrections and withdrawals of matching meetings."""
        return await _log_feed(request, settings, filters, "rss", rss_feed)

    @get(
        "/rencontres.atom",
        name="feed_atom",
        cache=False,
        opt={PRECOMPRESSED: True},
        summary="Atom feed",
    )
    async def atom(
        self,
        request: Request[Any, Any, Any],
        filters: NamedDependency[MeetingFilter],
        settings: NamedDependency[Settings],
    ) -> Response[bytes]:
        """The same entries as the RSS feed, in Atom."""
        return await _log_feed(request, settings, filters, "atom", atom_feed)
