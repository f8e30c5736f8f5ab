"""Published meetings as iCalendar and RSS/Atom documents: pure functions from public records to
bytes, with stable identifiers (issue 6).

- `feeds.ical.calendar_feed`: the meetings as a calendar to subscribe to (RFC 5545), one VEVENT
  per meeting, its UID the meeting's id;
- `feeds.syndication.rss_feed` and `atom_feed`: the publication log as RSS 2.0 and Atom, one entry
  per published version (publication, correction, withdrawal).

They depend only on `register.domain`; the web layer chooses the meetings and serves the bytes
with the media types defined here.
"""

from feeds.ical import ICALENDAR_MEDIA_TYPE, calendar_feed
from feeds.syndication import ATOM_MEDIA_TYPE, RSS_MEDIA_TYPE, atom_feed, rss_feed

__all__ = [
    "ATOM_MEDIA_TYPE",
    "ICALENDAR_MEDIA_TYPE",
    "RSS_MEDIA_TYPE",
    "atom_feed",
    "calendar_feed",
    "rss_feed",
]
