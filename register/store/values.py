"""Column values as either engine returns them: SQLite gives text (raw queries, aggregates) or
naive times where PostgreSQL gives UUIDs and aware times."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID


def as_uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def as_aware(value: Any) -> datetime:
    """A time in UTC if it has no zone (the register stores UTC), read from text if need be."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        raise TypeError(f"not a time: {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
