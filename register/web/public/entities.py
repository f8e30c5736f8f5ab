"""The pages of an official (`/responsables/{id}`), an organisation (`/organisations/{id}`) and
an authority (`/collectivites/{slug}`): their meetings, their figures over time, their feeds,
and for authorities and officials how well they keep the register."""

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from register.domain.compliance import ComplianceFigures
from register.public_entities import public_official, public_organisation
from register.queries import MeetingFilter, search_meetings
from register.settings import Settings
from register.statistics import SearchFigures, search_figures
from register.store.repositories.authorities import get_authority_by_slug
from register.web.i18n import Ui, both_paths
from register.web.public.compliance_figures import compliance_of
from register.web.public.context import (
    base_url,
    eu_register_url,
    feed_links,
    hatvp_url,
    not_found,
    page,
    ui_for,
)
from register.web.public.figures import (
    compliance_figure,
    months_figure,
    officials_figure,
    organisations_figure,
    policy_areas_figure,
)

LATEST = 20


def _parse(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


async def _meetings_context(
    request: Request[Any, Any, Any],
    settings: NamedDependency[Settings],
    ui: Ui,
    filters: MeetingFilter,
    *,
    figures: SearchFigures,
    whose: str,
) -> dict[str, Any]:
    """What every entity page shows of its meetings: the latest, per month, and the feeds."""
    latest = await search_meetings(filters, limit=LATEST)
    return {
        "latest": latest,
        "all_url": ui.url("/rencontres", filters.params()),
        "months": months_figure(ui, figures.per_month, "par-mois-graphique", whose),
        "areas": policy_areas_figure(ui, figures.policy_areas[:8], "domaines-graphique"),
        "feeds": feed_links(base_url(request, settings), filters),
    }


class EntityPages(Controller):
    include_in_schema = False

    @get(both_paths("/responsables/{official_id:str}"), name="official", cache=False)
    async def official(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        official_id: FromPath[str],
    ) -> Response[Any]:
        """An official's published meetings, figures and feeds."""
        ui = ui_for(request)
        key = _parse(official_id)
        entry = await public_official(key) if key else None
        if key is None or entry is None:
            return not_found(
                request,
                ui,
                ui.t("Aucune rencontre publiée n'est à l'agenda de « {id} ».", id=official_id[:60]),
            )
        filters = MeetingFilter(official=key)
        report = await compliance_of(MeetingFilter(authority=entry.authority.id))
        compliance: ComplianceFigures | None = (
            next((row for row in report.officials if row.id == key), None) if report else None
        )
        figures = await search_figures(filters)
        context = await _meetings_context(
            request, settings, ui, filters, figures=figures, whose=entry.name
        )
        context |= {
            "section": "search",
            "entry": entry,
            "compliance": compliance,
            "organisations": organisations_figure(
                ui, figures.organisations[:10], "organisations-graphique"
            ),
        }
        return page("public/official.html", ui, context)

    @get(both_paths("/organisations/{organisation_id:str}"), name="organisation", cache=False)
    async def organisation(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        organisation_id: FromPath[str],
    ) -> Response[Any]:
        """The published meetings with an organisation, who met it, and its register pages."""
        ui = ui_for(request)
        key = _parse(organisation_id)
        entry = await public_organisation(key) if key else None
        if key is None or entry is None:
            return not_found(
                request,
                ui,
                ui.t(
                    "Aucune rencontre publiée ne nomme l'organisation « {id} ».",
                    id=organisation_id[:60],
                ),
            )
        filters = MeetingFilter(organisation=key)
        figures = await search_figures(filters)
        context = await _meetings_context(
            request, settings, ui, filters, figures=figures, whose=entry.name
        )
        context |= {
            "section": "search",
            "entry": entry,
            "hatvp_url": hatvp_url(entry),
            "eu_url": eu_register_url(entry),
            "officials": officials_figure(ui, figures.officials[:10], "responsables-graphique"),
        }
        return page("public/organisation.html", ui, context)

    @get(both_paths("/collectivites/{slug:str}"), name="authority", cache=False)
    async def authority(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        slug: FromPath[str],
    ) -> Response[Any]:
        """An authority's compliance figures, exemptions by ground, and its meetings."""
        ui = ui_for(request)
        authority = await get_authority_by_slug(slug) if len(slug) <= 80 else None
        report = await compliance_of(MeetingFilter(authority=authority.id)) if authority else None
        if authority is None or report is None:
            return not_found(
                request, ui, ui.t("Aucune collectivité n'a l'adresse « {slug} ».", slug=slug[:60])
            )
        filters = MeetingFilter(authority=authority.id)
        figures = await search_figures(filters)
        context = await _meetings_context(
            request, settings, ui, filters, figures=figures, whose=authority.name
        )
        context |= {
            "section": "search",
            "authority": authority,
            "figures": report.authorities[0],
            "compliance": compliance_figure(
                ui,
                report.officials,
                "conformite-graphique",
                linked={o.official.id for o in figures.officials},
            ),
            "organisations": organisations_figure(
                ui, figures.organisations[:10], "organisations-graphique"
            ),
        }
        return page("public/authority.html", ui, context)
