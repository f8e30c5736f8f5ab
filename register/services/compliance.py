"""The compliance report: figures per authority and per official, each authority under its own
policy and time zone. The staff compliance page, `register report` and the public pages (issue 6)
all call `compliance_report`, so a figure means the same everywhere; the definitions are in
`register.domain.compliance`."""

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from register.domain.authority import Authority
from register.domain.compliance import (
    ComplianceFigures,
    ComplianceReport,
    ComplianceTallies,
    Period,
    meeting_facts,
    published_facts,
)
from register.domain.official import Official
from register.store.repositories.authorities import list_authorities
from register.store.repositories.compliance import (
    counted_meeting_batches,
    published_meeting_rows,
)
from register.store.repositories.errors import NotFoundError
from register.store.repositories.officials import list_officials, officials_by_id

__all__ = ["ComplianceFigures", "ComplianceReport", "compliance_report"]


async def compliance_report(
    *,
    authority_ids: Sequence[UUID] | None = None,
    since: date | None = None,
    until: date | None = None,
    now: datetime,
) -> ComplianceReport:
    """The figures of the given authorities (all by default) for meetings starting between
    `since` and `until` (days included, in each authority's time zone), as they stand at `now`.

    Raises NotFoundError naming the ids of authorities that do not exist, and ValueError when
    `until` comes before `since` or `now` has no time zone.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    period = Period(since=since, until=until)
    authorities = await _authorities(authority_ids)
    authority_rows: list[ComplianceFigures] = []
    official_rows: list[ComplianceFigures] = []
    for authority in authorities:
        tallies = await _tally(authority, period, now)
        authority_rows.append(
            tallies.authority(authority.id).figures(
                kind="authority",
                group_id=authority.id,
                name=authority.name,
                authority_id=authority.id,
                authority_name=authority.name,
            )
        )
        officials = await _officials(authority, tallies)
        official_rows.extend(
            tallies.official(official.id).figures(
                kind="official",
                group_id=official.id,
                name=official.full_name,
                authority_id=authority.id,
                authority_name=authority.name,
            )
            for official in sorted(officials, key=lambda o: (o.full_name, str(o.id)))
        )
    return ComplianceReport(
        since=since, until=until, now=now, authorities=authority_rows, officials=official_rows
    )


async def _authorities(authority_ids: Sequence[UUID] | None) -> list[Authority]:
    """The authorities asked for, by name (then id, for two of the same name)."""
    every = await list_authorities()
    if authority_ids is None:
        chosen = every
    else:
        known = {authority.id for authority in every}
        unknown = [str(i) for i in dict.fromkeys(authority_ids) if i not in known]
        if unknown:
            raise NotFoundError(f"no authority {', '.join(unknown)}")
        wanted = set(authority_ids)
        chosen = [authority for authority in every if authority.id in wanted]
    return sorted(chosen, key=lambda a: (a.name, str(a.id)))


async def _tally(authority: Authority, period: Period, now: datetime) -> ComplianceTallies:
    """Stream the authority's meetings through its accumulators: those published as six
    columns each (their facts do not depend on `now` nor on their record), the others whole."""
    tallies = ComplianceTallies()
    starts_from, starts_before = period.bounds(authority.zone)
    async for rows in published_meeting_rows(
        [authority.id], starts_from=starts_from, starts_before=starts_before
    ):
        for row in rows:
            tallies.add(published_facts(**row._asdict(), policy=authority.policy))
    async for batch in counted_meeting_batches(
        [authority.id],
        starts_from=starts_from,
        starts_before=starts_before,
        unpublished_only=True,
    ):
        for meeting in batch:
            facts = meeting_facts(
                meeting, authority.policy, now=now, period=period, zone=authority.zone
            )
            if facts is not None:
                tallies.add(facts)
    return tallies


async def _officials(authority: Authority, tallies: ComplianceTallies) -> list[Official]:
    """The authority's officials, and any other official one of its meetings is filed under."""
    officials = await list_officials(authority.id)
    listed = {official.id for official in officials}
    strays = await officials_by_id(i for i in tallies.officials if i not in listed)
    return [*officials, *strays.values()]
