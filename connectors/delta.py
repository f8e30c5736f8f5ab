"""What one sync of a calendar source returns, whatever the protocol behind it.

A connector reports changes per calendar object (href): an object holds one event or one
recurring series (master and overrides), so a change to it replaces all of its occurrences within
the window. The caller persists `state` and hands it back next time; it is opaque to the caller.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, model_validator

from connectors.remote_event import RemoteEvent

DEFAULT_BACK = timedelta(days=365)
DEFAULT_AHEAD = timedelta(days=365)


class Window(BaseModel):
    """The span in which recurrences are expanded; it moves forward as time passes."""

    model_config = ConfigDict(frozen=True)

    start: datetime
    end: datetime

    @model_validator(mode="after")
    def _ordered_and_aware(self) -> "Window":
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("window bounds must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("the window ends before it starts")
        return self

    @classmethod
    def around(
        cls, now: datetime, back: timedelta = DEFAULT_BACK, ahead: timedelta = DEFAULT_AHEAD
    ) -> "Window":
        return cls(start=now - back, end=now + ahead)


class ObjectChanged(BaseModel):
    """A new or modified calendar object, with all of its occurrences within the window (an
    empty tuple when none falls inside it)."""

    model_config = ConfigDict(frozen=True)

    href: str
    etag: str | None
    events: tuple[RemoteEvent, ...]


class ObjectFailed(BaseModel):
    """A calendar object that could not be read; its previous occurrences are left as they were."""

    model_config = ConfigDict(frozen=True)

    href: str
    message: str


class SyncDelta(BaseModel):
    """Everything that changed since the state handed in, and the state to hand in next time."""

    model_config = ConfigDict(frozen=True)

    changed: tuple[ObjectChanged, ...] = ()
    removed: tuple[str, ...] = ()
    """Hrefs of objects deleted on the server: all their occurrences are gone."""
    failed: tuple[ObjectFailed, ...] = ()
    unchanged: int = 0
    """Objects known to be unchanged (not fetched)."""
    full: bool = False
    """Whether this was a full resync (first sync, refused token, moved window)."""
    requests: int = 0
    """HTTP requests made, for the sync run's record and the benchmarks."""
    state: dict[str, Any]


class SourceUnreachableError(Exception):
    """The server could not be reached or refused the whole sync (network, authentication,
    server error after retries). Nothing was changed; the message is shown to staff."""


class CalendarConnector(Protocol):
    """A calendar source: CalDAV, ICS subscription."""

    async def sync(self, state: Mapping[str, Any], window: Window) -> SyncDelta:
        """The changes since `state` (empty for a first sync); raises SourceUnreachableError."""
        ...
