"""The statistics page (`/statistiques`): meetings per month, the organisations and policy areas
met most, publication delays and each official's compliance, as charts with their tables.

It takes the search's filters (`?authority=…&since=…&until=…`, and any other), so that the
figures of any search are one address away; compliance figures follow the authority and the
period (they count the meetings that should have been published, which no other filter sees).
"""

import asyncio
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from register.queries import MeetingFilter
from register.settings import Settings
from register.statistics import search_figures
from register.store.repositories.authorities import list_authorities
from register.web.i18n import both_paths
from register.web.public.compliance_figures import compliance_of
from register.web.public.context import base_url, feed_links, page, ui_for
from register.web.public.figures import (
    compliance_figure,
    delays_figure,
    months_figure,
    officials_figure,
    organisations_figure,
    policy_areas_figure,
)
from register.web.public.params import BadParametersError, parse_search
from register.web.public.search import active_filters, bad_parameters, search_choices

STATISTICS_PATH = "/statistiques"


class StatisticsPage(Controller):
    include_in_schema = False

    @get(both_paths(STATISTICS_PATH), name="statistics", cache=False)
    async def statistics(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings]
    ) -> Response[Any]:
        """The register's figures, for all meetings or those the parameters select."""
        ui = ui_for(request)
        try:
            search = parse_search(request.query_params.multi_items(), paging=False)
        except BadParametersError as error:
            return bad_parameters(request, error, STATISTICS_PATH)
        filters = search.filters
        # Three computations kept apart (each read in seconds on a large register the first
        # time): side by side, the database works on one while Python counts another.
        choices, report, figures = await asyncio.gather(
            search_choices(filters.organisation), compliance_of(filters), search_figures(filters)
        )
        officials = figures.officials
        whose = ui.t("toutes les rencontres") if filters.is_empty else ui.t("cette sélection")
        return page(
            "public/statistics.html",
            ui,
            {
                "section": "statistics",
                "search": search,
                "choices": choices,
                "active": active_filters(ui, search, choices, STATISTICS_PATH),
                "summary": figures.summary,
                "months": months_figure(ui, figures.per_month, "par-mois-graphique", whose),
                "organisations": organisations_figure(
                    ui, figures.organisations[:10], "organisations-graphique"
                ),
                "areas": policy_areas_figure(ui, figures.policy_areas[:10], "domaines-graphique"),
                "officials": officials_figure(ui, officials[:10], "responsables-graphique"),
                "delays": delays_figure(ui, figures.delays, "delais-graphique"),
                "compliance": compliance_figure(
                    ui,
                    report.officials if report else [],
                    "conformite-graphique",
                    linked={o.official.id for o in officials},
                ),
                "authorities": report.authorities if report else [],
                "slugs": {authority.id: authority.slug for authority in await list_authorities()},
                "feeds": feed_links(base_url(request, settings), filters),
                "search_url": ui.url("/rencontres", filters.params()),
            },
        )


async def warm_up() -> None:
    """Compute the whole register's figures that the statistics page shows, as a server starts:
    on a large register the first visitor would otherwise wait for them (tens of seconds for a
    million meetings). Kept per state of the register like every later computation."""
    everything = MeetingFilter()
    await asyncio.gather(
        search_choices(None), compliance_of(everything), search_figures(everything)
    )
