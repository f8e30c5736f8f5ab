"""What one sync of a calendar source returns, whatever the protocol behind it.

A connector reports changes per calendar object (href): an object holds one event or one
recurring series (master and overrides), so a change to it replaces all of its occurrences within
the window. The caller persists `state` and hands it back next time; it is opaque to the caller.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

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


ObjectOutcome = ObjectChanged | ObjectFailed

OutcomeSink = Callable[[Sequence[ObjectOutcome]], Awaitable[None]]
"""Where a streaming connector hands the objects it has read, a batch at a time."""


class CalendarConnector(Protocol):
    """A calendar source: CalDAV, ICS subscription."""

    async def sync(self, state: Mapping[str, Any], window: Window) -> SyncDelta:
        """The changes since `state` (empty for a first sync); raises SourceUnreachableError."""
        ...


@runtime_checkable
class StreamingConnector(CalendarConnector, Protocol):
    """A source that hands its changed and failed objects on as it reads them, so that a
    first sync of a big calendar never holds all of them (CalDAV)."""

    async def stream(
        self, state: Mapping[str, Any], window: Window, sink: OutcomeSink
    ) -> SyncDelta:
        """As `sync`, but each changed or failed object is awaited into `sink`, in batches, as
        it is read (each href once), and the delta returned holds neither: only what is
        removed, the counts and the next state. When it raises, what `sink` was given must
        be dropped: the caller's state is not moved forward."""
        ...


async def streamed(
    connector: CalendarConnector, state: Mapping[str, Any], window: Window, sink: OutcomeSink
) -> SyncDelta:
    """`connector`'s changes, its objects handed to `sink` (in one batch, failures first, from
    a connector that does not stream), and the rest returned as by `StreamingConnector`."""
    if isinstance(connector, StreamingConnector):
        return await connector.stream(state, window, sink)
    delta = await connector.sync(state, window)
    if delta.failed or delta.changed:
        await sink([*delta.failed, *delta.changed])
    return delta.model_copy(update={"changed": (), "failed": ()})


async def collected(
    connector: StreamingConnector, state: Mapping[str, Any], window: Window
) -> SyncDelta:
    """The whole delta of a streaming connector, its objects gathered (its `sync`)."""
    outcomes: list[ObjectOutcome] = []

    async def keep(batch: Sequence[ObjectOutcome]) -> None:
        outcomes.extend(batch)

    delta = await connector.stream(state, window, keep)
    return delta.model_copy(
        update={
            "changed": tuple(item for item in outcomes if isinstance(item, ObjectChanged)),
            "failed": tuple(item for item in outcomes if isinstance(item, ObjectFailed)),
        }
    )
