"""`/api/v1/statistics`: the figures of any search, from `register.statistics.search_figures`
(what the statistics and entity pages show, kept once for both, so that the API and the pages
agree)."""

from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter
from pydantic import BaseModel, ConfigDict, Field

from register.queries import MeetingFilter
from register.statistics import TOP_KEPT, SearchFigures, search_figures
from register.web.api.openapi import READ_HEADERS, responses
from register.web.api.schemas import BilingualText, MeetingAuthority, MeetingOfficial
from register.web.filters import meeting_filter


class _Figure(BaseModel):
    model_config = ConfigDict(frozen=True)


class MonthFigure(_Figure):
    month: str = Field(description="Year and month (YYYY-MM, Paris time).", examples=["2026-03"])
    meetings: int = Field(description="Meetings that month.", examples=[14])


class OrganisationFigure(_Figure):
    id: UUID = Field(description="The organisation's id.")
    name: str = Field(description="Name.", examples=["Fédération des bâtisseurs du Val"])
    hatvp_registered: bool = Field(description="Registered with the HATVP.")
    meetings: int = Field(description="Meetings naming it.", examples=[6])


class PolicyAreaFigure(_Figure):
    code: str = Field(description="The policy area's code.", examples=["urbanisme"])
    label: BilingualText = Field(description="Label in French and English.")
    meetings: int = Field(description="Meetings in this area.", examples=[9])


class OfficialFigure(_Figure):
    official: MeetingOfficial
    authority: MeetingAuthority
    meetings: int = Field(description="Meetings of the official's diary.", examples=[11])


class DelayBand(_Figure):
    band: str = Field(
        description="Days between the meeting and its first publication: 0-1, 1-7, 7-15, "
        "15-30 or 30+ (upper bound included).",
        examples=["1-7"],
    )
    meetings: int = Field(description="Meetings published within this band.", examples=[20])


class DelayFigure(_Figure):
    meetings: int = Field(description="Meetings measured.", examples=[57])
    median_days: float | None = Field(
        description="Median days from the meeting's end (or start) to its first publication.",
        examples=[4.5],
    )
    bands: list[DelayBand]


class Statistics(_Figure):
    """Figures of the published meetings that match a search, withdrawn ones aside (they stay
    public with their reason, but were withdrawn because they did not belong in the register)."""

    meetings: int = Field(description="Matching meetings.", examples=[57])
    organisations: int = Field(description="Distinct organisations they name.", examples=[31])
    officials: int = Field(description="Distinct officials whose diaries hold them.")
    hatvp_registered_meetings: int = Field(
        description="Matching meetings naming at least one organisation registered with HATVP."
    )
    per_month: list[MonthFigure] = Field(
        description="Every month from the first to the last matching meeting, empty months "
        "included, oldest first."
    )
    top_organisations: list[OrganisationFigure] = Field(description="Met most often first.")
    top_policy_areas: list[PolicyAreaFigure] = Field(description="Most meetings first.")
    top_officials: list[OfficialFigure] = Field(description="Most meetings first.")
    publication_delay: DelayFigure = Field(description="How soon meetings were published.")


class StatisticsController(Controller):
    path = "/statistics"
    tags = ("statistics",)

    @get(
        "/",
        summary="Figures of the published meetings that match a search",
        description="The same filters as `/meetings`: how many meetings match, per month "
        "(Paris time), the organisations, policy areas and officials met most often, and how "
        "soon meetings were published. Withdrawn meetings count in no figure.",
        dependencies={"filters": Provide(meeting_filter, sync_to_thread=False)},
        responses=responses(),
        response_headers=READ_HEADERS,
    )
    async def statistics(
        self,
        filters: NamedDependency[MeetingFilter],
        top: Annotated[
            int,
            QueryParameter(
                ge=1, le=TOP_KEPT, description="How many organisations, policy areas and officials."
            ),
        ] = 10,
    ) -> Statistics:
        return _statistics(await search_figures(filters), top)


def _statistics(figures: SearchFigures, top: int) -> Statistics:
    delays = figures.delays
    return Statistics.model_validate(
        {
            **figures.summary.model_dump(),
            "per_month": [m.model_dump() for m in figures.per_month],
            "top_organisations": [o.model_dump() for o in figures.organisations[:top]],
            "top_policy_areas": [a.model_dump() for a in figures.policy_areas[:top]],
            "top_officials": [o.model_dump() for o in figures.officials[:top]],
            "publication_delay": {
                "meetings": delays.meetings,
                "median_days": delays.median_days,
                "bands": [{"band": band, "meetings": n} for band, n in delays.bands],
            },
        }
    )
