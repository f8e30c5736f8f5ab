"""The retention policy: private data of meetings never published is kept only so long.

A calendar brings personal data the register needs only to decide what to publish: attendees'
names and e-mail addresses, the event's own text, and the draft record staff build from them.
Once a meeting that was never published is older than its authority's retention period (by
default `REGISTER_RETENTION_DAYS`), that data is purged (`register.store.repositories.retention`
says what goes and what stays). Published records and the publication log are never touched:
publishing them is the register's purpose, and the log is append-only.

Run by every process that runs the scheduled sync, once an hour, and by `register purge`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

import structlog

from register.settings import Settings
from register.store.repositories import retention

ACTOR = "retention-policy"
BATCH = 500
PURGE_EVERY = timedelta(hours=1)

_log = structlog.get_logger("register.retention")


@dataclass(frozen=True)
class AuthorityPurge:
    """What the policy did (or, in a dry run, would do) for one authority."""

    authority: str
    days: int
    """0: the authority keeps everything."""
    before: datetime | None
    meetings: int


def period(days: int | None, settings: Settings) -> int:
    """An authority's period in days: its own, or the register's default."""
    return settings.retention_days if days is None else days


async def purge_expired(
    settings: Settings, *, now: datetime, dry_run: bool = False
) -> list[AuthorityPurge]:
    """Purge, for every authority, the meetings past its period; in a dry run only count them."""
    results = []
    for authority in await retention.authority_retention():
        days = period(authority.retention_days, settings)
        if days == 0:
            results.append(AuthorityPurge(authority.slug, 0, None, 0))
            continue
        before = now - timedelta(days=days)
        if dry_run:
            count = await retention.count_expired(authority.id, before)
        else:
            count = await _purge_authority(authority.id, before, now=now, days=days)
        results.append(AuthorityPurge(authority.slug, days, before, count))
    purged = sum(result.meetings for result in results)
    if purged and not dry_run:
        _log.info("retention policy applied", meetings=purged)
    return results


async def _purge_authority(
    authority_id: UUID, before: datetime, *, now: datetime, days: int
) -> int:
    changes = {"retention_days": days, "dated_before": before.isoformat()}
    count = 0
    while ids := await retention.expired_meetings(authority_id, before, limit=BATCH):
        await retention.purge_meetings(ids, now=now, changes=changes, actor=ACTOR)
        count += len(ids)
    return count
