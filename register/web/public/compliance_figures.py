"""The compliance figures the public pages show, computed once per state of the register and
then kept a few minutes: an authority's figures read every meeting it counts (tens of
thousands on a large register), and its official's and its own page, and the statistics page,
all show them.

The key holds the publication log's head and the authorities' meetings' count and latest
`updated_at`, so a publication or any change to a meeting shows at once; what changes with time
alone (a meeting falling due) shows within `KEPT_SECONDS`. Staff pages and `register report`
call `compliance_report` directly and are never cached."""

import asyncio
import time
from collections import OrderedDict
from datetime import UTC, date, datetime
from uuid import UUID

from register.domain.compliance import ComplianceReport
from register.queries import register_version
from register.services.compliance import compliance_report
from register.store.repositories.compliance import meetings_stamp

KEPT_SECONDS = 300.0
_CACHED = 64
_Key = tuple[str | None, int, tuple[int, str], tuple[UUID, ...] | None, date | None, date | None]
_cache: OrderedDict[_Key, tuple[float, ComplianceReport]] = OrderedDict()
_computing: dict[_Key, asyncio.Lock] = {}


async def public_compliance_report(
    *,
    authority_ids: list[UUID] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> ComplianceReport:
    """`compliance_report` at the present moment, as kept for the public pages. Raises what it
    raises (NotFoundError for an unknown authority)."""
    version = await register_version()
    key: _Key = (
        version.last_hash,
        version.last_seq,
        await meetings_stamp(authority_ids),
        tuple(authority_ids) if authority_ids is not None else None,
        since,
        until,
    )
    found = _fresh(key)
    if found is not None:
        return found
    lock = _computing.setdefault(key, asyncio.Lock())
    async with lock:
        found = _fresh(key)
        if found is None:
            found = await compliance_report(
                authority_ids=authority_ids, since=since, until=until, now=datetime.now(UTC)
            )
            _cache[key] = (time.monotonic(), found)
            while len(_cache) > _CACHED:
                _cache.popitem(last=False)
        _computing.pop(key, None)
        return found


def _fresh(key: _Key) -> ComplianceReport | None:
    kept = _cache.get(key)
    if kept is None or time.monotonic() - kept[0] > KEPT_SECONDS:
        return None
    _cache.move_to_end(key)
    return kept[1]
