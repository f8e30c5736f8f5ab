"""Nothing private reaches a public output.

The demo (its calendars written to a real Radicale and synced) seeds private data everywhere a
calendar puts it (event titles, descriptions, locations,
organizers' and attendees' e-mail addresses, the names of the people met, private events); every
public output is then scanned for each of those strings: every page reachable from the front page
(links followed, the back office aside), the API's answers, the feeds, the bulk downloads
(decompressed) and the publication log.
"""

import gzip
import html
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
from piccolo.engine.base import Engine

from register.domain.kinds import Visibility
from register.queries import latest_published
from register.services.demo import seed_demo
from register.services.demo.caldav_server import DemoCalDAVServer
from register.settings import Settings
from register.store.repositories.authorities import get_authority_by_slug
from register.store.repositories.meetings import list_meetings
from register.store.repositories.officials import list_officials
from register.store.repositories.publication_log import iter_entries
from register.web import create_app
from tests.servers import free_port

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


async def _private_strings() -> set[str]:
    authority = await get_authority_by_slug("bellerive-sur-loire")
    assert authority is not None
    official_names = {official.full_name for official in await list_officials(authority.id)}
    found: set[str] = set()
    for meeting in await list_meetings(authority.id, limit=10_000):
        calendar = meeting.calendar
        found.update(
            text for text in (calendar.summary, calendar.description, calendar.location) if text
        )
        for person in (calendar.organizer, *calendar.attendees):
            if person is None:
                continue
            if person.email:
                found.add(person.email)
            if person.name and person.name not in official_names:
                found.add(person.name)
        for presence in meeting.record.representatives:
            found.update(presence.people)
        if calendar.visibility is not Visibility.PUBLIC and meeting.record.subject:
            found.add(meeting.record.subject)
    return found


# Entry points besides the pages' links: the API, the feeds and the downloads.
ENTRY_POINTS = (
    "/",
    "/health",
    "/schema/openapi.json",
    "/api/v1/meetings?limit=500",
    "/api/v1/meetings?limit=500&format=csv",
    "/api/v1/officials",
    "/api/v1/organisations",
    "/api/v1/authorities",
    "/api/v1/policy-areas",
    "/api/v1/statistics",
    "/api/v1/log",
    "/feeds/rencontres.ics",
    "/feeds/rencontres.rss",
    "/feeds/rencontres.atom",
    "/donnees/registre.csv.gz",
    "/donnees/registre.json.gz",
    "/donnees/journal.jsonl.gz",
    "/donnees/datapackage.json",
)
MAX_PAGES = 250
_LINK = re.compile(r'href="(/[^"#]*)"')


def _text(response: httpx.Response) -> str:
    if response.content[:2] == b"\x1f\x8b":  # gzip: the bulk downloads
        return gzip.decompress(response.content).decode("utf-8")
    return response.text


async def _public_outputs(db: Engine, tmp_path: Path) -> dict[str, str]:
    """Every public answer, by path: the entry points, then every same-site link found in
    HTML, breadth first (the back office and static files aside)."""
    app = create_app(Settings(data_dir=tmp_path, dumps_interval=0), engine=db)
    outputs: dict[str, str] = {}
    queue = list(ENTRY_POINTS)
    seen = set(queue)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://register.test"
    ) as client:
        while queue and len(outputs) < MAX_PAGES:
            path = queue.pop(0)
            response = await client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            outputs[path] = _text(response)
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            for found in _LINK.findall(response.text):
                link = html.unescape(found)
                if link.startswith(("/staff", "/static")) or link in seen:
                    continue
                seen.add(link)
                queue.append(link)
    outputs["publication log"] = "\n".join([entry.body async for entry in iter_entries()])
    outputs["queries"] = "\n".join(
        item.model_dump_json() for item in await latest_published(limit=100_000)
    )
    return outputs


async def test_no_private_string_reaches_any_public_output(db: Engine, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    with DemoCalDAVServer(tmp_path / "caldav", free_port()) as caldav:
        summary = await seed_demo(now=NOW, settings=settings, caldav=caldav)
    assert summary.created
    private = await _private_strings()
    # The scan is only as good as what it looks for: the demo must seed plenty of private data.
    assert len(private) > 500
    assert any("@" in text for text in private)

    outputs = await _public_outputs(db, tmp_path)

    assert len(outputs["publication log"]) > 100_000
    # The crawl reached meeting pages, and the downloads held the register.
    assert sum(path.startswith("/rencontres/") for path in outputs) >= 20
    assert len(outputs["/donnees/registre.csv.gz"]) > 50_000
    leaks = {(where, text) for where, body in outputs.items() for text in private if text in body}
    assert leaks == set()
