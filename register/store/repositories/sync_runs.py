"""The record of each sync run, which staff read to see what a sync did and what failed."""

from datetime import datetime
from typing import Any
from uuid import UUID

from register.domain.kinds import SyncRunStatus
from register.domain.source import ObjectFailure, SyncCounts, SyncRun
from register.store.tables import SyncRun as SyncRunRow


def _from_row(row: dict[str, Any]) -> SyncRun:
    return SyncRun(
        source_id=row["source"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        status=SyncRunStatus(row["status"]),
        counts=SyncCounts(
            new=row["new_count"],
            changed=row["changed_count"],
            cancelled=row["cancelled_count"],
            unchanged=row["unchanged_count"],
            failed=row["failed_count"],
        ),
        failures=tuple(ObjectFailure.model_validate(f) for f in row["failures"] or ()),
        error=row["error"],
        worker=row["worker"],
    )


async def record_run(run: SyncRun) -> int:
    """Store a run and return its number, by which `finish_run` updates it."""
    rows = await SyncRunRow.insert(
        SyncRunRow(
            source=run.source_id,
            started_at=run.started_at,
            finished_at=run.finished_at,
            status=run.status.value,
            new_count=run.counts.new,
            changed_count=run.counts.changed,
            cancelled_count=run.counts.cancelled,
            unchanged_count=run.counts.unchanged,
            failed_count=run.counts.failed,
            failures=[f.model_dump(mode="json") for f in run.failures],
            error=run.error,
            worker=run.worker,
        )
    ).returning(SyncRunRow._meta.primary_key)
    return int(rows[0]["id"])


async def finish_run(run_number: int, run: SyncRun, *, unless_finished: bool = False) -> None:
    """Record how a run ended; with `unless_finished`, only if it is still running (an
    interruption noticed after the run's outcome was committed changes nothing)."""
    query = SyncRunRow.update(
        {
            SyncRunRow.finished_at: run.finished_at,
            SyncRunRow.status: run.status.value,
            SyncRunRow.new_count: run.counts.new,
            SyncRunRow.changed_count: run.counts.changed,
            SyncRunRow.cancelled_count: run.counts.cancelled,
            SyncRunRow.unchanged_count: run.counts.unchanged,
            SyncRunRow.failed_count: run.counts.failed,
            SyncRunRow.failures: [f.model_dump(mode="json") for f in run.failures],
            SyncRunRow.error: run.error,
        }
    ).where(SyncRunRow._meta.primary_key == run_number)
    if unless_finished:
        query = query.where(SyncRunRow.status == SyncRunStatus.RUNNING.value)
    await query


async def runs_for_source(source_id: UUID, *, limit: int = 20) -> list[SyncRun]:
    rows = (
        await SyncRunRow.select()
        .where(SyncRunRow.source == source_id)
        .order_by(SyncRunRow._meta.primary_key, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    return [_from_row(row) for row in rows]


async def abandon_unfinished(source_id: UUID, now: datetime, reason: str) -> int:
    """Close the runs of a source left `running` by a worker that stopped without finishing
    them (killed, its machine lost): they become failed with `reason`. Only the worker that
    holds the source's lease calls this, so none of these runs can still store its outcome
    (one that is merely late finds its lease gone and records its own failure); returns how
    many it closed."""
    closed = (
        await SyncRunRow.update(
            {
                SyncRunRow.finished_at: now,
                SyncRunRow.status: SyncRunStatus.FAILED.value,
                SyncRunRow.error: reason,
            }
        )
        .where(
            SyncRunRow.source == source_id,
            SyncRunRow.status == SyncRunStatus.RUNNING.value,
        )
        .returning(SyncRunRow._meta.primary_key)
    )
    return len(closed)
