"""The RSS and Atom feeds of the publication log, read back by feedparser: one entry per
published version, GUIDs stable forever, dates right, and the text of staff shown as text."""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from time import struct_time
from typing import Any
from xml.etree import ElementTree

import feedparser  # type: ignore[import-untyped]
import pytest

from feeds.syndication import atom_feed, entry_guid, rss_feed
from register.domain.kinds import LegalGround, MeetingStatus
from register.domain.public_record import PublishedMeeting
from tests.unit.feeds.builders import (
    BASE_URL,
    PUBLISHED_AT,
    corrected,
    many,
    meeting_id,
    published,
    withdrawn,
)

Feed = Callable[..., bytes]
FORMATS = [pytest.param(rss_feed, id="rss"), pytest.param(atom_feed, id="atom")]

SELF_URL = f"{BASE_URL}/responsables/marie-durand/rencontres.rss"
PAGE_URL = f"{BASE_URL}/responsables/b0000000-0000-4000-8000-000000000001"


def generate(make: Feed, entries: Sequence[PublishedMeeting], **overrides: Any) -> bytes:
    arguments: dict[str, Any] = {
        "title": "Rencontres de Marie Durand",
        "description": "Publications, corrections et retraits",
        "link": PAGE_URL,
        "self_url": SELF_URL,
        "base_url": BASE_URL,
    } | overrides
    return make(entries, **arguments)


def read(make: Feed, entries: Sequence[PublishedMeeting], **overrides: Any) -> Any:
    result = feedparser.parse(generate(make, entries, **overrides))
    assert not result.bozo, result.get("bozo_exception")
    return result


def utc(parsed: struct_time) -> datetime:
    return datetime(*parsed[:6], tzinfo=UTC)


def content(entry: Any) -> str:
    """The entry's HTML: Atom's content, RSS's description."""
    return str(entry.content[0].value if "content" in entry else entry.summary)


def history() -> list[PublishedMeeting]:
    """A meeting published, corrected, then withdrawn: the log's entries, newest first."""
    first = published()
    correction = corrected(first)
    return [withdrawn(correction), correction, first]


def test_the_rss_channel_says_what_it_is() -> None:
    channel = read(rss_feed, history())

    assert channel.version == "rss20"
    assert channel.feed.title == "Rencontres de Marie Durand"
    assert channel.feed.subtitle == "Publications, corrections et retraits"
    assert channel.feed.link == PAGE_URL
    assert channel.feed.language == "fr"
    assert {"rel": "self", "href": SELF_URL} in [
        {"rel": link.rel, "href": link.href} for link in channel.feed.links
    ]


def test_the_atom_feed_says_what_it_is() -> None:
    feed = read(atom_feed, history())

    assert feed.version == "atom10"
    assert feed.feed.id == SELF_URL
    assert feed.feed.title == "Rencontres de Marie Durand"
    assert feed.feed.language == "fr"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": SELF_URL, "alternate": PAGE_URL}


@pytest.mark.parametrize("make", FORMATS)
def test_each_version_is_an_entry_titled_by_what_it_did(make: Feed) -> None:
    entries = read(make, history()).entries

    assert [entry.title for entry in entries] == [
        "Retrait : Fédération des bâtisseurs du Val — Marie Durand",
        "Correction : Fédération des bâtisseurs du Val — Marie Durand",
        "Publication : Fédération des bâtisseurs du Val — Marie Durand",
    ]
    assert {entry.link for entry in entries} == {f"{BASE_URL}/rencontres/{meeting_id(1)}"}


@pytest.mark.parametrize("make", FORMATS)
def test_guids_are_one_per_version_and_the_same_in_every_regeneration(make: Feed) -> None:
    log = history()

    first = [entry.id for entry in read(make, log).entries]
    again = [entry.id for entry in read(make, [*log[1:], log[0]]).entries]

    assert len(set(first)) == 3
    assert sorted(again) == sorted(first)
    assert all(guid.startswith("urn:uuid:") for guid in first)
    assert generate(make, log) == generate(make, log)


def test_the_guid_derivation_never_changes() -> None:
    # Readers remember these: changing the derivation would show every entry again.
    assert entry_guid(published()) == "urn:uuid:7ac9eb74-15c2-5ba9-bc30-6efebf762cbf"


def test_rss_guids_are_not_permalinks() -> None:
    document = generate(rss_feed, history())

    guids = ElementTree.fromstring(document).findall("./channel/item/guid")  # noqa: S314 - ours
    assert [guid.get("isPermaLink") for guid in guids] == ["false"] * 3
    assert all(entry.guidislink is False for entry in read(rss_feed, history()).entries)


@pytest.mark.parametrize("make", FORMATS)
def test_entries_are_dated_when_their_version_was_published(make: Feed) -> None:
    log = history()

    entries = read(make, log).entries

    assert [utc(entry.published_parsed) for entry in entries] == [
        version.recorded_at for version in log
    ]
    if make is atom_feed:
        assert [utc(entry.updated_parsed) for entry in entries] == [
            version.recorded_at for version in log
        ]


@pytest.mark.parametrize("make", FORMATS)
def test_the_feed_is_updated_when_its_newest_entry_was_published(make: Feed) -> None:
    log = history()
    newest = log[0].recorded_at

    feed = read(make, [log[2], log[0], log[1]])  # in any order

    assert utc(feed.feed.updated_parsed) == newest


@pytest.mark.parametrize("make", FORMATS)
def test_the_content_says_subject_date_in_the_meetings_zone_and_who_was_present(
    make: Feed,
) -> None:
    (entry,) = read(make, [published()]).entries

    html = content(entry)
    assert "Projet de rénovation du quartier de la gare : calendrier des travaux" in html
    # 13:30 UTC on 10 March 2026 is 14:30 in Paris.
    assert "mardi 10 mars 2026, de 14 h 30 à 15 h 30 (Europe/Paris)" in html
    assert "Urbanisme et aménagement" in html
    assert (
        f'<a href="{BASE_URL}/responsables/{published().record.official.id}">Marie Durand</a>'
        ", Maire" in html
    )
    assert "Directrice de l&#x27;urbanisme" in html
    assert "Fédération des bâtisseurs du Val</a> (Jean Martin)" in html


@pytest.mark.parametrize("make", FORMATS)
def test_the_content_gives_the_date_in_summer_time_in_summer(make: Feed) -> None:
    summer = published(
        starts_at=datetime(2026, 7, 1, 8, 0, tzinfo=UTC),
        ends_at=datetime(2026, 7, 1, 9, 30, tzinfo=UTC),
    )

    (entry,) = read(make, [summer]).entries

    assert "mercredi 1er juillet 2026, de 10 h 00 à 11 h 30 (Europe/Paris)" in content(entry)


@pytest.mark.parametrize("make", FORMATS)
def test_corrections_and_withdrawals_give_their_reason(make: Feed) -> None:
    first = published()
    log = [
        withdrawn(
            corrected(first, reason="Participants complétés."),
            reason="Marché en cours.",
            ground=LegalGround.PROCUREMENT,
        ),
        corrected(first, reason="Participants complétés."),
    ]

    withdrawal, correction = read(make, log).entries

    assert "Motif de la correction : Participants complétés." in content(correction)
    assert "Motif du retrait : Marché en cours. (fondement : marché public en cours)" in content(
        withdrawal
    )


@pytest.mark.parametrize("make", FORMATS)
def test_a_cancelled_meeting_says_so(make: Feed) -> None:
    (entry,) = read(make, [published(status=MeetingStatus.CANCELLED)]).entries

    assert "Rencontre annulée." in content(entry)


@pytest.mark.parametrize("make", FORMATS)
def test_markup_typed_by_staff_is_shown_as_text_never_run(make: Feed) -> None:
    subject = "Voirie <script>alert('x')</script> & « Gare » ; phase 2\nsuite"
    organisation = (
        published().record.representatives[0].model_copy(update={"name": "Béton <b>&</b> Cie"})
    )
    meeting = published(subject=subject, representatives=(organisation,))

    document = generate(make, [meeting])
    (entry,) = read(make, [meeting]).entries

    assert b"<script" not in document
    html = content(entry)
    assert "<script" not in html
    assert "Voirie &lt;script&gt;alert(" in html
    assert "&amp; « Gare » ; phase 2<br />suite" in html
    assert entry.title == "Publication : Béton <b>&</b> Cie — Marie Durand"


@pytest.mark.parametrize("make", FORMATS)
def test_characters_xml_cannot_carry_are_dropped(make: Feed) -> None:
    (entry,) = read(make, [published(subject="Objet\x0b avec\x00 contrôles")]).entries

    assert "Objet avec contrôles" in content(entry)


@pytest.mark.parametrize("make", FORMATS)
def test_an_entry_given_twice_is_written_once(make: Feed) -> None:
    meeting = published()

    assert len(read(make, [meeting, meeting]).entries) == 1


@pytest.mark.parametrize("make", FORMATS)
def test_an_empty_feed_is_valid(make: Feed) -> None:
    feed = read(make, [])

    assert feed.entries == []
    assert feed.feed.title == "Rencontres de Marie Durand"
    assert utc(feed.feed.updated_parsed) == datetime(1970, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("make", FORMATS)
def test_ten_thousand_entries_make_one_feed(make: Feed) -> None:
    entries = many(10_000)

    document = generate(make, entries)

    # feedparser takes longer than the writing: the XML parser counts the entries.
    root = ElementTree.fromstring(document)  # noqa: S314 - the document is ours
    found = root.findall("./channel/item") or root.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(found) == 10_000


def test_the_language_can_be_english() -> None:
    assert read(rss_feed, [published()], language="en").feed.language == "en"
    assert read(atom_feed, [published()], language="en").feed.language == "en"


def test_a_first_version_published_late_is_still_dated_by_its_log_entry() -> None:
    late = published(recorded_at=PUBLISHED_AT + timedelta(days=30))

    (entry,) = read(rss_feed, [late]).entries

    assert utc(entry.published_parsed) == PUBLISHED_AT + timedelta(days=30)
