"""Hostile text reaches every public output as text, never as markup, script or formula (issue 8).

A meeting is published whose subject, authority, official, organisation, person met, other
attendee's role and calendar location hold script, markup, a CDATA end, iCalendar separators and
spreadsheet formulas. Then every page (French and English, links followed from the front page),
the API (JSON and CSV), the feeds (iCalendar, RSS, Atom) and the bulk downloads (refreshed by the
dumps service, then downloaded) are parsed and checked: the HTML holds no element or attribute
the text could have made and shows the text as written; the XML is well formed and gives the
text back; the iCalendar text is escaped (RFC 5545 §3.3.11) and gives it back; JSON gives it
back; a CSV cell that would start a formula starts with an apostrophe.
"""

import csv
import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import httpx
import icalendar
import pytest
from piccolo.engine.base import Engine

from register.domain.calendar_data import CalendarData
from register.domain.collegiality import OtherAttendee, RepresentativePresence
from register.domain.meeting import TimeSpan
from register.domain.policy import Policy
from register.services.dumps import refresh_dumps
from register.services.publication import publish
from register.settings import Settings
from register.store.repositories import authorities, meetings, officials, representatives
from register.web import create_app
from tests import factories
from tests.published import ACTOR, NOW
from tests.stored import StoredRegister

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
CDATA_END = "]]>"
FORMULA = '=HYPERLINK("http://x")'
ICAL_SEPARATORS = "a;b,c\\d"

SUBJECT = f"{FORMULA} {SCRIPT} {ATTRIBUTE} {CDATA_END} {ICAL_SEPARATORS} & co"
AUTHORITY = f"Ville {SCRIPT} {ATTRIBUTE}"
OFFICIAL = f"Marie {ATTRIBUTE} {CDATA_END}"
ORGANISATION = f"@Lobby {SCRIPT} {ATTRIBUTE} {CDATA_END}"
PERSON = f"-Jean {SCRIPT}"
OTHER_ROLE = f"+Directrice {ATTRIBUTE}"
LOCATION = f"Salle {SCRIPT}"  # private: must not appear at all
PUBLIC_TEXTS = (SUBJECT, AUTHORITY, OFFICIAL, ORGANISATION)

ENTRY_POINTS = (
    "/",
    "/en",
    "/api/v1/meetings",
    "/api/v1/officials",
    "/api/v1/organisations",
    "/api/v1/authorities",
    "/api/v1/statistics",
    "/api/v1/log",
    "/feeds/rencontres.ics",
    "/feeds/rencontres.rss",
    "/feeds/rencontres.atom",
)
CSV_LISTS = ("meetings", "officials", "organisations", "authorities")
_LINK = re.compile(r'href="(/[^"#]*)"')
# The only scripts a page may load; they come from the register's own static files.
ALLOWED_SCRIPTS = {"/static/staff.js"}


class _Markup(HTMLParser):
    """What the HTML makes: its elements with their attributes, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


async def _hostile_register() -> StoredRegister:
    # Names of the people met are published only where the authority chose to: here it has.
    authority = factories.authority(
        name=AUTHORITY, policy=Policy(publish_representative_names=True)
    )
    await authorities.save_authority(authority)
    owner = factories.official(authority.id, full_name=OFFICIAL)
    colleague = factories.official(
        authority.id, slug="paul-petit", full_name="Paul Petit", role="Directeur de cabinet"
    )
    for official in (owner, colleague):
        await officials.save_official(official)
    organisation = factories.representative(name=ORGANISATION)
    await representatives.save_representative(organisation)
    stored = StoredRegister(authority, owner, colleague, organisation)
    starts_at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    meeting = await meetings.add_meeting(
        factories.meeting(
            authority.id,
            owner.id,
            when=TimeSpan(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)),
            calendar=CalendarData(summary=f"RDV {SCRIPT}", location=LOCATION),
            record=factories.complete_record(
                owner,
                colleague,
                organisation,
                subject=SUBJECT,
                other_attendees=(OtherAttendee(role=OTHER_ROLE),),
                representatives=(
                    RepresentativePresence(representative_id=organisation.id, people=(PERSON,)),
                ),
            ),
            classification=factories.interest_classification(organisation),
        )
    )
    await publish(meeting.id, lock_version=meeting.lock_version, actor=ACTOR, now=NOW)
    return stored


def _check_html(path: str, page: str) -> str:
    """The page's text, after checking that no hostile text became markup."""
    markup = _Markup()
    markup.feed(page)
    for tag, attributes in markup.elements:
        assert not (tag == "script" and attributes.get("src") not in ALLOWED_SCRIPTS), path
        assert tag != "img" or attributes.get("src") != "x", path
        handlers = [name for name in attributes if name.startswith("on")]
        assert handlers == [], (path, tag, handlers)
    assert "<script>" not in page, path
    assert "<img src=x" not in page, path
    return "".join(markup.text)


def _strings(value: object) -> set[str]:
    """Every string in a JSON value, however deep."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*map(_strings, value.values()))
    if isinstance(value, list):
        return set().union(*map(_strings, value))
    return set()


@pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)
async def test_hostile_text_stays_text_in_every_public_output(  # noqa: PLR0915 - one walk
    db: Engine, tmp_path: Path
) -> None:
    stored = await _hostile_register()
    await refresh_dumps(tmp_path, now=datetime(2026, 6, 1, tzinfo=UTC), force=True)
    app = create_app(Settings(data_dir=tmp_path, dumps_interval=0), engine=db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://register.test"
    ) as client:
        queue, seen = list(ENTRY_POINTS), set(ENTRY_POINTS)
        answers: dict[str, httpx.Response] = {}
        while queue:
            path = queue.pop(0)
            answer = await client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            answers[path] = answer
            if answer.headers["content-type"].startswith("text/html"):
                for found in _LINK.findall(answer.text):
                    link = found.replace("&amp;", "&")
                    if link.startswith(("/staff", "/static")) or link in seen:
                        continue
                    if "format=csv" in link or link.startswith(("/feeds", "/api", "/schema")):
                        continue
                    seen.add(link)
                    queue.append(link)
        csvs = {
            name: await client.get(f"/api/v1/{name}", params={"format": "csv"})
            for name in CSV_LISTS
        }
        downloads = {
            name: await client.get(f"/donnees/{name}")
            for name in ("registre.csv.gz", "registre.json.gz", "journal.jsonl.gz")
        }

    everything = "\n".join(a.text for a in (*answers.values(), *csvs.values())) + "\n".join(
        gzip.decompress(d.content).decode() for d in downloads.values()
    )
    assert "Salle" not in everything  # the location is private, as ever

    # HTML: every page, in both languages, shows the hostile text as text.
    html_pages = {p: a for p, a in answers.items() if "text/html" in a.headers["content-type"]}
    assert any(p.startswith("/rencontres/") for p in html_pages)
    assert any(p.startswith("/en/rencontres/") for p in html_pages)
    assert any(p.startswith("/organisations/") for p in html_pages)
    assert any(p.startswith("/responsables/") for p in html_pages)
    shown = {path: _check_html(path, answer.text) for path, answer in html_pages.items()}
    meeting_page = next(text for path, text in shown.items() if path.startswith("/rencontres/"))
    for text in (SUBJECT, OFFICIAL, ORGANISATION, PERSON, OTHER_ROLE):
        assert text in meeting_page, text

    # JSON: the text comes back exactly as written.
    items = [item["record"] for item in answers["/api/v1/meetings"].json()["items"]]
    assert [item["subject"] for item in items] == [SUBJECT]
    assert items[0]["representatives"][0]["name"] == ORGANISATION
    assert items[0]["representatives"][0]["people"] == [PERSON]
    assert items[0]["authority"]["name"] == AUTHORITY
    assert items[0]["official"]["name"] == OFFICIAL

    # Feeds: well-formed XML that gives the text back; iCalendar escaped and parsed back.
    for feed in ("/feeds/rencontres.rss", "/feeds/rencontres.atom"):
        root = ET.fromstring(answers[feed].content)  # noqa: S314 - our own feed
        # Titles are plain text; descriptions and contents are HTML carried as XML text.
        texts = "\n".join(
            _check_html(feed, element.text)
            if element.tag.rsplit("}", 1)[-1] in {"description", "content", "summary"}
            else element.text
            for element in root.iter()
            if element.text
        )
        assert SUBJECT in texts, feed
        assert ORGANISATION in texts, feed
    ics = answers["/feeds/rencontres.ics"]
    unfolded = ics.text.replace("\r\n ", "")
    assert "a\\;b\\,c\\\\d" in unfolded
    calendar = icalendar.Calendar.from_ical(ics.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert ORGANISATION in str(events[0]["SUMMARY"])
    assert SUBJECT in str(events[0]["DESCRIPTION"])

    # CSV, from the API and the downloads: formulas neutralised, everything else as written.
    rows = list(csv.DictReader(io.StringIO(csvs["meetings"].text)))
    dumped = list(
        csv.DictReader(io.StringIO(gzip.decompress(downloads["registre.csv.gz"].content).decode()))
    )
    for row in (rows[0], dumped[0]):
        assert row["subject"] == "'" + SUBJECT
        assert row["organisations"] == "'" + ORGANISATION
        assert row["official"] == OFFICIAL
        assert row["authority"] == AUTHORITY
        assert row["other_attendee_roles"] == "'" + OTHER_ROLE
    lists = {name: list(csv.DictReader(io.StringIO(answer.text))) for name, answer in csvs.items()}
    assert [row["name"] for row in lists["organisations"]] == ["'" + ORGANISATION]
    assert {row["name"] for row in lists["officials"]} >= {OFFICIAL}
    assert [row["name"] for row in lists["authorities"]] == [AUTHORITY]
    for name, table in (*lists.items(), ("registre.csv.gz", dumped)):
        for row in table:
            for column, cell in row.items():
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, column)

    # JSON downloads give the text back.
    documents = json.loads(gzip.decompress(downloads["registre.json.gz"].content))
    assert [document["subject"] for document in documents] == [SUBJECT]
    assert documents[0]["representatives"][0]["name"] == ORGANISATION
    log_lines = gzip.decompress(downloads["journal.jsonl.gz"].content).decode().splitlines()
    bodies = [json.loads(json.loads(line)["body"]) for line in log_lines]
    assert SUBJECT in _strings(bodies)
    assert stored.representative.name == ORGANISATION
