"""Hypothesis strategies of iCalendar text, from nearly valid to garbage (RFC 5545).

A calendar is drawn as a tree of components (VCALENDAR, custom VTIMEZONEs with observances,
VEVENT masters with their RECURRENCE-ID overrides, VALARMs and X- components nested inside),
each with properties drawn from those the register reads and others, with values that are
valid, nearly valid (out-of-range dates, wrong value types, broken rules) or random text. The
tree is then written with mangling: lines dropped, duplicated, swapped, cut or lower-cased,
random folding (§3.1) and line endings, and an encoding (UTF-8 with or without BOM,
Windows-1252, UTF-16, Latin-1), perhaps with bytes flipped.

Hypothesis draws a seed and the tree is built from it with `random.Random`: drawing each of the
hundreds of choices through Hypothesis costs about 0.1 s a calendar, twenty times the cost of
reading it, so its shrinking is traded for twenty times as many cases. A failing case is printed
whole (`note`) and replays from its seed.
"""

import random
import string
from collections.abc import Callable

from hypothesis import strategies as st

Rng = random.Random

TZIDS = ["Europe/Paris", "Romance Standard Time", "/mozilla.org/20050126_1/Europe/Paris"]
TZIDS += ["Heure locale", "Customized Time Zone", "America/Cayenne", "Nowhere/Atlantis", ""]
CUSTOM_TZIDS = ["Heure locale", "Customized Time Zone"]
FREQS = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY", "FORTNIGHTLY"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
BY_NUMBERS = ["BYMONTH", "BYMONTHDAY", "BYHOUR", "BYMINUTE", "BYSECOND", "BYSETPOS", "BYYEARDAY"]
BY_NUMBERS += ["BYWEEKNO"]
BAD_TIMES = ["20260230T090000", "20261301", "2026-06-10T09:00:00", "20260610T250000", "T090000"]
BAD_TIMES += ["99991231T235959Z", "00010101T000000Z", "0", "", "20260610T0900", "PT1H", "120000"]
TEXTS = ["Réunion \\, FNSEA", "a\\nb", "\\", "€uro", "x" * 300, "\x00\x01", "\ud7ff\ue000", ""]
EVENT_NAMES = ["DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "SUMMARY", "LOCATION"]
EVENT_NAMES += ["DESCRIPTION", "ORGANIZER", "ATTENDEE", "CATEGORIES", "STATUS", "CLASS"]
EVENT_NAMES += ["SEQUENCE", "LAST-MODIFIED", "DTSTAMP", "X-MICROSOFT-CDO-ALLDAYEVENT", "GEO"]
EVENT_NAMES += ["X-CALENDARSERVER-ACCESS", "EXRULE", "URL", "X-GOOGLE-CONFERENCE", "DTSTART"]
ZONE_NAMES = ["TZOFFSETFROM", "TZOFFSETTO", "RRULE", "RDATE", "TZNAME", "DTSTART"]
NESTED = ["VALARM", "X-VENDOR", "VTODO", "VEVENT", "VTIMEZONE", "STANDARD", "VJOURNAL"]


def text(rng: Rng, size: int = 40) -> str:
    """Random text: printable, any Unicode, or a known awkward value."""
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(TEXTS)
    if kind < 0.7:
        return "".join(rng.choices(string.printable, k=rng.randint(0, size)))
    return "".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(0, size // 2)))


def day(rng: Rng) -> str:
    if rng.random() < 0.85:
        year = rng.randint(2024, 2028)
    else:
        year = rng.choice([1, 1500, 1601, 1970, 2038, 9998, 9999])
    return (
        f"{year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28 if rng.random() < 0.9 else 31):02d}"
    )


def date_time(rng: Rng) -> str:
    clock = f"{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}"
    return f"{day(rng)}T{clock}{rng.choice(['', 'Z', '', 'z'])}"


def moment(rng: Rng) -> str:
    kind = rng.random()
    if kind < 0.6:
        return date_time(rng)
    if kind < 0.85:
        return day(rng)
    return rng.choice(BAD_TIMES)


def duration(rng: Rng) -> str:
    if rng.random() < 0.15:
        return rng.choice(["P", "PT", "P1Y", "PT-1H", "P99999999D", "P1000000W"])
    sign = rng.choice(["", "+", "-", ""])
    if rng.random() < 0.3:
        return f"{sign}P{rng.randint(0, 3)}W"
    return f"{sign}P{rng.randint(0, 400)}DT{rng.randint(0, 48)}H{rng.randint(0, 600)}M"


def rule(rng: Rng) -> str:
    parts = [f"FREQ={rng.choice(FREQS)}"] if rng.random() < 0.9 else []
    for _ in range(rng.randint(0, 5)):
        kind = rng.randrange(7)
        if kind == 0:
            parts.append(f"INTERVAL={rng.choice([rng.randint(-2, 10), 10**9])}")
        elif kind == 1:
            parts.append(f"COUNT={rng.choice([rng.randint(-1, 500), 10_000_000])}")
        elif kind == 2:
            parts.append(f"UNTIL={moment(rng)}")
        elif kind == 3:
            prefixes = ["", "", "1", "-1", "5", "+2", "53"]
            chosen = rng.sample(DAYS, rng.randint(1, 7))
            parts.append("BYDAY=" + ",".join(rng.choice(prefixes) + d for d in chosen))
        elif kind == 4:
            numbers = [str(rng.randint(-400, 400)) for _ in range(rng.randint(1, 12))]
            parts.append(f"{rng.choice(BY_NUMBERS)}={','.join(numbers)}")
        elif kind == 5:
            parts.append(f"WKST={rng.choice([*DAYS, 'XX'])}")
        else:
            parts.append(text(rng, 12))
    return ";".join(parts)


def _dates(rng: Rng, periods: bool) -> str:
    def one() -> str:
        if periods and rng.random() < 0.3:
            end = date_time(rng) if rng.random() < 0.5 else duration(rng)
            return f"{date_time(rng)}/{end}"
        return moment(rng)

    return ",".join(one() for _ in range(rng.randint(1, 4)))


VALUES: dict[str, Callable[[Rng], str]] = {
    "DTSTART": moment,
    "DTEND": moment,
    "RECURRENCE-ID": moment,
    "LAST-MODIFIED": moment,
    "DTSTAMP": moment,
    "DURATION": duration,
    "RRULE": rule,
    "EXRULE": rule,
    "RDATE": lambda rng: _dates(rng, periods=True),
    "EXDATE": lambda rng: _dates(rng, periods=False),
    "SEQUENCE": lambda rng: rng.choice(["0", "1", "-1", "99999999999999999999", "x", ""]),
    "CLASS": lambda rng: rng.choice(["PUBLIC", "PRIVATE", "CONFIDENTIAL", "X-SECRET", ""]),
    "STATUS": lambda rng: rng.choice(["CONFIRMED", "TENTATIVE", "CANCELLED", "NEEDS-ACTION"]),
    "ORGANIZER": lambda rng: rng.choice(["mailto:maire@ville.example", "mailto:", "x"]),
    "ATTENDEE": lambda rng: rng.choice(["mailto:a@ex.fr", "MAILTO:b@lobby.example", "urn:x"]),
    "CATEGORIES": lambda rng: ",".join(text(rng, 10) for _ in range(rng.randint(0, 3))),
    "X-MICROSOFT-CDO-ALLDAYEVENT": lambda rng: rng.choice(["TRUE", "FALSE", "maybe"]),
    "X-CALENDARSERVER-ACCESS": lambda rng: rng.choice(["PUBLIC", "PRIVATE", "CONFIDENTIAL"]),
    "TZOFFSETFROM": lambda rng: rng.choice(["+0100", "-0500", "+0000", "+2500", "0100", "x"]),
    "TZOFFSETTO": lambda rng: rng.choice(["+0200", "-0400", "-0000", "+013045", "+01", ""]),
    "TZID": lambda rng: rng.choice(TZIDS),
    "X-WR-TIMEZONE": lambda rng: rng.choice(TZIDS),
    "CALSCALE": lambda rng: rng.choice(["GREGORIAN", "gregorian", "JULIAN"]),
    "VERSION": lambda rng: rng.choice(["2.0", "1.0", ""]),
    "METHOD": lambda rng: rng.choice(["PUBLISH", "REQUEST", ""]),
}


def parameters(rng: Rng) -> str:
    found = []
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
        kind = rng.randrange(5)
        if kind == 0:
            found.append(f"TZID={rng.choice(TZIDS)}")
        elif kind == 1:
            found.append(f"VALUE={rng.choice(['DATE', 'DATE-TIME', 'PERIOD', 'TEXT', 'X'])}")
        elif kind == 2:
            found.append(rng.choice(["RANGE=THISANDFUTURE", "RANGE=THISANDPRIOR", 'CN="M: D"']))
        elif kind == 3:
            found.append(rng.choice(["PARTSTAT=ACCEPTED", "X-A=1,2", "ENCODING=BASE64"]))
        else:
            quoted = rng.random() < 0.3
            value = text(rng, 10)
            found.append(f"X-{rng.randint(0, 9)}=" + (f'"{value}"' if quoted else value))
    return "".join(";" + item for item in found)


def line(rng: Rng, name: str) -> str:
    value = VALUES[name](rng) if name in VALUES and rng.random() < 0.85 else text(rng)
    return f"{name}{parameters(rng)}:{value}"


def lines(rng: Rng, names: list[str], most: int) -> list[str]:
    return [line(rng, rng.choice(names)) for _ in range(rng.randint(0, most))]


def nested(rng: Rng, depth: int = 0) -> list[str]:
    """A VALARM, X- or other component inside an event, perhaps nesting others."""
    name = rng.choice(NESTED)
    inner = nested(rng, depth + 1) if depth < 4 and rng.random() < 0.5 else []
    body = lines(rng, ["DTSTART", "RRULE", "UID", "SUMMARY", "TZOFFSETTO"], 3)
    return [f"BEGIN:{name}", *body, *inner, f"END:{name}"]


def custom_zone(rng: Rng) -> list[str]:
    observances = []
    for _ in range(rng.randint(0, 3)):
        kind = rng.choice(["STANDARD", "DAYLIGHT"])
        body = [line(rng, "DTSTART"), *lines(rng, ZONE_NAMES, 5)]
        observances += [f"BEGIN:{kind}", *body, f"END:{kind}"]
    return ["BEGIN:VTIMEZONE", f"TZID:{rng.choice(CUSTOM_TZIDS)}", *observances, "END:VTIMEZONE"]


def series(rng: Rng) -> list[str]:
    """A master VEVENT (perhaps recurring) and perhaps some overrides of it, same UID."""
    uid = rng.choice(["a@bellerive.example", "b@x", "", "ü@x", "a@bellerive.example"])
    zone = rng.choice(["", ";TZID=Heure locale", ";TZID=Europe/Paris", ";VALUE=DATE"])
    start = day(rng) if zone == ";VALUE=DATE" else date_time(rng)
    master = [f"UID:{uid}", f"DTSTART{zone}:{start}", *lines(rng, EVENT_NAMES, 8)]
    if rng.random() < 0.5:
        master.append(f"RRULE:{rule(rng)}")
    if rng.random() < 0.3:
        master += nested(rng)
    found = ["BEGIN:VEVENT", *master, "END:VEVENT"]
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        override = [f"UID:{uid}", f"RECURRENCE-ID{parameters(rng)}:{moment(rng)}"]
        found += ["BEGIN:VEVENT", *override, *lines(rng, EVENT_NAMES, 4), "END:VEVENT"]
    return found


def calendar(rng: Rng) -> list[str]:
    """The lines of a VCALENDAR: its properties, zones and events, before mangling."""
    head = lines(rng, ["VERSION", "CALSCALE", "X-WR-TIMEZONE", "METHOD"], 3)
    zones = [part for _ in range(rng.choice([0, 0, 1, 2])) for part in custom_zone(rng)]
    events = [part for _ in range(rng.randint(1, 3)) for part in series(rng)]
    return ["BEGIN:VCALENDAR", *head, *zones, *events, "END:VCALENDAR"]


def mangle(rng: Rng, found: list[str]) -> list[str]:
    """`found` with a few lines dropped, duplicated, swapped, cut or lower-cased."""
    found = list(found)
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        index = rng.randrange(len(found))
        action = rng.randrange(5)
        if action == 0:
            del found[index]
        elif action == 1:
            found.insert(index, found[index])
        elif action == 2:
            other = rng.randrange(len(found))
            found[index], found[other] = found[other], found[index]
        elif action == 3:
            found[index] = found[index].lower()
        else:
            found[index] = found[index][: rng.randint(0, len(found[index]))]
        if not found:
            break
    return found


def write(rng: Rng, found: list[str]) -> str:
    """The lines joined with line endings and folded at random points (§3.1)."""
    ending = rng.choice(["\r\n", "\r\n", "\n", "\r"])
    out = []
    for each in found:
        if len(each) > 4 and rng.random() < 0.2:
            cut = rng.randint(1, len(each) - 1)
            out.append(each[:cut] + ending + rng.choice([" ", "\t"]) + each[cut:])
        else:
            out.append(each)
    return ending.join(out) + rng.choice([ending, ""])


def encode(rng: Rng, written: str) -> str | bytes:
    """The text as given, or as bytes in some encoding, perhaps with a few bytes flipped."""
    encoding = rng.choice(["str", "str", "utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])
    if encoding == "str":
        return written
    data = bytearray(written.encode(encoding, errors="replace"))
    for _ in range(rng.choice([0, 0, 1, 2])):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def ical_object(rng: Rng) -> str | bytes:
    """One calendar object's data, as a server or a feed might send it."""
    found = calendar(rng)
    if rng.random() < 0.7:
        found = mangle(rng, found)
    return encode(rng, write(rng, found))


def from_seed(seed: int) -> str | bytes:
    """The object generated from `seed`: a test's input, not a secret."""
    return ical_object(random.Random(seed))  # noqa: S311


generated = st.integers(min_value=0, max_value=2**64).map(from_seed)

ical_objects = st.one_of(generated, generated, generated, st.binary(max_size=300), st.text())
"""One calendar object's data: generated as above three times in five, else raw bytes or text."""
