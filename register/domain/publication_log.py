"""The publication log: append-only, each entry hashing the previous one.

Anyone holding a copy of the log can recompute every hash and so check that no published version
was silently rewritten or removed. An entry's hash is SHA-256 over the previous entry's hash, a
newline, and the entry's body in canonical JSON (RFC 8785-style: sorted keys, no spaces, UTF-8).
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from register.domain.kinds import LogAction
from register.domain.text import Message

GENESIS_HASH = "0" * 64
"""The `previous_hash` of the first entry."""


def canonical_json(document: Mapping[str, Any]) -> str:
    """One byte-exact text for a document, so that hashes can be recomputed by anyone."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(previous_hash: str, body: str) -> str:
    return hashlib.sha256(f"{previous_hash}\n{body}".encode()).hexdigest()


class LogEntry(BaseModel):
    """One published version of one meeting, as it stands in the chain."""

    model_config = ConfigDict(frozen=True)

    seq: int
    meeting_id: UUID
    version: int
    action: LogAction
    recorded_at: datetime
    body: str
    previous_hash: str
    hash: str


def make_entry(
    previous: LogEntry | None,
    *,
    meeting_id: UUID,
    version: int,
    action: LogAction,
    recorded_at: datetime,
    payload: Mapping[str, Any],
) -> LogEntry:
    """The entry that follows `previous` (None for the first) and records `payload`."""
    if recorded_at.tzinfo is None:
        raise ValueError("recorded_at must be timezone-aware")
    seq = 1 if previous is None else previous.seq + 1
    previous_hash = GENESIS_HASH if previous is None else previous.hash
    body = canonical_json(
        {
            "seq": seq,
            "meeting_id": str(meeting_id),
            "version": version,
            "action": action.value,
            "recorded_at": recorded_at.isoformat(),
            "payload": dict(payload),
        }
    )
    return LogEntry(
        seq=seq,
        meeting_id=meeting_id,
        version=version,
        action=action,
        recorded_at=recorded_at,
        body=body,
        previous_hash=previous_hash,
        hash=entry_hash(previous_hash, body),
    )


def entry_line(entry: LogEntry) -> str:
    """One line of the log's JSON Lines export, without its newline: the entry's columns and
    the exact `body` that was hashed, so that anyone can recompute the chain from the lines
    alone (`scripts/verify_log.py`). Pure ASCII (JSON escapes the rest), so that no reader's
    default encoding can change a body."""
    return json.dumps(
        {
            "seq": entry.seq,
            "meeting_id": str(entry.meeting_id),
            "version": entry.version,
            "action": entry.action.value,
            "recorded_at": entry.recorded_at.astimezone(UTC).isoformat(),
            "body": entry.body,
            "previous_hash": entry.previous_hash,
            "hash": entry.hash,
        },
        separators=(",", ":"),
    )


class ChainProblem(BaseModel):
    model_config = ConfigDict(frozen=True)

    seq: int
    message: Message


class ChainVerifier:
    """Checks entries one at a time, in order, so a log of any length is verified in flat memory."""

    def __init__(self) -> None:
        self.checked = 0
        self._expected_seq = 1
        self._expected_previous = GENESIS_HASH

    def feed(self, entry: LogEntry) -> list[ChainProblem]:
        """The breaks that `entry` shows: a gap in the sequence, a wrong link to the previous
        entry, or a body that does not match its hash or its columns."""
        problems: list[ChainProblem] = []
        if entry.seq != self._expected_seq:
            problems.append(
                ChainProblem(
                    seq=entry.seq,
                    message=Message(
                        fr=f"Entrée {self._expected_seq} attendue, entrée {entry.seq} trouvée.",
                        en=f"Expected entry {self._expected_seq}, found entry {entry.seq}.",
                    ),
                )
            )
        if entry.previous_hash != self._expected_previous:
            problems.append(
                ChainProblem(
                    seq=entry.seq,
                    message=Message(
                        fr="Le lien vers l'entrée précédente ne correspond pas.",
                        en="The link to the previous entry does not match.",
                    ),
                )
            )
        if entry_hash(entry.previous_hash, entry.body) != entry.hash:
            problems.append(
                ChainProblem(
                    seq=entry.seq,
                    message=Message(
                        fr="Le contenu de l'entrée ne correspond pas à son empreinte.",
                        en="The entry's content does not match its hash.",
                    ),
                )
            )
        elif not _body_matches(entry):
            problems.append(
                ChainProblem(
                    seq=entry.seq,
                    message=Message(
                        fr="Les colonnes de l'entrée ne correspondent pas à son contenu signé.",
                        en="The entry's columns do not match its hashed content.",
                    ),
                )
            )
        self.checked += 1
        self._expected_seq, self._expected_previous = entry.seq + 1, entry.hash
        return problems


def verify_chain(entries: Iterable[LogEntry]) -> list[ChainProblem]:
    """Every break in the chain formed by `entries`, which must start at the first entry."""
    verifier = ChainVerifier()
    return [problem for entry in entries for problem in verifier.feed(entry)]


def _body_matches(entry: LogEntry) -> bool:
    try:
        body = json.loads(entry.body)
    except ValueError:
        return False
    try:
        recorded_at = datetime.fromisoformat(body.get("recorded_at", ""))
    except (TypeError, ValueError):
        return False
    return bool(
        recorded_at == entry.recorded_at
        and body.get("seq") == entry.seq
        and body.get("meeting_id") == str(entry.meeting_id)
        and body.get("version") == entry.version
        and body.get("action") == entry.action.value
    )
