"""The publication log as RSS 2.0 and Atom (RFC 4287) feeds, made with `feedgen`.

Each entry is one log entry: the publication, a correction or the withdrawal of a meeting, so a
reader sees every change to the public register and none is silent. An entry's GUID (Atom id) is
derived from the meeting's id and the version number, so it is the same forever and distinct for
every version.

The content is HTML (RSS descriptions are read as HTML; Atom says so with `type="html"`), built
from escaped text only: whatever staff typed, a reader shows it as text.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from uuid import uuid5

from feedgen.feed import FeedGenerator

from feeds import wording
from feeds.links import meeting_url
from register.domain.kinds import MeetingStatus
from register.domain.public_record import PublishedMeeting

RSS_MEDIA_TYPE = "application/rss+xml; charset=utf-8"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"

GENERATOR = "Registre de transparence des agendas"

EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)
"""The `updated` of a feed without entries (required by Atom): a fixed time, not the clock, so
that the same input gives the same bytes."""


def entry_guid(entry: PublishedMeeting) -> str:
    """`urn:uuid:` + the UUID (version 5, RFC 9562 §5.5) of the version number in the
    meeting's id as namespace: stable forever, one per version. Never change this derivation."""
    return f"urn:uuid:{uuid5(entry.record.id, str(entry.publication.version))}"


def entry_title(entry: PublishedMeeting) -> str:
    """ "Publication : …", "Correction : …" or "Retrait : …", then organisations — official."""
    return f"{wording.action_of(entry.publication).value} : {wording.headline(entry.record)}"


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _paragraph(label: str, text: str) -> str:
    body = escape(wording.clean(text)).replace("\n", "<br/>")
    return f"<p><strong>{escape(label)} :</strong> {body}</p>"


def _link(text: str, url: str | None) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>' if url else escape(text)


def entry_content(entry: PublishedMeeting, base_url: str) -> str:
    """The entry's HTML: subject, date in the meeting's zone, policy area, who was present
    (with links to their pages), the meeting's cancellation and the version's reason."""
    record = entry.record
    parts = [
        _paragraph("Objet", record.subject),
        _paragraph("Date", wording.when(record)),
    ]
    area = wording.policy_area(record)
    if area:
        parts.append(_paragraph("Domaine", area))
    presences = wording.presences(record, base_url)
    if presences:
        items = "".join(
            f"<li>{_link(presence.name, presence.url)}{escape(presence.detail)}</li>"
            for presence in presences
        )
        parts.append(f"<p><strong>Présents :</strong></p><ul>{items}</ul>")
    if record.status is MeetingStatus.CANCELLED:
        parts.append("<p>Rencontre annulée.</p>")
    reason = wording.reason(entry.publication)
    if reason:
        parts.append(f"<p>{escape(reason)}</p>")
    return "".join(parts)


def _generator(
    entries: Sequence[PublishedMeeting],
    *,
    title: str,
    description: str,
    link: str,
    self_url: str,
    base_url: str,
    language: str,
) -> FeedGenerator:
    """One feed for both formats: entries in the given order, each GUID once."""
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(wording.clean(title))
    feed.description(wording.clean(description))
    feed.link(href=self_url, rel="self")
    feed.link(href=link, rel="alternate")  # the last link added is RSS's <link>
    feed.language(language)
    feed.generator(GENERATOR)
    updated = max((_utc(entry.recorded_at) for entry in entries), default=EMPTY_FEED_UPDATED)
    feed.updated(updated)
    feed.lastBuildDate(updated)
    # Atom requires an author for the feed when an entry has none (RFC 4287 §4.1.1).
    feed.author(name=wording.clean(title))
    seen: set[str] = set()
    for entry in entries:
        guid = entry_guid(entry)
        if guid in seen:
            continue
        seen.add(guid)
        record = entry.record
        at = _utc(entry.recorded_at)
        item = feed.add_entry(order="append")  # "prepend", the default, is quadratic
        item.id(guid)
        item.title(entry_title(entry))
        item.link(href=meeting_url(base_url, record.id), rel="alternate")
        item.content(entry_content(entry, base_url), type="html")
        item.author(name=wording.clean(record.authority.name))
        item.published(at)
        item.updated(at)
        item.pubDate(at)
        if record.policy_area is not None:
            item.category(term=record.policy_area.code, label=wording.policy_area(record))
    return feed


def rss_feed(
    entries: Sequence[PublishedMeeting],
    *,
    title: str,
    description: str,
    link: str,
    self_url: str,
    base_url: str,
    language: str = "fr",
) -> bytes:
    """An RSS 2.0 document of `entries` (log entries, newest first as a rule): `link` is the
    HTML page the feed mirrors, `self_url` the feed's own address, `base_url` the site's root
    for the meetings' pages. GUIDs are not permalinks (`isPermaLink="false"`)."""
    feed = _generator(
        entries,
        title=title,
        description=description,
        link=link,
        self_url=self_url,
        base_url=base_url,
        language=language,
    )
    document: bytes = feed.rss_str(pretty=False)
    return document


def atom_feed(
    entries: Sequence[PublishedMeeting],
    *,
    title: str,
    description: str,
    link: str,
    self_url: str,
    base_url: str,
    language: str = "fr",
) -> bytes:
    """An Atom document (RFC 4287) of `entries`, its id the feed's own address; the same
    arguments as `rss_feed`."""
    feed = _generator(
        entries,
        title=title,
        description=description,
        link=link,
        self_url=self_url,
        base_url=base_url,
        language=language,
    )
    document: bytes = feed.atom_str(pretty=False)
    return document
