"""The compliance figures the public pages show, computed once per state of the register and
then kept a few minutes: an authority's figures read every meeting it counts (tens of
thousands on a large register), and its official's and its own page, and the statistics page,
all show them.

The key holds the publication log's head and the authorities' meetings' count and latest
`updated_at`, so a publication or any change to a meeting shows at once; what changes with time
alone (a meeting falling due) shows within `KEPT_SECONDS`. Staff pages and `register report`
call `compliance_report` directly and are never cached."""

from datetime import UTC, date, datetime
from uuid import UUID

from register.domain.compliance import ComplianceReport
from register.per_version import KeptResults
from register.queries import MeetingFilter
from register.services.compliance import compliance_report
from register.store.repositories.compliance import meetings_stamp
from register.store.repositories.errors import NotFoundError

KEPT_SECONDS = 300.0
_kept: KeptResults[ComplianceReport] = KeptResults(max_age=KEPT_SECONDS)


async def public_compliance_report(
    *,
    authority_ids: list[UUID] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> ComplianceReport:
    """`compliance_report` at the present moment, as kept for the public pages. Raises what it
    raises (NotFoundError for an unknown authority)."""
    key = (
        await meetings_stamp(authority_ids),
        tuple(authority_ids) if authority_ids is not None else None,
        since,
        until,
    )
    return await _kept.per_version(
        key,
        lambda: compliance_report(
            authority_ids=authority_ids, since=since, until=until, now=datetime.now(UTC)
        ),
    )


async def compliance_of(filters: MeetingFilter) -> ComplianceReport | None:
    """The public compliance figures of the authority (all of them by default) and the period a
    search names; None for an authority the register does not know."""
    try:
        return await public_compliance_report(
            authority_ids=[filters.authority] if filters.authority else None,
            since=filters.since,
            until=filters.until,
        )
    except NotFoundError:
        return None
