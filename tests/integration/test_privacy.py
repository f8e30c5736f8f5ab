"""Nothing private reaches a public output.

The demo (its calendars written to a real Radicale and synced) seeds private data everywhere a
calendar puts it (event titles, descriptions, locations,
organizers' and attendees' e-mail addresses, the names of the people met, private events); every
public output is then scanned for each of those strings. Later outputs (API, dumps, feeds) join
the scan as they are built.
"""

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


async def _public_outputs(db: Engine, tmp_path: Path) -> dict[str, str]:
    app = create_app(Settings(data_dir=tmp_path), engine=db)
    outputs: dict[str, str] = {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://register.test"
    ) as client:
        for path in ("/", "/health", "/schema/openapi.json"):
            response = await client.get(path)
            assert response.status_code == 200, path
            outputs[path] = response.text
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
    leaks = {(where, text) for where, body in outputs.items() for text in private if text in body}
    assert leaks == set()
