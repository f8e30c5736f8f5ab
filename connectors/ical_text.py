"""iCalendar as text: logical lines, and the lines worth handing to the parser.

icalendar 7.3 spends about 50 µs on each content line it parses (on the development machine), more
than everything else done with an event. Real calendars are mostly lines the register never reads:
a VTIMEZONE of 15-30 lines in every CalDAV object, VALARMs, and per-event vendor properties
(Outlook writes a dozen X-MICROSOFT-* and X-MS-OLK-* lines, Google X-GOOGLE-*, Apple
X-APPLE-STRUCTURED-LOCATION). Selecting lines by name on the unfolded text (RFC 5545 §3.1) costs
about a microsecond a line and halves the parsing, without changing what is read.

It also decides which broken values matter: a property not read cannot make an object malformed,
while a broken DTSTART, RRULE or CLASS still does (icalendar reports it in `component.errors`).
"""

import re

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


def decode(data: str | bytes) -> str:
    """The text of iCalendar data. It is UTF-8 (§3.1.4), but old Outlook exports are
    Windows-1252: read as such rather than with replacement characters in every accented word.
    A byte order mark is dropped."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


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
    return parent == "VTIMEZONE"


def _needs_definition(zone_lines: list[str]) -> bool:
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

    def begin(self, line: str) -> None:
        component = line_value(line).strip().upper()
        parent = self.stack[-1] if self.stack else None
        self.stack.append(component)
        if self.skipped or not _wanted(parent, component):
            self.skipped += 1
        elif component == "VTIMEZONE":
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
                self.kept.extend(self.zone if _needs_definition(self.zone) else ())
                self.zone = None

    def other(self, line: str, name: str | None) -> None:
        if self.skipped:
            return
        if self.zone is not None:
            self.zone.append(line)
            return
        selected = _SELECTED.get(self.stack[-1]) if self.stack else None
        if name is None or selected is None or name in selected:
            self.kept.append(line)

    def text(self) -> str:
        return "\r\n".join([*self.kept, *(self.zone or ())]) + "\r\n"


def essential_text(text: str) -> str:
    """The lines of `text` that reading events uses, unfolded, in their order.

    Lines that are not content lines at all are kept, so that the parser reports them; so are
    BEGIN and END lines out of order, for the same reason.
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
