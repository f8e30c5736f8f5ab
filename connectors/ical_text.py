"""iCalendar as text: logical lines, and the lines worth handing to the parser.

icalendar 7.3 spends about 50 µs on each content line it parses (on the development machine), more
than everything else done with an event. Real calendars are mostly lines the register never reads:
a VTIMEZONE of 15-30 lines in every CalDAV object, VALARMs, and per-event vendor properties
(Outlook writes a dozen X-MICROSOFT-* and X-MS-OLK-* lines, Google X-GOOGLE-*, Apple
X-APPLE-STRUCTURED-LOCATION). Selecting lines by name on the unfolded text (RFC 5545 §3.1) costs
about a microsecond a line and halves the parsing, without changing what is read.

It also decides which broken values matter: a property not read cannot make an object malformed,
while a broken DTSTART, RRULE or CLASS still does (icalendar reports it in `component.errors`).

And it bounds the work an object can cause before icalendar sees it. Parsing costs time in
proportion to the lines, values and characters kept, so a hostile object (tens of thousands of
overrides or EXDATEs, a description of megabytes) would hold a sync for seconds per object; the
budgets below are far above any real object (a daily series of two years with every occurrence
moved is 730 VEVENTs of a dozen lines) and each is reported, naming the limit, as soon as it is
passed.
"""

import re

from connectors.malformed import MalformedObjectError
from connectors.timezones import iana_zone

_FOLD = re.compile(r"(?:(?<!\n)\r\n|(?<![\r\n])\n)(?:\r?\n)*[ \t]")
"""A line break followed by a space or tab continues the line (§3.1); the same pattern as
icalendar's, so that both see the same logical lines."""
_NEWLINE = re.compile(r"\r?\n")

CALENDAR_PROPERTIES = frozenset(
    {"VERSION", "CALSCALE", "METHOD", "X-WR-TIMEZONE", "X-CALENDARSERVER-ACCESS"}
)
"""The VCALENDAR properties the reading uses (CALSCALE is checked by recurring_ical_events)."""

EVENT_PROPERTIES = frozenset(
    {"UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"}
    | {"SUMMARY", "LOCATION", "DESCRIPTION", "ORGANIZER", "ATTENDEE", "CATEGORIES"}
    | {"STATUS", "CLASS", "SEQUENCE", "LAST-MODIFIED", "DTSTAMP"}
    | {"X-MICROSOFT-CDO-ALLDAYEVENT", "X-CALENDARSERVER-ACCESS"}
)
"""The VEVENT properties the reading uses; any other is invisible to it."""

_SELECTED = {"VCALENDAR": CALENDAR_PROPERTIES, "VEVENT": EVENT_PROPERTIES}

MAX_EVENTS = 2000
"""The most VEVENTs one calendar object may hold (a master and its overrides, §3.6.1)."""

MAX_LINES = 20_000
"""The most content lines of an object that reading parses (about 1.5 s of icalendar's time)."""

MAX_DATE_VALUES = 5000
"""The most RDATE and EXDATE values in one object, as many as occurrences may be read."""

MAX_OBSERVANCES = 100
"""The most STANDARD and DAYLIGHT observances of custom VTIMEZONEs in one object (a real
definition has two, or a few dozen with its history)."""

MAX_CHARACTERS = 1_000_000
"""The most characters of the lines that reading parses (a megabyte of summaries and
descriptions, none of which the register publishes beyond a few hundred characters)."""

_DATE_LISTS = frozenset({"RDATE", "EXDATE"})


def decode(data: str | bytes) -> str:
    """The text of iCalendar data. It is UTF-8 (§3.1.4), but old Outlook exports are
    Windows-1252: read as such rather than with replacement characters in every accented word.
    A byte order mark is dropped, and so is what no database can store (`storable`)."""
    if isinstance(data, str):
        return storable(data.removeprefix("\ufeff"))
    try:
        return storable(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return storable(data.decode("cp1252", errors="replace"))


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` without NUL characters, which PostgreSQL refuses in text, and with U+FFFD for
    lone surrogates (text decoded with `surrogateescape`), which no UTF-8 encoder accepts: either
    would otherwise fail the sync when an occurrence is stored, not when it is read."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError:
            text = _SURROGATE.sub("\ufffd", text)
    return text


def logical_lines(text: str) -> list[str]:
    """The unfolded, non-empty content lines of `text` (§3.1)."""
    return [line for line in _NEWLINE.split(_FOLD.sub("", text)) if line]


def line_name(line: str) -> str | None:
    """The upper-cased name of a content line (§3.1), or None for text that is not one."""
    colon = line.find(":")
    if colon < 0:
        return None
    semicolon = line.find(";", 0, colon)
    return line[: semicolon if semicolon >= 0 else colon].upper()


def line_value(line: str) -> str:
    """The value of a content line: after the first colon outside a quoted parameter value."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[index + 1 :]
    return ""


def _wanted(parent: str | None, component: str) -> bool:
    """Whether a component is parsed: the calendar, its events and time zones (with their
    STANDARD and DAYLIGHT parts); not alarms, tasks, journals or anything else."""
    if parent is None:
        return True  # whatever is at the top, the parser judges it
    if parent == "VCALENDAR":
        return component in {"VEVENT", "VTIMEZONE"}
    return parent == "VTIMEZONE" and component in {"STANDARD", "DAYLIGHT"}


def needs_definition(zone_lines: list[str]) -> bool:
    """Whether a VTIMEZONE is needed: unless its TZID is an IANA or Windows name, read from the
    tz database (see `connectors.timezones`). Vendor-prefixed names keep theirs: icalendar
    warns when it has to guess them."""
    for line in zone_lines:
        if line_name(line) == "TZID":
            tzid = line_value(line)
            return tzid.startswith("/") or iana_zone(tzid) is None
    return True


class _Selection:
    """The lines kept so far, and where in the nesting of components (§3.4, §3.6) we are."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.stack: list[str] = []
        self.skipped = 0
        """How deep inside a component that is left out."""
        self.zone: list[str] | None = None
        """The lines of the VTIMEZONE being read, kept or not at its end."""
        self.events = 0
        self.observances = 0
        self.lines = 0
        self.date_values = 0
        self.characters = 0

    def _count(self, line: str, name: str | None) -> None:
        """Count a line that will be parsed against the budgets, refusing the object as soon
        as one is exceeded."""
        self.lines += 1
        self.characters += len(line)
        if name in _DATE_LISTS:
            self.date_values += line_value(line).count(",") + 1
        for used, limit, what in (
            (self.events, MAX_EVENTS, "VEVENTs"),
            (self.observances, MAX_OBSERVANCES, "STANDARD and DAYLIGHT observances"),
            (self.lines, MAX_LINES, "content lines"),
            (self.date_values, MAX_DATE_VALUES, "RDATE and EXDATE values"),
            (self.characters, MAX_CHARACTERS, "characters"),
        ):
            if used > limit:
                raise MalformedObjectError(
                    f"more than {limit} {what} in one calendar object: an object this large "
                    "is refused"
                )

    def begin(self, line: str) -> None:
        component = line_value(line).strip().upper()
        parent = self.stack[-1] if self.stack else None
        self.stack.append(component)
        if self.skipped or not _wanted(parent, component):
            self.skipped += 1
            return
        self.events += component == "VEVENT"
        self.observances += component in {"STANDARD", "DAYLIGHT"}
        self._count(line, "BEGIN")
        if component == "VTIMEZONE":
            self.zone = [line]
        else:
            (self.zone if self.zone is not None else self.kept).append(line)

    def end(self, line: str) -> None:
        component = self.stack.pop() if self.stack else ""
        if self.skipped:
            self.skipped -= 1
        elif self.zone is None:
            self.kept.append(line)
        else:
            self.zone.append(line)
            if component == "VTIMEZONE":
                self.kept.extend(self.zone if needs_definition(self.zone) else ())
                self.zone = None

    def other(self, line: str, name: str | None) -> None:
        if self.skipped:
            return
        if self.zone is not None:
            self._count(line, name)
            self.zone.append(line)
            return
        selected = _SELECTED.get(self.stack[-1]) if self.stack else None
        if name is None or selected is None or name in selected:
            self._count(line, name)
            self.kept.append(line)

    def text(self) -> str:
        return "\r\n".join([*self.kept, *(self.zone or ())]) + "\r\n"


def essential_text(text: str) -> str:
    """The lines of `text` that reading events uses, unfolded, in their order.

    Lines that are not content lines at all are kept, so that the parser reports them; so are
    BEGIN and END lines out of order, for the same reason. MalformedObjectError when the lines
    kept exceed a budget (`MAX_EVENTS`, `MAX_OBSERVANCES`, `MAX_LINES`, `MAX_DATE_VALUES`,
    `MAX_CHARACTERS`).
    """
    selection = _Selection()
    for line in logical_lines(text):
        name = line_name(line)
        if name == "BEGIN":
            selection.begin(line)
        elif name == "END":
            selection.end(line)
        else:
            selection.other(line, name)
    return selection.text()
