"""The feeds over HTTP: the same filters as the search, conditional GET, problems for bad input."""

import feedparser
import httpx
from icalendar import Calendar
from piccolo.engine.base import Engine

from register.domain.kinds import LegalGround
from register.services.publication import withdraw
from register.store.repositories import meetings
from tests.published import ACTOR, NOW, register_of_five


async def test_the_ical_feed_follows_the_filters_and_answers_304_when_unchanged(
    client: httpx.AsyncClient, db: Engine
) -> None:
    _, published = await register_of_five()

    everything = await client.get("/feeds/rencontres.ics")
    cycling = await client.get("/feeds/rencontres.ics", params={"q": "pistes cyclables"})
    unchanged = await client.get(
        "/feeds/rencontres.ics", headers={"if-none-match": everything.headers["etag"]}
    )

    assert everything.status_code == 200
    assert everything.headers["content-type"].startswith("text/calendar")
    uids = [str(e["UID"]) for e in Calendar.from_ical(everything.content).walk("VEVENT")]
    assert sorted(uids) == sorted(str(m.id) for m in published)
    assert [str(e["UID"]) for e in Calendar.from_ical(cycling.content).walk("VEVENT")] == [
        str(published[1].id)
    ]
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert "last-modified" in everything.headers


async def test_a_withdrawal_changes_the_etag_and_cancels_the_event(
    client: httpx.AsyncClient, db: Engine
) -> None:
    _, published = await register_of_five()
    before = await client.get("/feeds/rencontres.ics")
    target = await meetings.get_meeting(published[0].id)
    assert target is not None
    await withdraw(
        target.id,
        lock_version=target.lock_version,
        reason="Erreur d'agenda.",
        legal_ground=LegalGround.OUT_OF_SCOPE,
        actor=ACTOR,
        now=NOW,
    )

    after = await client.get(
        "/feeds/rencontres.ics", headers={"if-none-match": before.headers["etag"]}
    )

    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    events = {str(e["UID"]): e for e in Calendar.from_ical(after.content).walk("VEVENT")}
    assert str(events[str(published[0].id)]["STATUS"]) == "CANCELLED"
    assert int(events[str(published[0].id)]["SEQUENCE"]) == 1


async def test_rss_and_atom_list_the_log_entries(client: httpx.AsyncClient, db: Engine) -> None:
    stored, _ = await register_of_five()

    rss = feedparser.parse((await client.get("/feeds/rencontres.rss")).content)
    atom = feedparser.parse(
        (
            await client.get("/feeds/rencontres.atom", params={"official": str(stored.owner.id)})
        ).content
    )

    assert rss.bozo == 0
    assert rss.version == "rss20"
    assert len(rss.entries) == 5
    assert all(entry.title.startswith("Publication") for entry in rss.entries)
    assert atom.version == "atom10"
    assert len(atom.entries) == 5
    assert stored.owner.full_name in atom.feed.title


async def test_bad_feed_parameters_are_problems(client: httpx.AsyncClient, db: Engine) -> None:
    bad_date = await client.get("/feeds/rencontres.rss", params={"since": "yesterday"})
    backwards = await client.get(
        "/feeds/rencontres.ics", params={"since": "2026-05-01", "until": "2026-04-01"}
    )

    for answer in (bad_date, backwards):
        assert answer.status_code == 400
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert "since" in bad_date.json()["detail"]
    assert "until is before since" in backwards.json()["detail"]
