"""When meetings happen: working days and hours, quieter in August and at Christmas, the 2020
lockdowns, and the register growing as authorities join it; and when staff act on them.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bench.synthetic.sampling import Weighted
from register.domain.kinds import MeetingFormat

LOCKDOWNS: tuple[tuple[date, date], ...] = (
    (date(2020, 3, 17), date(2020, 5, 10)),
    (date(2020, 10, 30), date(2020, 12, 14)),
)

_QUARTERS = [(hour, minute) for hour in range(8, 19) for minute in (0, 15, 30, 45)]
_QUARTER_WEIGHTS = [
    {8: 0.4, 12: 0.55, 13: 0.45, 18: 0.35}.get(hour, 1.0) * (0.5 if (hour, minute) == (8, 0) else 1)
    for hour, minute in _QUARTERS
]
START_TIMES = Weighted([time(h, m) for h, m in _QUARTERS], _QUARTER_WEIGHTS)
"""Meetings start on the quarter hour, mostly 9:00 to 12:00 and 14:00 to 18:00."""
DURATIONS = Weighted([30, 45, 60, 90, 120], [14, 10, 46, 20, 10])
"""Minutes."""

_FORMATS = list(MeetingFormat)
_FORMAT_WEIGHTS = {  # in person, video, phone
    "before": Weighted(_FORMATS, [85, 8, 7]),
    "lockdown": Weighted(_FORMATS, [12, 68, 20]),
    "2020-2021": Weighted(_FORMATS, [55, 35, 10]),
    "after": Weighted(_FORMATS, [72, 22, 6]),
}


def easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * m + 22 * h) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """France's public holidays: the fixed ones, Easter Monday, Ascension and Whit Monday."""
    fixed = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
    sunday = easter(year)
    movable = (sunday + timedelta(days=1), sunday + timedelta(days=39), sunday + timedelta(50))
    return frozenset({date(year, m, d) for m, d in fixed} | set(movable))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def season(day: date) -> float:
    """How busy officials' diaries are on `day`, relative to an ordinary working day."""
    if day.weekday() == 6:
        return 0.0
    if day.weekday() == 5 or day in public_holidays(day.year):
        return 0.025
    if day.month == 8:
        weight = 0.3 if day.day < 25 else 0.6
    elif day.month == 7 and day.day >= 14:
        weight = 0.65
    elif (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 2):
        weight = 0.25
    else:
        weight = 1.0
    if any(first <= day <= last for first, last in LOCKDOWNS):
        weight *= 0.6
    return weight


def meetings_per_day(
    rng: random.Random, weights: list[float], total: int, noise: float = 0.25
) -> list[int]:
    """Split `total` meetings over days in proportion to `weights`, each day's weight shaken
    by some noise (no two weeks alike), with exactly `total` in all."""
    shaken = [w * rng.lognormvariate(0.0, noise) if w else 0.0 for w in weights]
    whole = sum(shaken)
    if whole <= 0:
        raise ValueError("no day can hold a meeting")
    counts: list[int] = []
    cumulative, given = 0.0, 0
    for weight in shaken:
        cumulative += weight
        upto = round(total * cumulative / whole)
        counts.append(upto - given)
        given = upto
    return counts


def meeting_format(rng: random.Random, day: date) -> MeetingFormat:
    if any(first <= day <= last for first, last in LOCKDOWNS):
        era = "lockdown"
    elif day < LOCKDOWNS[0][0]:
        era = "before"
    elif day < date(2021, 7, 1):
        era = "2020-2021"
    else:
        era = "after"
    return _FORMAT_WEIGHTS[era].draw(rng)


def office_moment(rng: random.Random, after: datetime, days: int, zone: ZoneInfo) -> datetime:
    """When staff act, `days` working days or so after `after`: office hours (8:30 to 18:30,
    local time) on a working day, never before `after`; in UTC, to the second."""
    earliest = after + timedelta(minutes=15)
    day = after.astimezone(zone).date() + timedelta(days=days)
    for _ in range(15):
        if is_working_day(day):
            opening = max(datetime.combine(day, time(8, 30), tzinfo=zone), earliest)
            closing = datetime.combine(day, time(18, 30), tzinfo=zone)
            if opening < closing:
                span = int((closing - opening).total_seconds())
                moment = opening + timedelta(seconds=rng.randrange(span))
                return moment.astimezone(UTC).replace(microsecond=0)
        day += timedelta(days=1)
    return (earliest + timedelta(hours=1)).astimezone(UTC).replace(microsecond=0)


PUBLICATION_DELAYS = Weighted(
    [(0, 2), (3, 9), (10, 20), (21, 45), (46, 120)], [45, 35, 14.5, 4.5, 1]
)
"""Days between a meeting and its publication: most within the week, a few very late."""


def publication_delay(rng: random.Random) -> int:
    low, high = PUBLICATION_DELAYS.draw(rng)
    return rng.randint(low, high)
