"""Published meetings as an iCalendar feed (RFC 5545), for calendar apps to subscribe to.

One VEVENT per meeting, identified by the meeting's public id forever, so that a subscribed app
updates its copy in place: SEQUENCE and LAST-MODIFIED rise with each correction (§3.8.7.4,
§3.8.7.3) and a withdrawal or a cancellation becomes `STATUS:CANCELLED` (§3.8.1.11) rather than a
disappearance. Times are written in the meeting's own zone with its VTIMEZONE (§3.6.5).

The calendar's properties are made by `icalendar`, the VTIMEZONEs by `feeds.vtimezone` (which
says why not icalendar's), and each VEVENT is written line by line with icalendar's TEXT encoding
(`vText`, `vCategory`) and a linear folding: building and serialising an icalendar component costs
about 1.4 ms an event (14 s for a register of 10,000 meetings), this a tenth of it.

The output depends only on the input (DTSTAMP is the version's publication time, never the
clock), so an unchanged register gives the same bytes.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from icalendar import Calendar
from icalendar.prop import vCategory, vDuration, vText

from feeds import wording
from feeds.links import meeting_url
from feeds.timing import all_day_dates, local_end, local_start, zone_of
from feeds.vtimezone import vtimezone
from register.domain.kinds import MeetingStatus, PublicationState
from register.domain.public_record import PublicRecord, PublishedMeeting

ICALENDAR_MEDIA_TYPE = "text/calendar; charset=utf-8"

PRODID = "-//Registre de transparence des agendas//Flux iCalendar//FR"

_CRLF = b"\r\n"
_END = b"END:VCALENDAR\r\n"
_LINE_OCTETS = 75
FIRST_ZONE_YEAR = 2000
LAST_ZONE_YEAR = 2037


def fold(line: bytes) -> bytes:
    """One content line folded into lines of at most 75 octets (§3.1), never inside a UTF-8
    character, and, as icalendar does for clients that misread it, never right after a
    backslash (which would separate an escape from its character); with its CRLF."""
    if len(line) <= _LINE_OCTETS:
        return line + _CRLF
    chunks: list[bytes] = []
    start, room = 0, _LINE_OCTETS
    while len(line) - start > room:
        end = start + room
        while line[end] & 0xC0 == 0x80:  # a continuation byte: back to the character's start
            end -= 1
        if line[end - 1] == 0x5C and end - 1 > start:  # "\"
            end -= 1
        chunks.append(line[start:end])
        start, room = end, _LINE_OCTETS - 1  # the leading space of a continuation counts
    chunks.append(line[start:])
    return b"\r\n ".join(chunks) + _CRLF


def _text(value: str) -> bytes:
    """A TEXT value, escaped (§3.3.11)."""
    encoded: bytes = vText(value).to_ical()
    return encoded


def _utc_time(moment: datetime) -> bytes:
    """A date-time in UTC, form 2 of §3.3.5 (naive log times are UTC already)."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return _local_time(moment) + b"Z"


def _local_time(moment: datetime) -> bytes:
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"
    ).encode()


def _date(day: date) -> bytes:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}".encode()


def event_zone(record: PublicRecord) -> str | None:
    """The TZID of the meeting's times; None when they are written in UTC or as dates."""
    if record.all_day:
        return None
    key: str | None = getattr(zone_of(record), "key", None)
    return None if key in {None, "UTC"} else key


def is_cancelled(meeting: PublishedMeeting) -> bool:
    """A withdrawn version, or a meeting its calendar cancelled."""
    return (
        meeting.publication.state is PublicationState.WITHDRAWN
        or meeting.record.status is MeetingStatus.CANCELLED
    )


def event_description(meeting: PublishedMeeting, base_url: str) -> str:
    """The DESCRIPTION: subject, policy area, format, who was present, why this version, and
    the meeting's page (many apps do not show URL)."""
    record = meeting.record
    lines = [f"Objet : {wording.clean(record.subject)}"]
    area = wording.policy_area(record)
    if area:
        lines.append(f"Domaine : {area}")
    form = wording.meeting_format(record)
    if form:
        lines.append(f"Format : {form}")
    presences = wording.presences(record, base_url)
    if presences:
        lines.append("Présents :")
        lines.extend(f"– {presence.text}" for presence in presences)
    if record.status is MeetingStatus.CANCELLED:
        lines.append("Rencontre annulée.")
    reason = wording.reason(meeting.publication)
    if reason:
        lines.append(reason)
    lines.append(
        f"Version {meeting.publication.version} publiée par {wording.clean(record.authority.name)}"
        f" : {meeting_url(base_url, record.id)}"
    )
    return "\n".join(lines)


def _times(record: PublicRecord) -> Iterator[bytes]:
    """DTSTART and DTEND in the meeting's zone (§3.3.5 form 3), or as dates for an all-day
    meeting (§3.6.1); no DTEND when the record has no end."""
    if record.all_day:
        first, after = all_day_dates(record)
        yield b"DTSTART;VALUE=DATE:" + _date(first)
        if after is not None:
            yield b"DTEND;VALUE=DATE:" + _date(after)
        return
    zone = event_zone(record)
    start, end = local_start(record), local_end(record)
    if zone is None:
        yield b"DTSTART:" + _utc_time(start)
        if end is not None:
            yield b"DTEND:" + _utc_time(end)
        return
    param = f";TZID={zone}:".encode()
    yield b"DTSTART" + param + _local_time(start)
    if end is not None:
        yield b"DTEND" + param + _local_time(end)


def meeting_event(meeting: PublishedMeeting, base_url: str) -> bytes:
    """The VEVENT (§3.6.1) of one meeting's current public version, folded."""
    record, publication = meeting.record, meeting.publication
    stamp = _utc_time(meeting.recorded_at)
    lines = [
        b"BEGIN:VEVENT",
        b"UID:" + str(record.id).encode(),
        b"DTSTAMP:" + stamp,
        *_times(record),
        b"SEQUENCE:" + str(max(publication.version - 1, 0)).encode(),
        b"SUMMARY:" + _text(wording.headline(record)),
        b"DESCRIPTION:" + _text(event_description(meeting, base_url)),
        b"URL:" + meeting_url(base_url, record.id).encode(),
    ]
    area = wording.policy_area(record)
    if area:
        categories: bytes = vCategory([area]).to_ical()
        lines.append(b"CATEGORIES:" + categories)
    lines += [
        b"STATUS:" + (b"CANCELLED" if is_cancelled(meeting) else b"CONFIRMED"),
        b"CLASS:PUBLIC",
        b"TRANSP:TRANSPARENT",
    ]
    if meeting.first_published_at is not None:
        lines.append(b"CREATED:" + _utc_time(meeting.first_published_at))
    lines += [b"LAST-MODIFIED:" + stamp, b"END:VEVENT"]
    return b"".join(fold(line) for line in lines)


def _zone_years(record: PublicRecord) -> tuple[int, int]:
    """The years the VTIMEZONEs must be exact for to cover this meeting: a year around it."""
    return record.starts_at.year - 1, (record.ends_at or record.starts_at).year + 1


def _calendar_properties(
    *, name: str, description: str, timezone: str, refresh: timedelta
) -> bytes:
    """The VCALENDAR's opening and properties (§3.7, RFC 7986 §5), without its closing line."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", wording.clean(name))
    calendar.add("x-wr-calname", wording.clean(name))
    calendar.add("description", wording.clean(description))
    calendar.add("x-wr-caldesc", wording.clean(description))
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    document: bytes = calendar.to_ical()
    if not document.endswith(_END):
        raise AssertionError("icalendar's VCALENDAR does not end with END:VCALENDAR")
    return document.removesuffix(_END)


class CalendarWriter:
    """The VEVENTs of meetings written as they arrive, keeping only their bytes, then the whole
    document: a feed of 10,000 meetings never holds 10,000 records at once (they cost memory,
    and the garbage collector's passes over them doubled the time to read them).

    Given several versions of a meeting, only the latest (by version, then by log position) is
    written, where the meeting first appeared: a UID occurs once in a calendar.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._events: dict[UUID, tuple[tuple[int, int], bytes, str | None, tuple[int, int]]] = {}

    def __len__(self) -> int:
        return len(self._events)

    def add(self, meeting: PublishedMeeting) -> None:
        rank = (meeting.publication.version, meeting.log_seq)
        seen = self._events.get(meeting.record.id)
        if seen is not None and seen[0] >= rank:
            return
        self._events[meeting.record.id] = (
            rank,
            meeting_event(meeting, self.base_url),
            event_zone(meeting.record),
            _zone_years(meeting.record),
        )

    def add_all(self, meetings: Iterable[PublishedMeeting]) -> None:
        for meeting in meetings:
            self.add(meeting)

    def document(
        self,
        *,
        name: str,
        description: str,
        timezone: str,
        refresh: timedelta = timedelta(hours=1),
    ) -> bytes:
        """The iCalendar document (RFC 5545): the calendar's name, description and refresh
        interval (RFC 7986 §5.1, §5.2, §5.7, with their `X-WR-`/`X-PUBLISHED-TTL` twins for
        the apps that predate it), `timezone` as its default zone, a VTIMEZONE for it and for
        every zone a meeting uses (exact from 2000 to 2037, widened to a year around the
        meetings; beyond, the zone's last rule goes on), and the VEVENTs.

        Raises ValueError for a `timezone` unknown to this system or a `refresh` that is not
        positive.
        """
        if refresh <= timedelta(0):
            raise ValueError("the refresh interval must be positive")
        zones = {zone for _, _, zone, _ in self._events.values() if zone is not None}
        first_year = min((years[0] for *_, years in self._events.values()), default=9999)
        last_year = max((years[1] for *_, years in self._events.values()), default=0)
        first_year, last_year = min(first_year, FIRST_ZONE_YEAR), max(last_year, LAST_ZONE_YEAR)
        # The default zone's VTIMEZONE is always there: it also keeps an empty feed valid, since
        # a VCALENDAR holds at least one component (§3.6).
        zone_definitions = [
            vtimezone(zone, first_year, last_year)
            for zone in (timezone, *sorted(zones - {timezone}))
        ]
        head = _calendar_properties(
            name=name, description=description, timezone=timezone, refresh=refresh
        )
        events = (event for _, event, _, _ in self._events.values())
        return b"".join((head, *zone_definitions, *events, _END))


def calendar_feed(
    meetings: Iterable[PublishedMeeting],
    *,
    name: str,
    description: str,
    timezone: str,
    base_url: str,
    refresh: timedelta = timedelta(hours=1),
) -> bytes:
    """The iCalendar document (RFC 5545) of `meetings`, one VEVENT per meeting (its latest
    version), as `CalendarWriter.document` describes it. The cost is linear in the number of
    meetings. Raises ValueError for a `timezone` unknown to this system or a `refresh` that is
    not positive."""
    if refresh <= timedelta(0):
        raise ValueError("the refresh interval must be positive")
    writer = CalendarWriter(base_url)
    writer.add_all(meetings)
    return writer.document(name=name, description=description, timezone=timezone, refresh=refresh)
