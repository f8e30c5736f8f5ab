"""Splitting an ICS feed (a webcal subscription) into one calendar object per UID.

A feed is one VCALENDAR holding every event of a calendar. The connector treats it like a CalDAV
collection: each UID (an event, or a series with its overrides) becomes an object with the
pseudo-href `uid:<UID>`, and an object whose bytes did not change since the last sync is not read
again. So each object is written deterministically:

- the calendar properties that change what its events mean are kept (X-WR-TIMEZONE for floating
  times, X-CALENDARSERVER-ACCESS for privacy, CALSCALE, METHOD), under a fixed VERSION and
  PRODID; the others (the calendar's name, a publication timestamp) are left out;
- the VTIMEZONEs its events name are kept, in TZID order; its VEVENTs come master first, then
  the overrides, in text order, whatever order the feed used;
- in a feed with a METHOD (Google's has METHOD:PUBLISH), DTSTAMP is the time the feed was
  generated (RFC 5545 §3.8.7.2), new at every download: it is left out, so that an unchanged
  event keeps its bytes. LAST-MODIFIED still says when an event changed.

The split works on the text (logical lines and BEGIN/END nesting, §3.1, §3.4): parsing and
re-serialising a feed of 5,000 events with icalendar takes seconds, and the events are parsed
anyway when each object is read. An event that is broken inside is kept as written, and reading
its object reports it. VEVENTs without a UID (§3.6.1 requires one) are gathered under `uid:`, an
object that reading reports as malformed, so that the problem reaches staff.
"""

import re
from collections import defaultdict

from connectors.ical_text import decode, line_name, line_value, logical_lines
from connectors.malformed import MalformedObjectError

_KEPT_PROPERTIES = frozenset({"CALSCALE", "METHOD", "X-WR-TIMEZONE", "X-CALENDARSERVER-ACCESS"})
_HEAD = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//agenda-register//ICS feed object//EN"]
_TZID = re.compile(r';TZID=("[^"]*"|[^;:]*)', re.IGNORECASE)
_ESCAPE = re.compile(r"\\([\\;,Nn])")
_MAX_OCTETS = 75


def _unescape(text: str) -> str:
    """A TEXT value (§3.3.11), as the UID the parser will read."""
    return _ESCAPE.sub(lambda match: "\n" if match[1] in "Nn" else match[1], text)


def _fold(line: str) -> str:
    """Fold a line at 75 octets (§3.1), between characters (never inside a UTF-8 sequence).

    Works on the encoded line, a slice per folded line: a line of megabytes costs
    milliseconds, not a Python step per character."""
    if len(line) <= _MAX_OCTETS // 4:
        return line
    data = line.encode()
    if len(data) <= _MAX_OCTETS:
        return line
    parts: list[str] = []
    start, room = 0, _MAX_OCTETS
    while start < len(data):
        end = min(start + room, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a continuation byte
            end -= 1
        parts.append(data[start:end].decode())
        start, room = end, _MAX_OCTETS - 1  # a continuation line begins with a space
    return "\r\n ".join(parts)


class _Component:
    """The lines of one VEVENT or VTIMEZONE of the feed, with what grouping needs."""

    __slots__ = ("key", "kind", "lines", "overrides", "tzids")

    def __init__(self, kind: str, begin: str) -> None:
        self.kind = kind
        self.lines = [begin]
        self.key = ""
        """UID (VEVENT) or TZID (VTIMEZONE)."""
        self.overrides = False
        """Whether it is a VEVENT with a RECURRENCE-ID."""
        self.tzids: set[str] = set()

    def add(self, line: str, name: str | None, *, top: bool) -> None:
        """Add a line, noting its UID, TZID or RECURRENCE-ID if it is one of the component's
        own (`top`), and any TZID it refers to."""
        self.lines.append(line)
        if top and name == ("UID" if self.kind == "VEVENT" else "TZID"):
            self.key = _unescape(line_value(line)) if self.kind == "VEVENT" else line_value(line)
        elif top and name == "RECURRENCE-ID":
            self.overrides = True
        tzid = _TZID.search(line, 0, len(line) - len(line_value(line)))
        if tzid:
            self.tzids.add(tzid[1].strip('"'))


def _components(lines: list[str]) -> tuple[list[str], list[_Component]]:
    """The calendar's own kept lines and its VEVENT and VTIMEZONE components, checking that
    the text is one well-nested VCALENDAR (§3.4, §3.6)."""
    first = lines[0] if lines else ""
    if line_name(first) != "BEGIN" or line_value(first).strip().upper() != "VCALENDAR":
        raise MalformedObjectError(f"not valid iCalendar: it begins with {first[:60]!r}")
    own: list[str] = []
    found: list[_Component] = []
    stack = ["VCALENDAR"]
    current: _Component | None = None
    for number, line in enumerate(lines[1:], start=2):
        if not stack:
            raise MalformedObjectError(f"not valid iCalendar: line {number} follows END:VCALENDAR")
        name = line_name(line)
        if name == "BEGIN":
            stack.append(line_value(line).strip().upper())
            if len(stack) == 2 and stack[-1] in {"VEVENT", "VTIMEZONE"}:
                current = _Component(stack[-1], line)
                found.append(current)
                continue
        elif name == "END" and stack.pop() != line_value(line).strip().upper():
            raise MalformedObjectError(f"not valid iCalendar: {line!r} at line {number}")
        if current is not None:
            current.add(line, name, top=len(stack) == 2 and name not in {"BEGIN", "END"})
            if len(stack) == 1:
                current = None
        elif len(stack) == 1 and name is None:
            raise MalformedObjectError(f"not valid iCalendar: line {number} is {line[:60]!r}")
        elif len(stack) == 1 and name in _KEPT_PROPERTIES:
            own.append(line)
    if stack:
        raise MalformedObjectError("not valid iCalendar: END:VCALENDAR is missing")
    return own, found


def split_feed(data: str | bytes) -> dict[str, bytes]:
    """One calendar object per UID of the feed `data`, keyed `uid:<UID>`, as iCalendar bytes
    that are identical from one download to the next while the event is unchanged.

    Raises MalformedObjectError if `data` is not one well-nested VCALENDAR.
    """
    own, components = _components(logical_lines(decode(data)))
    drop_stamps = any(line_name(line) == "METHOD" for line in own)
    zones: dict[str, str] = {}
    events: defaultdict[str, list[tuple[bool, str]]] = defaultdict(list)
    needed: defaultdict[str, set[str]] = defaultdict(set)
    for component in components:
        if component.kind == "VTIMEZONE":
            zones.setdefault(component.key, "\r\n".join(map(_fold, component.lines)))
            continue
        lines = component.lines
        if drop_stamps:
            lines = [line for line in lines if line_name(line) != "DTSTAMP"]
        key = f"uid:{component.key}"
        events[key].append((component.overrides, "\r\n".join(map(_fold, lines))))
        needed[key] |= component.tzids
    head = "\r\n".join([*_HEAD, *map(_fold, own)])
    objects: dict[str, bytes] = {}
    for key, texts in events.items():
        used = [zones[tzid] for tzid in sorted(needed[key]) if tzid in zones]
        body = [text for _, text in sorted(texts)]
        objects[key] = ("\r\n".join([head, *used, *body, "END:VCALENDAR"]) + "\r\n").encode()
    return objects
