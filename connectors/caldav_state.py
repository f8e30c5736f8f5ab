"""The CalDAV connector's sync state: what it must remember between two syncs of a source.

The caller stores it as JSON and hands it back unchanged; only this connector reads it. Per
calendar it keeps the RFC 6578 sync token, the ctag, the href → ETag map of the objects it has
reported, and the window their recurrences were expanded for.
"""

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SkipValidation,
    ValidationError,
    field_validator,
)

from connectors.delta import Window

_log = logging.getLogger(__name__)

WINDOW_STEP = timedelta(days=30)
"""How far the window's end may move before every object is expanded again: until then, the
occurrences between the old and the new end of an unchanged series are simply not reported."""


def normalise_href(href: str) -> str:
    """The one spelling of an object's or a collection's href: its decoded path.

    Servers percent-encode hrefs in one answer (`%40`) and not in another (`@`), and some send
    absolute URLs (RFC 4918 §8.3 allows both): compared raw, a deletion would be missed."""
    path = urlsplit(href).path if "://" in href else href
    return unquote(path)


class CalendarState(BaseModel):
    """One calendar collection, as of the last sync."""

    model_config = ConfigDict(frozen=True)

    url: str
    sync_token: str | None = None
    """RFC 6578 §3.2 token of the state the ETag map reflects; None without sync support."""
    ctag: str | None = None
    """CalendarServer's getctag, compared only when there is no sync token."""
    # Not validated item by item: the map is ours (written by `to_json`), and copying it on every
    # load made an unchanged sync's memory grow with the number of objects.
    etags: SkipValidation[dict[str, str]] = Field(default_factory=dict)
    """Normalised href → ETag of every object reported (also the ones that failed to parse)."""
    window_start: datetime
    window_end: datetime
    """The window the objects were last all expanded for (a full load)."""
    retry: tuple[str, ...] = ()
    """Objects to fetch again next time whatever their ETag: the server sent, instead of their
    calendar data, something that is not iCalendar at all (a fault of the server or of a
    proxy, not of the event's author). Not in `etags`."""

    @field_validator("etags", mode="after")
    @classmethod
    def _a_mapping(cls, value: object) -> object:
        # The one check that costs nothing: a state that is not ours becomes a full load.
        if not isinstance(value, dict):
            raise ValueError("etags must be a mapping of hrefs to ETags")
        return value

    def knows(self, href: str) -> bool:
        """Whether the object was reported (read, or waiting to be read again)."""
        return href in self.etags or href in self.retry

    def window_is_stale(self, window: Window) -> bool:
        """Whether recurrences must be expanded again for `window`: its end moved forward by
        WINDOW_STEP or more, or its start moved back (occurrences before were never read)."""
        return window.end - self.window_end >= WINDOW_STEP or window.start < self.window_start


class SourceState(BaseModel):
    """Everything remembered about one source (a principal or a single calendar URL)."""

    model_config = ConfigDict(frozen=True)

    version: Literal[1] = 1
    source: str
    """The URL the state was built from: another URL means a first sync."""
    home: str | None = None
    """The calendar home (RFC 4791 §6.2.1) when the source is a principal; None for a calendar."""
    auth_scheme: Literal["basic", "digest"] | None = None
    """The HTTP authentication scheme the server asked for, sent straight away next time."""
    calendars: dict[str, CalendarState] = Field(default_factory=dict)
    """By the calendar's normalised path."""

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def load_state(raw: Mapping[str, Any], source: str) -> SourceState | None:
    """The state handed back by the caller, or None when there is none to build on (a first
    sync). An unreadable state is logged and treated as none: a full load follows."""
    if not raw:
        return None
    try:
        state = SourceState.model_validate(dict(raw))
    except ValidationError as error:
        _log.warning("unreadable CalDAV sync state for %s, doing a full load: %s", source, error)
        return None
    return state
