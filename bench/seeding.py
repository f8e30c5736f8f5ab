"""Filling the benchmark's calendars, and changing them as "another client" would.

Two ways to load thousands of objects:

- `storage` (the default): the objects are written into the server's own storage, exactly as
  the server stores uploads — Xandikos keeps them verbatim in the calendar's Git repository
  (one commit), Radicale keeps one file per object plus its item cache (the text it serves, its
  ETag); the server then serves them like any others. Seconds, where the HTTP path takes minutes
  on a small machine: Radicale re-serialises each object with vobject (about 65 ms each here,
  over 200 ms when it carries a VTIMEZONE) and Xandikos parses each PUT six times and commits
  it (about 60–80 ms each).
- `http`: a PUT of the whole calendar to the collection URL for Radicale (it splits it by UID),
  per-object PUTs over a pooled, concurrent httpx client for Xandikos.

The changes measured (adds, edits, deletes) always go through HTTP, never through the storage.
"""

import asyncio
import pickle
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from hashlib import sha256

import httpx

from bench.calendar_data import CalendarObject, make_object, new_uid, whole_calendar
from tests.servers import CalDAVServer, RadicaleServer, ServerCalendar, XandikosServer

UPLOAD_CONNECTIONS = 8


def seed_storage(server: CalDAVServer, name: str, objects: Sequence[CalendarObject]) -> str:
    """Create calendar `name` over HTTP (MKCALENDAR), then write `objects` into the server's
    storage; returns the calendar's URL."""
    calendar = server.make_calendar(name, f"Agenda de Marie Dupont ({len(objects)} objets)")
    if isinstance(server, RadicaleServer):
        _plant_radicale(server, calendar, objects)
    elif isinstance(server, XandikosServer):
        _commit_xandikos(server, calendar, objects)
    else:
        raise TypeError(f"no storage seeding for {server.name}")
    return calendar.url


def _plant_radicale(
    server: RadicaleServer, calendar: ServerCalendar, objects: Sequence[CalendarObject]
) -> None:
    """One file per object and its item-cache entry, in the format Radicale writes them
    (`radicale.storage.multifilesystem.cache`): Radicale serves the cached text and ETag."""
    from radicale import storage as radicale_storage
    from radicale.item import get_etag

    folder = server.collection_folder(calendar)
    cache = folder / ".Radicale.cache" / "item"
    cache.mkdir(parents=True, exist_ok=True)
    for item in objects:
        raw = item.text.encode("utf-8")
        (folder / item.filename).write_bytes(raw)
        cache_hash = sha256(radicale_storage.CACHE_VERSION + raw).hexdigest()
        # (hash, uid, etag, text, name, component, start, end): a time range matching any query.
        entry = (cache_hash, item.uid, get_etag(item.text), item.text, "VCALENDAR", "VEVENT")
        (cache / item.filename).write_bytes(pickle.dumps((*entry, 0, 2**31)))


def _commit_xandikos(
    server: XandikosServer, calendar: ServerCalendar, objects: Sequence[CalendarObject]
) -> None:
    """The files in the calendar's Git repository, in one commit (Xandikos's ETags are the
    blobs' ids, its sync tokens the commits)."""
    from dulwich import porcelain

    folder = server.collection_folder(calendar)
    for item in objects:
        (folder / item.filename).write_bytes(item.text.encode("utf-8"))
    porcelain.add(str(folder), paths=[str(folder / item.filename) for item in objects])
    identity = b"Banc d'essai <bench@ville-bellerive.fr>"
    porcelain.commit(str(folder), message=b"Seeded", author=identity, committer=identity)


def seed_http(server: CalDAVServer, name: str, objects: Sequence[CalendarObject]) -> str:
    """Upload over HTTP: Radicale takes the whole calendar in one PUT, Xandikos one PUT per
    object (concurrent, pooled connections); returns the calendar's URL."""
    if isinstance(server, RadicaleServer):
        url = f"{server.base_url}{server.home_path}{name}/"
        body = whole_calendar(objects, f"Agenda de Marie Dupont ({len(objects)} objets)")
        response = server.client().put(
            url,
            content=body.encode("utf-8"),
            headers={"Content-Type": "text/calendar; charset=utf-8"},
            timeout=3600,
        )
        if response.status_code not in {200, 201, 204}:
            raise RuntimeError(f"PUT {url} answered {response.status_code}: {response.text}")
        return url
    calendar = server.make_calendar(name, f"Agenda de Marie Dupont ({len(objects)} objets)")
    asyncio.run(_put_all(server, calendar.url, objects))
    return calendar.url


async def _put_all(server: CalDAVServer, url: str, objects: Sequence[CalendarObject]) -> None:
    limits = httpx.Limits(max_connections=UPLOAD_CONNECTIONS)
    gate = asyncio.Semaphore(UPLOAD_CONNECTIONS)
    async with httpx.AsyncClient(auth=server.auth, limits=limits, timeout=120) as client:

        async def put(item: CalendarObject) -> None:
            async with gate:
                response = await client.put(
                    url + item.filename,
                    content=item.text.encode("utf-8"),
                    headers={"Content-Type": "text/calendar; charset=utf-8"},
                )
            if response.status_code not in {200, 201, 204}:
                raise RuntimeError(f"PUT {item.filename} answered {response.status_code}")

        await asyncio.gather(*(put(item) for item in objects))


@dataclass
class ChangeRound:
    """What one round of changes did, by filename."""

    added: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def count(self) -> int:
        return len(self.added) + len(self.edited) + len(self.deleted)


class OtherClient:
    """Another client of the calendar (a phone, Thunderbird): adds, edits and deletes objects
    with plain HTTP through a kept-open httpx client."""

    def __init__(
        self,
        server: CalDAVServer,
        url: str,
        objects: Sequence[CalendarObject],
        *,
        today: date,
        seed: int,
    ) -> None:
        self.url = url
        self.client = server.client()
        self.live = {item.filename: item for item in objects}
        self.today = today
        self.rng = random.Random(seed)
        self.next_index = 10_000_000

    def change(self, *, adds: int = 4, edits: int = 4, deletes: int = 2) -> ChangeRound:
        """`adds` new objects (one a series), `edits` edits (one of a series) and `deletes`
        deletions, each a request of its own."""
        started = time.perf_counter()
        done = ChangeRound()
        for number in range(adds):
            self.next_index += 1
            uid = new_uid(self.rng, self.next_index)
            item = make_object(self.rng, uid, recurring=number == 0, today=self.today)
            self._put(item)
            done.added.append(item.filename)
        existing = [item for item in self.live.values() if item.filename not in done.added]
        series = [item for item in existing if item.recurring]
        singles = [item for item in existing if not item.recurring]
        targets = self.rng.sample(series, 1) + self.rng.sample(singles, edits - 1)
        for old in targets[:edits]:
            item = make_object(
                self.rng,
                old.uid,
                recurring=old.recurring,
                today=self.today,
                revision=old.revision + 1,
            )
            self._put(item)
            done.edited.append(item.filename)
        touched = set(done.added) | set(done.edited)
        candidates = [name for name in self.live if name not in touched]
        for filename in self.rng.sample(candidates, deletes):
            response = self.client.delete(self.url + filename)
            _check(response, 200, 204)
            del self.live[filename]
            done.deleted.append(filename)
        done.seconds = time.perf_counter() - started
        return done

    def _put(self, item: CalendarObject) -> None:
        response = self.client.put(
            self.url + item.filename,
            content=item.text.encode("utf-8"),
            headers={"Content-Type": "text/calendar; charset=utf-8"},
            timeout=120,
        )
        _check(response, 200, 201, 204)
        self.live[item.filename] = item


def _check(response: httpx.Response, *expected: int) -> None:
    if response.status_code not in expected:
        raise RuntimeError(
            f"{response.request.method} {response.request.url} answered "
            f"{response.status_code}: {response.text[:300]}"
        )
