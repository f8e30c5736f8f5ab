"""The publication log and the public projection, as `register.services.publication` builds
them: the public record of the meeting as it stood (`public_record(...).payload()`), its
"publication" section, the chained entry, and the projection's row of the current version.

Payloads are built where meetings are drawn (in worker processes); only the chain, which
needs every entry in order, is built in one place (`Chain`).
"""

import heapq
from collections.abc import Iterator
from datetime import datetime
from itertools import count
from typing import Any, NamedTuple
from uuid import UUID

from bench.synthetic.plans import Plan
from register.domain.authority import Authority
from register.domain.kinds import LogAction
from register.domain.official import Official
from register.domain.public_record import public_record
from register.domain.publication_log import (
    GENESIS_HASH,
    LogEntry,
    canonical_json,
    entry_hash,
)
from register.domain.representative import InterestRepresentative


def payloads(
    plan: Plan,
    authorities: dict[UUID, Authority],
    officials: dict[UUID, Official],
    representatives: dict[UUID, InterestRepresentative],
) -> list[dict[str, Any]]:
    """The public payload of each of the plan's versions, as `_carry_out` builds it: the public
    record with its "publication" section; a withdrawal repeats the last payload."""
    found: list[dict[str, Any]] = []
    for index, version in enumerate(plan.versions):
        if version.meeting is None:
            if not found:
                raise ValueError("a withdrawal before any publication")
            payload = dict(found[-1])
        else:
            meeting = version.meeting
            payload = public_record(
                meeting, authorities[meeting.authority_id], officials, representatives
            ).payload()
        payload["publication"] = {
            "version": index + 1,
            "state": version.state.value,
            "reason": version.reason.strip() if version.reason else None,
            "legal_ground": version.legal_ground.value if version.legal_ground else None,
        }
        found.append(payload)
    return found


def provisional_entry(meeting_id: UUID, version: int, action: LogAction, at: datetime) -> LogEntry:
    """An entry whose place in the chain is not known yet: enough for
    `public_meeting_values`, whose `log_seq` the chain fills in later."""
    return LogEntry(
        seq=0,
        meeting_id=meeting_id,
        version=version,
        action=action,
        recorded_at=at,
        body="",
        previous_hash="",
        hash="",
    )


_PAYLOAD_MARK = '"payload":0'


def entry_body(seq: int, pending: "Pending") -> str:
    """What `make_entry` hashes, for a payload already in canonical JSON: the same
    `canonical_json` document (sorted keys, so the payload's place is fixed), without
    serialising the payload a second time."""
    envelope = canonical_json(
        {
            "seq": seq,
            "meeting_id": pending.meeting_id,
            "version": pending.version,
            "action": pending.action,
            "recorded_at": pending.recorded_at.isoformat(),
            "payload": 0,
        }
    )
    return envelope.replace(_PAYLOAD_MARK, f'"payload":{pending.payload_json}', 1)


class Pending(NamedTuple):
    """A version drawn but not chained yet: plain values, as batches of them cross processes."""

    meeting_id: str
    version: int
    action: str
    recorded_at: datetime
    payload_json: str
    public_row: list[Any] | None
    """The projection's row when this is the meeting's current version (its `log_seq` unset)."""
    organisations: list[list[Any]]


class Chain:
    """Chains versions in the order they were recorded.

    Versions wait in a heap until no meeting still to come can be recorded before them
    (`release`): memory holds the weeks between a meeting and its last version, never the
    whole register."""

    def __init__(self) -> None:
        self.seq = 0
        self.head = GENESIS_HASH
        self._waiting: list[tuple[datetime, int, Pending]] = []
        self._order = count()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def schedule(self, pending: Pending) -> None:
        heapq.heappush(self._waiting, (pending.recorded_at, next(self._order), pending))

    def release(self, before: datetime | None = None) -> Iterator[tuple[LogEntry, Pending]]:
        """Chain every waiting version recorded before `before` (all if None)."""
        waiting = self._waiting
        while waiting and (before is None or waiting[0][0] < before):
            pending = heapq.heappop(waiting)[2]
            self.seq += 1
            body = entry_body(self.seq, pending)
            digest = entry_hash(self.head, body)
            entry = LogEntry(
                seq=self.seq,
                meeting_id=UUID(pending.meeting_id),
                version=pending.version,
                action=LogAction(pending.action),
                recorded_at=pending.recorded_at,
                body=body,
                previous_hash=self.head,
                hash=digest,
            )
            self.head = digest
            yield entry, pending
