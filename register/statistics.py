"""Figures of the public register over any search: meetings per month, the organisations, policy
areas and officials met most, and how long publication took.

Every function takes a `MeetingFilter` and reads the public projection through the same filter
conditions as `register.queries`, so a figure and the list of meetings it summarises agree. A
withdrawn meeting stays public (with its reason) but counts in no figure: it was withdrawn
because it should not have been in the register.

The statistics page, the entity pages and the API all read `search_figures`, every figure of a
search computed together in one read transaction and kept per state of the register
(`register.per_version`): the whole register's figures read every public meeting, tens of seconds
for a million. Who and what the register names (officials, organisations, policy areas, with
their counts) is in `register.public_entities`, which counts meetings the same way.
"""

import json
import statistics
from collections import Counter
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from piccolo.query.functions.aggregate import Count, Max
from piccolo.query.mixins import OrderByRaw
from piccolo.querystring import QueryString
from pydantic import BaseModel, ConfigDict

from register.domain.kinds import PublicationState
from register.domain.public_record import PublicAuthority, PublicOfficial
from register.domain.text import Message
from register.per_version import KeptResults
from register.queries import REGISTER_ZONE, MeetingFilter, filter_conditions
from register.store.tables import PublicMeeting, PublicMeetingOrganisation
from register.store.transaction import reading

DELAY_BANDS: tuple[tuple[str, float | None], ...] = (
    ("0-1", 1.0),
    ("1-7", 7.0),
    ("7-15", 15.0),
    ("15-30", 30.0),
    ("30+", None),
)
"""Bands of publication delay, in days after the meeting: (key, upper bound included)."""


class MonthCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    month: str  # "2026-04", in Paris time like the filters' days
    meetings: int


class OrganisationCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: UUID
    name: str
    hatvp_registered: bool
    meetings: int


class PolicyAreaCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    label: Message
    meetings: int


class OfficialCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    official: PublicOfficial
    authority: PublicAuthority
    meetings: int


class DelayFigures(BaseModel):
    """How long after the meeting (its end, or its start when it has none) the first version
    was published."""

    model_config = ConfigDict(frozen=True)

    meetings: int
    median_days: float | None
    bands: list[tuple[str, int]]


class RegisterFigures(BaseModel):
    """Headline figures of matching meetings, withdrawn ones aside."""

    model_config = ConfigDict(frozen=True)

    meetings: int
    organisations: int
    officials: int
    hatvp_registered_meetings: int


def _standing(filters: MeetingFilter) -> Any:
    """The ids of the matching meetings that are not withdrawn (a subquery)."""
    query = PublicMeeting.select(PublicMeeting.id).where(
        PublicMeeting.state != PublicationState.WITHDRAWN.value
    )
    for condition in filter_conditions(filters):
        query = query.where(condition)
    return query


def _of_standing(filters: MeetingFilter) -> Any:
    """The condition on `public_meeting_organisation` that its meeting matches and stands.

    Without filters, "not one of the few withdrawn meetings" rather than "one of the hundreds of
    thousands standing": the same rows, without building the set of every standing meeting.
    """
    if filters.is_empty:
        return PublicMeetingOrganisation.meeting.not_in(
            PublicMeeting.select(PublicMeeting.id).where(
                PublicMeeting.state == PublicationState.WITHDRAWN.value
            )
        )
    return PublicMeetingOrganisation.meeting.is_in(_standing(filters))


def _where_standing(query: Any, filters: MeetingFilter) -> Any:
    query = query.where(PublicMeeting.state != PublicationState.WITHDRAWN.value)
    for condition in filter_conditions(filters):
        query = query.where(condition)
    return query


def _where_matching(query: Any, filters: MeetingFilter, *, withdrawn: bool = False) -> Any:
    """`query` over the matching meetings (withdrawn ones included), or over the withdrawn
    ones only: figures are counted as "all matches minus the withdrawn", because an index on
    the filter's column and the date answers the first without reading the table, and the
    withdrawn are few."""
    if withdrawn:
        query = query.where(PublicMeeting.state == PublicationState.WITHDRAWN.value)
    for condition in filter_conditions(filters):
        query = query.where(condition)
    return query


def _on_postgres() -> bool:
    return str(PublicMeeting._meta.db.engine_type) == "postgres"


def _month_key() -> QueryString:
    """A meeting's month in Paris, or on SQLite (which knows no time zones) its UTC month, or
    its UTC hour from 22:00 on: Paris is one or two hours ahead of UTC, so only those hours
    can fall in the next Paris day (and month). A few hundred groups, not a row per meeting."""
    if _on_postgres():
        return QueryString("to_char(starts_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM')")
    return QueryString(
        "CASE WHEN substr(starts_at, 12, 2) >= '22' THEN substr(starts_at, 1, 13) "
        "ELSE substr(starts_at, 1, 7) END"
    )


@lru_cache(maxsize=4096)
def _paris_month(key: str) -> str:
    """The Paris month of a `_month_key`: a month as it is, an UTC hour converted (Paris is a
    whole number of hours off UTC, so every instant of an hour falls in the same month)."""
    if len(key) == 7:
        return key
    moment = datetime(int(key[:4]), int(key[5:7]), int(key[8:10]), int(key[11:13]), tzinfo=UTC)
    return moment.astimezone(REGISTER_ZONE).strftime("%Y-%m")


async def _per_month(filters: MeetingFilter, *, withdrawn: bool) -> Counter[str]:
    rows = await _where_matching(
        PublicMeeting.select(_month_key().as_alias("month"), Count(alias="n")).group_by(
            QueryString("month")
        ),
        filters,
        withdrawn=withdrawn,
    )
    counts: Counter[str] = Counter()
    for row in rows:
        counts[_paris_month(row["month"])] += row["n"]
    return counts


def _months_between(first: str, last: str) -> list[str]:
    year, month = (int(part) for part in first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


async def meetings_per_month(filters: MeetingFilter) -> list[MonthCount]:
    """Meetings per calendar month of their start (Paris time), every month from the first to
    the last included, empty ones as zeros.

    Counted by the database (`_month_key`), all matches minus the withdrawn."""
    counts = await _per_month(filters, withdrawn=False)
    counts.subtract(await _per_month(filters, withdrawn=True))
    counts = +counts
    if not counts:
        return []
    return [
        MonthCount(month=month, meetings=counts.get(month, 0))
        for month in _months_between(min(counts), max(counts))
    ]


async def register_figures(filters: MeetingFilter) -> RegisterFigures:
    organisations = await PublicMeetingOrganisation.select(
        QueryString("COUNT(DISTINCT organisation)").as_alias("n")
    ).where(_of_standing(filters))
    figures = await _where_standing(
        PublicMeeting.select(
            Count(alias="meetings"),
            QueryString("COUNT(DISTINCT official)").as_alias("officials"),
            QueryString("SUM(CASE WHEN hatvp_registered THEN 1 ELSE 0 END)").as_alias("registered"),
        ),
        filters,
    )
    return RegisterFigures(
        meetings=figures[0]["meetings"],
        organisations=organisations[0]["n"],
        officials=figures[0]["officials"],
        hatvp_registered_meetings=figures[0]["registered"] or 0,
    )


async def top_organisations(filters: MeetingFilter, *, limit: int = 10) -> list[OrganisationCount]:
    """The organisations met most often, most first (then by name)."""
    rows = (
        await PublicMeetingOrganisation.select(
            PublicMeetingOrganisation.organisation,
            PublicMeetingOrganisation.name,
            PublicMeetingOrganisation.hatvp_registered,
            Count(alias="n"),
        )
        .where(_of_standing(filters))
        .group_by(
            PublicMeetingOrganisation.organisation,
            PublicMeetingOrganisation.name,
            PublicMeetingOrganisation.hatvp_registered,
        )
        .order_by(OrderByRaw("n"), ascending=False)
        .order_by(PublicMeetingOrganisation.name)
    )
    merged: dict[UUID, dict[str, Any]] = {}
    for row in rows:  # one organisation may appear under two names if it was renamed
        known = merged.get(row["organisation"])
        if known is None:
            merged[row["organisation"]] = {**row}
        else:
            known["n"] += row["n"]
    ranked = sorted(
        merged.values(), key=lambda o: (-o["n"], o["name"].casefold(), str(o["organisation"]))
    )
    return [
        OrganisationCount(
            id=row["organisation"],
            name=row["name"],
            hatvp_registered=row["hatvp_registered"],
            meetings=row["n"],
        )
        for row in ranked[:limit]
    ]


async def _latest_bodies(column: Any, keys: list[Any]) -> dict[Any, dict[str, Any]]:
    """The public payload of the most recently published meeting for each value of `column`."""
    if not keys:
        return {}
    latest = (
        await PublicMeeting.select(column, Max(PublicMeeting.log_seq, alias="seq"))
        .where(column.is_in(keys))
        .group_by(column)
    )
    seqs = [row["seq"] for row in latest]
    rows = await PublicMeeting.select(column, PublicMeeting.body).where(
        PublicMeeting.log_seq.is_in(seqs)
    )
    return {row[column._meta.name]: json.loads(row["body"]) for row in rows}


async def _standing_groups(column: Any, filters: MeetingFilter, *conditions: Any) -> dict[Any, int]:
    """Matching meetings that stand, per value of `column`: all matches minus the withdrawn."""
    name = column._meta.name
    counts: Counter[Any] = Counter()
    for withdrawn, sign in ((False, 1), (True, -1)):
        query = PublicMeeting.select(column, Count(alias="n")).group_by(column)
        for condition in conditions:
            query = query.where(condition)
        for row in await _where_matching(query, filters, withdrawn=withdrawn):
            counts[row[name]] += sign * row["n"]
    return {key: n for key, n in counts.items() if n > 0}


async def top_policy_areas(filters: MeetingFilter, *, limit: int = 10) -> list[PolicyAreaCount]:
    """The policy areas of most meetings, most first; meetings without one are not counted."""
    counts = await _standing_groups(
        PublicMeeting.policy_area, filters, PublicMeeting.policy_area.is_not_null()
    )
    bodies = await _latest_bodies(PublicMeeting.policy_area, list(counts))
    found = []
    for code, n in counts.items():
        area = (bodies.get(code) or {}).get("policy_area") or {}
        label = Message.model_validate(area["label"]) if "label" in area else None
        found.append(
            PolicyAreaCount(code=code, label=label or Message(fr=code, en=code), meetings=n)
        )
    found.sort(key=lambda a: (-a.meetings, a.label.fr.casefold()))
    return found[:limit]


async def meetings_per_official(filters: MeetingFilter, *, limit: int = 10) -> list[OfficialCount]:
    """The officials whose diaries hold the most matching meetings, most first."""
    counts = await _standing_groups(PublicMeeting.official, filters)
    if len(counts) > limit:  # only those that can be in the top (ties by name included)
        least = sorted(counts.values(), reverse=True)[limit - 1]
        counts = {official: n for official, n in counts.items() if n >= least}
    bodies = await _latest_bodies(PublicMeeting.official, list(counts))
    found = [
        OfficialCount(
            official=PublicOfficial.model_validate(bodies[official]["official"]),
            authority=PublicAuthority.model_validate(bodies[official]["authority"]),
            meetings=n,
        )
        for official, n in counts.items()
        if official in bodies
    ]
    found.sort(key=lambda o: (-o.meetings, o.official.name.casefold()))
    return found[:limit]


def _delay_ms() -> str:
    """Milliseconds from a meeting's end (or start) to its first publication, in SQL."""
    if _on_postgres():
        return (
            "ROUND(EXTRACT(EPOCH FROM (first_published_at - COALESCE(ends_at, starts_at))) * 1000)"
        )
    return (
        "ROUND((julianday(first_published_at) - julianday(COALESCE(ends_at, starts_at)))"
        " * 86400000)"
    )


async def publication_delays(filters: MeetingFilter) -> DelayFigures:
    """The delay of first publication of matching meetings: median, and meetings per band.

    Counted by the database: one pass for the bands, one sort for the median (the middle one
    or two delays), rather than every meeting's times read into Python."""
    delay = _delay_ms()
    day = 86_400_000
    lower: float | None = None
    columns = []
    for key, bound in DELAY_BANDS:
        above = "" if lower is None else f"{delay} > {int(lower * day)}"
        below = "" if bound is None else f"{delay} <= {int(bound * day)}"
        test = " AND ".join(part for part in (above, below) if part) or "1 = 1"
        columns.append(QueryString(f"SUM(CASE WHEN {test} THEN 1 ELSE 0 END)").as_alias(key))
        lower = bound
    counts = (await _where_standing(PublicMeeting.select(*columns), filters))[0]
    bands = [(key, int(counts[key] or 0)) for key, _ in DELAY_BANDS]
    total = sum(n for _, n in bands)
    if not total:
        return DelayFigures(meetings=0, median_days=None, bands=bands)
    middle = await _where_standing(
        PublicMeeting.select(QueryString(delay).as_alias("delay"))
        .order_by(OrderByRaw("delay"))
        .offset((total - 1) // 2)
        .limit(1 if total % 2 else 2),
        filters,
    )
    values = [float(row["delay"]) / day for row in middle]
    return DelayFigures(meetings=total, median_days=statistics.median(values), bands=bands)


TOP_KEPT = 50
"""Organisations and policy areas kept per search: the most the API serves."""
OFFICIALS_KEPT = 1000
"""Officials kept per search: enough for an authority's page to link each of its officials."""


class SearchFigures(BaseModel):
    """Every figure of one search: what the statistics page, the entity pages and the API show,
    each taking the first few of the lists."""

    model_config = ConfigDict(frozen=True)

    summary: RegisterFigures
    per_month: list[MonthCount]
    organisations: list[OrganisationCount]
    policy_areas: list[PolicyAreaCount]
    officials: list[OfficialCount]
    delays: DelayFigures


_kept: KeptResults[SearchFigures] = KeptResults()


async def search_figures(filters: MeetingFilter) -> SearchFigures:
    """The figures of the meetings `filters` selects, as of the register's current state (or,
    while a slow whole-register computation runs after a publication, the previous state)."""
    return await _kept.per_version(filters.model_dump_json(), lambda: _figures(filters))


async def _figures(filters: MeetingFilter) -> SearchFigures:
    async with reading():
        return SearchFigures(
            summary=await register_figures(filters),
            per_month=await meetings_per_month(filters),
            organisations=await top_organisations(filters, limit=TOP_KEPT),
            policy_areas=await top_policy_areas(filters, limit=TOP_KEPT),
            officials=await meetings_per_official(filters, limit=OFFICIALS_KEPT),
            delays=await publication_delays(filters),
        )
