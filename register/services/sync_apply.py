"""Writing one sync's delta into the register, inside the sync's transaction: new occurrences
inserted, changed ones updated (calendar-owned fields only: what staff entered is never
overwritten), vanished ones cancelled, never deleted.

The objects come in batches as the connector reads them (`DeltaWriter.batch`), each written
before the next is taken, so that a first sync of a big calendar never holds all its meetings;
what is removed, and what the batches made vanish, is written at the end (`DeltaWriter.finish`),
once every object has been seen.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from connectors.delta import ObjectChanged, ObjectOutcome, Window
from connectors.remote_event import RemoteEvent
from register.domain.kinds import Decider, MeetingStatus
from register.domain.meeting import Meeting
from register.domain.source import ObjectFailure, SyncCounts
from register.services.calendar_events import fingerprint, meeting_from_event
from register.services.classification import Classifier
from register.store.ids import new_id
from register.store.repositories import calendar_sync
from register.store.repositories.calendar_sync import KnownOccurrence


@dataclass
class Tally:
    """What a run did, counted as it goes."""

    new: int = 0
    changed: int = 0
    cancelled: int = 0
    unchanged: int = 0
    failures: list[ObjectFailure] = field(default_factory=list)

    def counts(self) -> SyncCounts:
        return SyncCounts(
            new=self.new,
            changed=self.changed,
            cancelled=self.cancelled,
            unchanged=self.unchanged,
            failed=len(self.failures),
        )


@dataclass(frozen=True)
class SourceOwner:
    """The source being synced, and whose meetings its events become."""

    source_id: UUID
    official_id: UUID
    authority_id: UUID


class DeltaWriter:
    """Writes one delta inside the sync's transaction: new occurrences inserted, changed ones
    updated (calendar fields only), vanished ones cancelled."""

    def __init__(
        self,
        owner: SourceOwner,
        known: dict[tuple[str, str], KnownOccurrence],
        window: Window,
        now: datetime,
        tally: Tally,
        *,
        classifier: Classifier,
    ) -> None:
        self.owner, self.known, self.window, self.now, self.tally = owner, known, window, now, tally
        self.classifier = classifier
        self.by_href: dict[str, list[KnownOccurrence]] = defaultdict(list)
        for occurrence in known.values():
            self.by_href[occurrence.href].append(occurrence)
        self.inserts: list[tuple[Meeting, str, str]] = []
        self.seen: set[tuple[str, str]] = set()
        self.to_cancel: dict[UUID, None] = {}

    @classmethod
    async def start(
        cls,
        owner: SourceOwner,
        window: Window,
        now: datetime,
        tally: Tally,
        *,
        classifier: Classifier,
    ) -> "DeltaWriter":
        """A writer for `owner`'s source, from the occurrences the register holds for it."""
        known = await calendar_sync.known_occurrences(owner.source_id)
        return cls(owner, known, window, now, tally, classifier=classifier)

    async def batch(self, outcomes: Sequence[ObjectOutcome]) -> None:
        """Write a batch of objects read: new occurrences inserted at once (not kept for the
        end), failures counted."""
        for outcome in outcomes:
            if isinstance(outcome, ObjectChanged):
                await self.changed(outcome)
            else:
                failure = ObjectFailure(href=outcome.href, message=outcome.message)
                self.tally.failures.append(failure)
        await self._insert()

    async def _insert(self) -> None:
        inserts, self.inserts = self.inserts, []
        await calendar_sync.insert_synced(inserts)

    async def changed(self, change: ObjectChanged) -> None:
        for event in change.events:
            key = (event.key.uid, event.key.recurrence_id)
            if key in self.seen:
                self.tally.failures.append(
                    ObjectFailure(
                        href=change.href,
                        message=f"UID {event.key.uid!r} is also used by another object; "
                        "this copy was ignored",
                    )
                )
                continue
            self.seen.add(key)
            await self._occurrence(event, change.href)
        for occurrence in self.by_href.get(change.href, ()):
            # Occurrences outside the window were not expanded this time: not a deletion.
            if self.window.start <= occurrence.starts_at < self.window.end:
                self._vanished(occurrence)

    def removed(self, href: str) -> None:
        for occurrence in self.by_href.get(href, ()):
            self._vanished(occurrence)

    async def finish(self, removed: Sequence[str] = ()) -> None:
        """Once every object was seen: the `removed` objects' occurrences, and those that
        vanished from the objects read, cancelled; the untouched ones counted."""
        for href in removed:
            self.removed(href)
        await self._insert()
        await calendar_sync.cancel_occurrences(list(self.to_cancel), self.now)
        self.tally.cancelled += len(self.to_cancel)
        # Occurrences of objects the connector did not need to fetch are unchanged too.
        untouched = sum(
            1
            for key, occurrence in self.known.items()
            if key not in self.seen and occurrence.meeting_id not in self.to_cancel
        )
        self.tally.unchanged += untouched

    def _vanished(self, occurrence: KnownOccurrence) -> None:
        key = (occurrence.uid, occurrence.recurrence_id)
        if key not in self.seen and occurrence.status is not MeetingStatus.CANCELLED:
            self.to_cancel[occurrence.meeting_id] = None

    async def _occurrence(self, event: RemoteEvent, href: str) -> None:
        digest = fingerprint(event)
        existing = self.known.get((event.key.uid, event.key.recurrence_id))
        if existing is not None:
            # Vanished from an object read earlier, found in this one: moved, not cancelled.
            self.to_cancel.pop(existing.meeting_id, None)
        meeting = meeting_from_event(
            event,
            meeting_id=existing.meeting_id if existing else new_id(),
            authority_id=self.owner.authority_id,
            official_id=self.owner.official_id,
            source_id=self.owner.source_id,
        )
        if existing is None:
            verdict = self.classifier(meeting.calendar)
            self.inserts.append(
                (meeting.model_copy(update={"classification": verdict}), href, digest)
            )
            self.tally.new += 1
            return
        if existing.fingerprint == digest and existing.href == href:
            self.tally.unchanged += 1
            return
        # A rule's verdict follows the calendar; a staff decision sticks.
        await calendar_sync.update_from_calendar(
            existing.meeting_id,
            meeting,
            href=href,
            fingerprint=digest,
            now=self.now,
            reclassified=(
                self.classifier(meeting.calendar) if existing.decided_by is Decider.RULE else None
            ),
        )
        if (
            event.status is MeetingStatus.CANCELLED
            and existing.status is not MeetingStatus.CANCELLED
        ):
            self.tally.cancelled += 1
        else:
            self.tally.changed += 1
