"""A public record's times in the meeting's own zone, as feeds write them.

Records keep their times in UTC with the zone's name beside them (`TimeSpan`); feeds give them
back in that zone (RFC 5545 §3.3.5, form 3) so that a calendar app shows the meeting at the hour
it was held, across daylight saving changes.
"""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from register.domain.public_record import PublicRecord

ONE_DAY = timedelta(days=1)


def zone_of(record: PublicRecord) -> tzinfo:
    """The meeting's zone; UTC for a name this system does not know (records are validated
    when they are made, so that is only ever a record from an older time zone database)."""
    try:
        return ZoneInfo(record.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_start(record: PublicRecord) -> datetime:
    return record.starts_at.astimezone(zone_of(record))


def local_end(record: PublicRecord) -> datetime | None:
    return None if record.ends_at is None else record.ends_at.astimezone(zone_of(record))


def all_day_dates(record: PublicRecord) -> tuple[date, date | None]:
    """The first day of an all-day meeting and the day after its last (exclusive, as DTEND of
    a date is in RFC 5545 §3.6.1); None when the record has no end (then it is one day).

    An end that is not a midnight counts its day in full, and the span is at least one day.
    """
    first = local_start(record).date()
    end = local_end(record)
    if end is None:
        return first, None
    after = end.date() if end.time() == time(0) else end.date() + ONE_DAY
    return first, max(after, first + ONE_DAY)
