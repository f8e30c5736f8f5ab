"""The append-only publication log: appended under a lock, read in order, verified in batches."""

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from register.domain.kinds import LogAction
from register.domain.publication_log import ChainProblem, ChainVerifier, LogEntry, make_entry
from register.store.tables import PublicationEntry
from register.store.transaction import current_engine, is_sqlite

# Any constant works: it names the lock that serialises appends on PostgreSQL.
_APPEND_LOCK = 7_402_117


def _from_row(row: dict[str, Any]) -> LogEntry:
    return LogEntry(
        seq=row["seq"],
        meeting_id=row["meeting"],
        version=row["version"],
        action=LogAction(row["action"]),
        recorded_at=row["recorded_at"],
        body=row["body"],
        previous_hash=row["previous_hash"],
        hash=row["hash"],
    )


async def last_entry() -> LogEntry | None:
    row = await PublicationEntry.select().order_by(PublicationEntry.seq, ascending=False).first()
    return None if row is None else _from_row(row)


async def append_entry(
    *,
    meeting_id: UUID,
    version: int,
    action: LogAction,
    recorded_at: datetime,
    payload: Mapping[str, Any],
    actor_id: UUID | None = None,
) -> LogEntry:
    """Chain a new entry after the last one. Must run inside a write transaction
    (`register.store.transaction.writing`), which holds the log's lock until commit, so two
    publishers never chain onto the same entry."""
    if not is_sqlite():
        # SQLite's BEGIN IMMEDIATE already holds the database's write lock.
        await current_engine().run_ddl(f"SELECT pg_advisory_xact_lock({_APPEND_LOCK})")
    entry = make_entry(
        await last_entry(),
        meeting_id=meeting_id,
        version=version,
        action=action,
        recorded_at=recorded_at,
        payload=payload,
    )
    await PublicationEntry.insert(
        PublicationEntry(
            seq=entry.seq,
            meeting=meeting_id,
            version=entry.version,
            action=entry.action.value,
            recorded_at=entry.recorded_at,
            body=entry.body,
            previous_hash=entry.previous_hash,
            hash=entry.hash,
            actor=actor_id,
        )
    )
    return entry


async def iter_entries(*, after_seq: int = 0, batch: int = 1000) -> AsyncIterator[LogEntry]:
    """Every entry from `after_seq` on, in order, a batch at a time (flat memory)."""
    while True:
        rows = (
            await PublicationEntry.select()
            .where(PublicationEntry.seq > after_seq)
            .order_by(PublicationEntry.seq)
            .limit(batch)
        )
        for row in rows:
            yield _from_row(row)
        if len(rows) < batch:
            return
        after_seq = rows[-1]["seq"]


async def entries_for_meeting(meeting_id: UUID) -> list[LogEntry]:
    rows = (
        await PublicationEntry.select()
        .where(PublicationEntry.meeting == meeting_id)
        .order_by(PublicationEntry.seq)
    )
    return [_from_row(row) for row in rows]


async def verify_log(*, batch: int = 1000) -> tuple[int, list[ChainProblem]]:
    """How many entries were checked, and every break found in the chain."""
    verifier = ChainVerifier()
    problems: list[ChainProblem] = []
    async for entry in iter_entries(batch=batch):
        problems.extend(verifier.feed(entry))
    return verifier.checked, problems
