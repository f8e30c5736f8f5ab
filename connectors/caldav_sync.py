"""Syncing one calendar collection: a full load, an RFC 6578 incremental sync, or an ETag
comparison, whichever is cheapest and still correct.

- Full load (first sync, window moved): the token first (PROPFIND, RFC 6578 §4; the ctag
  instead on a server without tokens), then every event in one calendar-query REPORT (RFC 4791
  §7.8). Taking the token first means a change made in between is reported again next time,
  never lost. The answer is pipelined: its objects are handed on in batches of
  `FULL_LOAD_BATCH` as they arrive, each batch parsed (in the process pool) while the next is
  read, and its outcomes given to the sink while the next is parsed, so that neither the texts
  nor the occurrences of a big calendar are ever all held; only the href → ETag map is. A
  REPORT cut short and retried sends its first objects again: those already handed on are
  skipped, so none is handed on twice.
- Incremental: a sync-collection REPORT from the stored token (RFC 6578 §3.2); changed bodies
  in one calendar-multiget (RFC 4791 §7.9). Unchanged: that one small request.
- ETag comparison, when the server has no sync token or refused ours (DAV:valid-sync-token,
  RFC 6578 §3.2): PROPFIND Depth 1 for every ETag, diffed against the stored map; only what
  changed is fetched, and what is gone is reported removed. caldav's own fallback is not used:
  it downloads everything and compares texts, which reported phantom changes.
"""

import asyncio
import contextlib
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from caldav.lib.error import DAVError

from connectors.caldav_client import is_token_refusal
from connectors.caldav_propfind import Collection, Member
from connectors.caldav_remote import Remote
from connectors.caldav_report import Body
from connectors.caldav_state import CalendarState
from connectors.delta import ObjectFailed, ObjectOutcome, OutcomeSink, Window
from connectors.object_parser import ObjectParser

UNSUPPORTED_REPORT = frozenset({400, 403, 405, 409, 412, 415, 422, 501})
"""Statuses of a sync-collection REPORT that mean "not supported here" (once a refused token,
told by its precondition, has been ruled out): the ETag comparison is used instead."""

FULL_LOAD_BATCH = 250
"""Objects per batch of a full load: enough for the process pool to be worth it (a few
hundred milliseconds of parsing), few enough that memory stays flat."""

PARSED_AHEAD = 1
"""Batches parsed while the one before is handed to the sink: keeps the pool busy."""


@dataclass(frozen=True)
class Target:
    """A calendar to sync; `listed` is what a PROPFIND of this sync already said about it."""

    url: str
    path: str
    listed: Collection | None = None


@dataclass
class CalendarOutcome:
    """What one calendar contributes to the SyncDelta, but its changed and failed objects, which
    went to the sink."""

    state: CalendarState
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    full: bool = False
    retry: list[str] = field(default_factory=list)
    """Objects to read again next time (see `CalendarState.retry`)."""


def listed_unchanged(listed: Collection | None, previous: CalendarState) -> bool:
    """Whether a listing made this sync shows the calendar as it was: the same sync token, or,
    only for a server without tokens, the same ctag (and no object is waiting to be read
    again)."""
    if listed is None or previous.retry:
        return False
    if previous.sync_token:
        return listed.sync_token == previous.sync_token
    return listed.ctag is not None and listed.ctag == previous.ctag


class CalendarSync:
    """Syncs calendars of one source during one sync."""

    def __init__(
        self, remote: Remote, window: Window, parser: ObjectParser, sink: OutcomeSink
    ) -> None:
        self.remote = remote
        self.session = remote.session
        self.window = window
        self.parser = parser
        self.sink = sink

    async def run(self, target: Target, previous: CalendarState | None) -> CalendarOutcome:
        if previous is None or previous.window_is_stale(self.window):
            return await self.full_load(target, previous)
        if listed_unchanged(target.listed, previous):
            return CalendarOutcome(state=previous, unchanged=len(previous.etags))
        if previous.sync_token:
            return await self.by_token(target, previous, previous.sync_token)
        if target.listed is None and previous.ctag:
            own = await self.remote.call(
                f"checking whether calendar {target.path} changed",
                partial(self.session.describe, ctag=True),
                target.url,
            )
            if own.ctag == previous.ctag:
                return CalendarOutcome(state=previous, unchanged=len(previous.etags))
        return await self.by_etags(target, previous)

    async def full_load(self, target: Target, previous: CalendarState | None) -> CalendarOutcome:
        listed = target.listed
        if listed is None:
            listed = await self.remote.call(
                f"reading the sync token of calendar {target.path}",
                self.session.describe,
                target.url,
            )
        if listed.sync_token is None and listed.ctag is None:
            # No token to compare next time: the ctag, if the server has one, will do.
            listed = await self.remote.call(
                f"reading the ctag of calendar {target.path}",
                partial(self.session.describe, ctag=True),
                target.url,
            )
        outcome = CalendarOutcome(
            state=CalendarState(
                url=target.url,
                sync_token=listed.sync_token,
                ctag=listed.ctag,
                window_start=self.window.start,
                window_end=self.window.end,
            ),
            full=True,
        )
        etags = await self._load(target, outcome)
        outcome.state = outcome.state.model_copy(update={"etags": etags})
        outcome.state = _without_retried(outcome.state, outcome.retry)
        known = [*previous.etags, *previous.retry] if previous else []
        outcome.removed = [href for href in known if not outcome.state.knows(href)]
        return outcome

    async def _load(self, target: Target, outcome: CalendarOutcome) -> dict[str, str]:
        """Every event of the calendar handed to the sink, pipelined (see the module's
        docstring); the href → ETag map of those read."""
        etags: dict[str, str] = {}
        parsing: deque[asyncio.Future[list[ObjectOutcome]]] = deque()
        pages = self.remote.batches(
            f"loading the events of calendar {target.path}",
            partial(self.session.events, target.url),
            FULL_LOAD_BATCH,
        )
        try:
            async with contextlib.aclosing(pages):
                async for bodies in pages:
                    # A retried REPORT sends again what was read before it was cut.
                    fresh = [body for body in bodies if body.href not in etags]
                    for body in fresh:
                        etags[body.href] = body.etag or ""
                    parsing.append(asyncio.ensure_future(self._outcomes(outcome, fresh)))
                    while len(parsing) > PARSED_AHEAD:
                        await self._hand_on(await parsing.popleft())
            while parsing:
                await self._hand_on(await parsing.popleft())
        finally:
            for pending in parsing:
                pending.cancel()
            if parsing:
                await asyncio.gather(*parsing, return_exceptions=True)
        return etags

    async def _hand_on(self, outcomes: list[ObjectOutcome]) -> None:
        if outcomes:
            await self.sink(outcomes)

    async def by_token(
        self, target: Target, previous: CalendarState, sync_token: str
    ) -> CalendarOutcome:
        try:
            changes = await self.remote.call(
                f"listing the changes to calendar {target.path} since the last sync",
                self.session.changes_since,
                target.url,
                sync_token,
                passthrough=_refused_or_unsupported,
            )
        except DAVError as failure:
            if is_token_refusal(failure):
                outcome = await self.by_etags(target, previous)
                outcome.full = True
                return outcome
            return await self.by_etags(target, previous.model_copy(update={"sync_token": None}))
        stale = [member for member in changes.changed if _differs(member, previous.etags)]
        stale += _retried(previous, changes.removed, stale)
        removed = sorted(href for href in changes.removed if previous.knows(href))
        return await self._apply(
            target,
            previous,
            stale,
            removed,
            sync_token=changes.sync_token or sync_token,
            ctag=previous.ctag,
        )

    async def by_etags(self, target: Target, previous: CalendarState) -> CalendarOutcome:
        own, members = await self.remote.call(
            f"listing the objects of calendar {target.path} and their ETags",
            partial(self.session.members, ctag=not previous.sync_token),
            target.url,
        )
        current = {member.href for member in members}
        stale = [member for member in members if _differs(member, previous.etags)]
        stale += _retried(previous, frozenset(previous.retry) - current, stale)
        removed = sorted(href for href in [*previous.etags, *previous.retry] if href not in current)
        return await self._apply(
            target, previous, stale, removed, sync_token=own.sync_token, ctag=own.ctag
        )

    async def _apply(
        self,
        target: Target,
        previous: CalendarState,
        stale: Sequence[Member],
        removed: Sequence[str],
        *,
        sync_token: str | None,
        ctag: str | None,
    ) -> CalendarOutcome:
        """Fetch the stale objects, and build the outcome and the calendar's next state."""
        bodies: list[Body] = []
        if stale:
            bodies = await self.remote.call(
                f"fetching the changed events of calendar {target.path}",
                self.session.fetch,
                target.url,
                [member.href for member in stale],
            )
        if not stale and not removed:
            # Nothing changed: keep the previous map itself, so an unchanged sync's memory does
            # not grow with the number of objects.
            outcome = CalendarOutcome(
                state=previous.model_copy(
                    update={"url": target.url, "sync_token": sync_token, "ctag": ctag, "retry": ()}
                )
            )
            outcome.unchanged = len(previous.etags)
            return outcome
        gone = {body.href for body in bodies if body.data is None and body.refused is None}
        etags = {href: etag for href, etag in previous.etags.items() if href not in removed}
        fetched = {
            body.href: body for body in bodies if body.data is not None or body.refused is not None
        }
        listed_etags = {member.href: member.etag for member in stale}
        for href, body in fetched.items():
            etags[href] = body.etag or listed_etags.get(href) or ""
        for href in gone:
            etags.pop(href, None)
        outcome = CalendarOutcome(
            state=previous.model_copy(
                update={
                    "url": target.url,
                    "sync_token": sync_token,
                    "ctag": ctag,
                    "etags": etags,
                    "retry": (),
                }
            ),
            removed=sorted({*removed, *(href for href in gone if previous.knows(href))}),
        )
        await self._hand_on(await self._outcomes(outcome, fetched.values()))
        outcome.state = _without_retried(outcome.state, outcome.retry)
        touched = {member.href for member in stale} | set(outcome.removed)
        outcome.unchanged = sum(1 for href in previous.etags if href not in touched)
        return outcome

    async def _outcomes(
        self, outcome: CalendarOutcome, bodies: Iterable[Body]
    ) -> list[ObjectOutcome]:
        """Parse off the event loop: expanding a big calendar's series takes a while. Objects
        refused unread (too large) and data that is not iCalendar at all fail without parsing;
        the latter are read again next time (`CalendarState.retry`)."""
        refused: list[ObjectOutcome] = []
        texts: list[Body] = []
        for body in bodies:
            if body.refused is not None:
                refused.append(ObjectFailed(href=body.href, message=body.refused))
            elif body.data is not None and not _is_icalendar(body.data):
                refused.append(ObjectFailed(href=body.href, message=_not_icalendar(body.data)))
                outcome.retry.append(body.href)
            else:
                texts.append(body)
        if not texts:
            return refused
        return [*refused, *await self.parser.parse(texts)]


def _is_icalendar(data: str | bytes) -> bool:
    """Whether calendar data is iCalendar at all (RFC 5545 §3.4: it begins with a VCALENDAR),
    however broken inside: what RFC 4791 §5.3.2 lets a server hold."""
    head = data[:64].decode("utf-8", "replace") if isinstance(data, bytes) else data[:64]
    return head.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCALENDAR")


def _not_icalendar(data: str | bytes) -> str:
    head = data[:60].decode("utf-8", "replace") if isinstance(data, bytes) else data[:60]
    return (
        f"the server sent, as this object's calendar data, something that is not iCalendar "
        f"(it begins with {head!r}): a fault of the server or of a proxy; it will be read "
        "again at the next sync"
    )


def _retried(
    previous: CalendarState, removed: Iterable[str], stale: Sequence[Member]
) -> list[Member]:
    """The objects to read again (`CalendarState.retry`) but those gone and those already due."""
    skip = {*removed, *(member.href for member in stale)}
    return [Member(href, None) for href in previous.retry if href not in skip]


def _without_retried(state: CalendarState, retry: Sequence[str]) -> CalendarState:
    """The state without the ETags of the objects to read again, which it lists instead."""
    if not retry:
        return state
    etags = {href: etag for href, etag in state.etags.items() if href not in retry}
    return state.model_copy(update={"etags": etags, "retry": tuple(retry)})


def _differs(member: Member, known: Mapping[str, str]) -> bool:
    return member.etag is None or known.get(member.href) != member.etag


def _refused_or_unsupported(failure: BaseException) -> bool:
    """A refused token, or a server that cannot do sync-collection after all (caldav raises
    a DAVError without a status when its compatibility hints rule the REPORT out)."""
    if not isinstance(failure, DAVError):
        return False
    return (
        is_token_refusal(failure) or failure.status in UNSUPPORTED_REPORT or failure.status is None
    )
