"""CalDAV calendars (RFC 4791), synced incrementally (RFC 6578) into plain RemoteEvent values.

`CalDAVConnector.stream()` only coordinates: find the calendars (`caldav_discovery`), sync each
(`caldav_sync`, which hands the objects it reads to the caller's sink as it goes), and put the
rest of their outcomes and their next states together; `sync()` gathers it all in one delta.
A server that cannot be reached, or refuses the credentials, raises SourceUnreachableError and
nothing is returned: the caller drops what the sink was given, keeps its previous state, and
the next sync starts from it.

The state handed back (JSON, opaque to the caller) looks like::

    {"version": 1, "source": "<the URL>", "home": "<calendar home URL, or null>",
     "auth_scheme": "basic" | "digest" | null,
     "calendars": {"/marie.dupont/agenda/": {
         "url": "...", "sync_token": "...", "ctag": "...",
         "etags": {"/marie.dupont/agenda/conseil@ville.fr.ics": "\\"5c1f…\\""},
         "window_start": "2026-01-01T00:00:00Z", "window_end": "2027-12-31T00:00:00Z"}}}
"""

from collections.abc import Mapping
from typing import Any

from connectors.caldav_client import DAVSession
from connectors.caldav_discovery import plan_sync
from connectors.caldav_remote import Remote
from connectors.caldav_state import CalendarState, SourceState, load_state
from connectors.caldav_sync import CalendarOutcome, CalendarSync
from connectors.delta import OutcomeSink, SyncDelta, Window, collected
from connectors.object_parser import ObjectParser


class CalDAVConnector:
    """A CalDAV source: one calendar's URL, or a principal's (all its event calendars)."""

    def __init__(
        self,
        url: str,
        username: str = "",
        password: str = "",
        *,
        default_timezone: str = "Europe/Paris",
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        """`timeout` bounds each request (seconds); a network failure or a 5xx answer is
        retried `retries` times, after `backoff`, 2×`backoff`, 4×`backoff`… seconds."""
        self.url = url
        self.username = username
        self.password = password
        self.default_timezone = default_timezone
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

    async def sync(self, state: Mapping[str, Any], window: Window) -> SyncDelta:
        """The changes since `state` (empty for a first sync); raises SourceUnreachableError."""
        return await collected(self, state, window)

    async def stream(
        self, state: Mapping[str, Any], window: Window, sink: OutcomeSink
    ) -> SyncDelta:
        """As `sync`, the changed and failed objects handed to `sink` in batches as they are
        read (see `StreamingConnector`)."""
        previous = load_state(state, self.url)
        session = DAVSession(
            self.url,
            self.username,
            self.password,
            self.timeout,
            previous.auth_scheme if previous else None,
        )
        remote = Remote(
            session,
            self.url,
            username=self.username,
            retries=self.retries,
            backoff=self.backoff,
            timeout=self.timeout,
        )
        known = previous.calendars if previous else {}
        parser = ObjectParser(window, self.default_timezone)
        try:
            plan = await plan_sync(remote, self.url, previous)
            syncer = CalendarSync(remote, window, parser, sink)
            outcomes = {
                target.path: await syncer.run(target, known.get(target.path))
                for target in plan.targets
            }
        finally:
            session.close()
            parser.close()
        next_state = SourceState(
            source=self.url,
            home=plan.home,
            auth_scheme=session.auth_scheme,
            calendars={path: outcome.state for path, outcome in outcomes.items()},
        )
        unchanged = next_state == previous
        return _delta(
            outcomes,
            _vanished(known, outcomes),
            session.requests,
            # An unchanged calendar hands back the caller's own state rather than a new dump of
            # every ETag, so its memory does not grow with the number of objects.
            dict(state) if unchanged else None,
            next_state,
        )


def _vanished(
    known: Mapping[str, CalendarState], outcomes: Mapping[str, CalendarOutcome]
) -> list[str]:
    """Objects of the calendars no longer found (deleted, or no longer the source's)."""
    return sorted(
        href
        for path, calendar in known.items()
        if path not in outcomes
        for href in [*calendar.etags, *calendar.retry]
    )


def _delta(
    outcomes: Mapping[str, CalendarOutcome],
    vanished: list[str],
    requests: int,
    same_state: dict[str, Any] | None,
    state: SourceState,
) -> SyncDelta:
    return SyncDelta(
        removed=tuple(
            [href for outcome in outcomes.values() for href in outcome.removed] + vanished
        ),
        unchanged=sum(outcome.unchanged for outcome in outcomes.values()),
        full=any(outcome.full for outcome in outcomes.values()),
        requests=requests,
        state=same_state if same_state is not None else state.to_json(),
    )
