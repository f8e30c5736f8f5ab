"""Figures of the public register over any search: meetings per month, the organisations, policy
areas and officials met most, and how long publication took.

Every function takes a `MeetingFilter` and reads the public projection through the same filter
conditions as `register.queries`, so a figure and the list of meetings it summarises agree. A
withdrawn meeting stays public (with its reason) but counts in no figure: it was withdrawn
because it should not have been in the register.

The statistics page, the entity pages and the API all call these functions; who and what the
register names (officials, organisations, policy areas, with their counts) is in
`register.public_entities`, which counts meetings the same way.
"""

import json
import statistics
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from piccolo.query.functions.aggregate import Count, Max
from piccolo.query.mixins import OrderByRaw
from pydantic import BaseModel, ConfigDict

from register.domain.kinds import PublicationState
from register.domain.public_record import PublicAuthority, PublicOfficial
from register.domain.text import Message
from register.queries import REGISTER_ZONE, MeetingFilter, filter_conditions
from register.store.tables import PublicMeeting, PublicMeetingOrganisation

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


def _where_standing(query: Any, filters: MeetingFilter) -> Any:
    query = query.where(PublicMeeting.state != PublicationState.WITHDRAWN.value)
    for condition in filter_conditions(filters):
        query = query.where(condition)
    return query


def _aware(value: Any) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        raise TypeError(f"not a time: {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _months_between(first: str, last: str) -> list[str]:
    year, month = (int(part) for part in first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


async def meetings_per_month(filters: MeetingFilter) -> list[MonthCount]:
    """Meetings per calendar month of their start (Paris time), every month from the first to
    the last included, empty ones as zeros."""
    rows = await _where_standing(PublicMeeting.select(PublicMeeting.starts_at), filters)
    counts = Counter(
        _aware(row["starts_at"]).astimezone(REGISTER_ZONE).strftime("%Y-%m") for row in rows
    )
    if not counts:
        return []
    return [
        MonthCount(month=month, meetings=counts.get(month, 0))
        for month in _months_between(min(counts), max(counts))
    ]


async def register_figures(filters: MeetingFilter) -> RegisterFigures:
    standing = _standing(filters)
    organisations = (
        await PublicMeetingOrganisation.select(PublicMeetingOrganisation.organisation)
        .where(PublicMeetingOrganisation.meeting.is_in(standing))
        .distinct()
    )
    officials = await _where_standing(
        PublicMeeting.select(PublicMeeting.official).distinct(), filters
    )
    registered = await _where_standing(
        PublicMeeting.count().where(PublicMeeting.hatvp_registered.eq(True)), filters
    )
    return RegisterFigures(
        meetings=await _where_standing(PublicMeeting.count(), filters),
        organisations=len(organisations),
        officials=len(officials),
        hatvp_registered_meetings=registered,
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
        .where(PublicMeetingOrganisation.meeting.is_in(_standing(filters)))
        .group_by(
            PublicMeetingOrganisation.organisation,
            PublicMeetingOrganisation.name,
            PublicMeetingOrganisation.hatvp_registered,
        )
        .order_by(OrderByRaw("n"), ascending=False)
        .order_by(PublicMeetingOrganisation.name)
    )
    merged: dict[UUID, OrganisationCount] = {}
    for row in rows:  # one organisation may appear under two names if it was renamed
        known = merged.get(row["organisation"])
        merged[row["organisation"]] = OrganisationCount(
            id=row["organisation"],
            name=known.name if known else row["name"],
            hatvp_registered=known.hatvp_registered if known else row["hatvp_registered"],
            meetings=(known.meetings if known else 0) + row["n"],
        )
    ranked = sorted(merged.values(), key=lambda o: (-o.meetings, o.name.casefold(), str(o.id)))
    return ranked[:limit]


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


async def top_policy_areas(filters: MeetingFilter, *, limit: int = 10) -> list[PolicyAreaCount]:
    """The policy areas of most meetings, most first; meetings without one are not counted."""
    rows = await _where_standing(
        PublicMeeting.select(PublicMeeting.policy_area, Count(alias="n"))
        .where(PublicMeeting.policy_area.is_not_null())
        .group_by(PublicMeeting.policy_area),
        filters,
    )
    bodies = await _latest_bodies(PublicMeeting.policy_area, [row["policy_area"] for row in rows])
    found = []
    for row in rows:
        code = row["policy_area"]
        area = (bodies.get(code) or {}).get("policy_area") or {}
        label = Message.model_validate(area["label"]) if "label" in area else None
        found.append(
            PolicyAreaCount(code=code, label=label or Message(fr=code, en=code), meetings=row["n"])
        )
    found.sort(key=lambda a: (-a.meetings, a.label.fr.casefold()))
    return found[:limit]


async def meetings_per_official(filters: MeetingFilter, *, limit: int = 10) -> list[OfficialCount]:
    """The officials whose diaries hold the most matching meetings, most first."""
    rows = await _where_standing(
        PublicMeeting.select(PublicMeeting.official, Count(alias="n")).group_by(
            PublicMeeting.official
        ),
        filters,
    )
    bodies = await _latest_bodies(PublicMeeting.official, [row["official"] for row in rows])
    found = [
        OfficialCount(
            official=PublicOfficial.model_validate(bodies[row["official"]]["official"]),
            authority=PublicAuthority.model_validate(bodies[row["official"]]["authority"]),
            meetings=row["n"],
        )
        for row in rows
        if row["official"] in bodies
    ]
    found.sort(key=lambda o: (-o.meetings, o.official.name.casefold()))
    return found[:limit]


async def publication_delays(filters: MeetingFilter) -> DelayFigures:
    """The delay of first publication of matching meetings: median, and meetings per band."""
    rows = await _where_standing(
        PublicMeeting.select(
            PublicMeeting.starts_at, PublicMeeting.ends_at, PublicMeeting.first_published_at
        ),
        filters,
    )
    delays = [
        (
            _aware(row["first_published_at"]) - _aware(row["ends_at"] or row["starts_at"])
        ).total_seconds()
        / 86_400
        for row in rows
    ]
    bands = dict.fromkeys((key for key, _ in DELAY_BANDS), 0)
    for delay in delays:
        for key, bound in DELAY_BANDS:
            if bound is None or delay <= bound:
                bands[key] += 1
                break
    return DelayFigures(
        meetings=len(delays),
        median_days=statistics.median(delays) if delays else None,
        bands=list(bands.items()),
    )
