"""The register's figures as charts and tables in the reader's language: each chart comes with
the rows of the table that the page shows beside it, so the picture and the numbers agree."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from uuid import UUID

from markupsafe import Markup

from register.domain.compliance import ComplianceFigures
from register.statistics import (
    DelayFigures,
    MonthCount,
    OfficialCount,
    OrganisationCount,
    PolicyAreaCount,
)
from register.web.charts import Bar, bar_chart
from register.web.i18n import Ui

DELAY_BAND_LABELS = {
    "0-1": "Un jour au plus",
    "1-7": "De 1 à 7 jours",
    "7-15": "De 7 à 15 jours",
    "15-30": "De 15 à 30 jours",
    "30+": "Plus de 30 jours",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart, the heading of its table's columns, and the table's rows (first cell: what is
    counted; a cell is text, or a (text, address) pair for a link)."""

    chart: Markup
    columns: tuple[str, ...]
    rows: list[tuple[object, ...]]


def months_figure(ui: Ui, months: Sequence[MonthCount], chart_id: str, whose: str) -> Figure:
    total = sum(month.meetings for month in months)
    chart = bar_chart(
        [Bar(ui.short_month(m.month), m.meetings, ui.number(m.meetings)) for m in months],
        chart_id=chart_id,
        title=ui.t("Rencontres par mois — {whose}", whose=whose),
        description=ui.t(
            "Diagramme en barres : {total} rencontres publiées de {first} à {last}, une barre "
            "par mois.",
            total=ui.number(total),
            first=ui.month(months[0].month) if months else "",
            last=ui.month(months[-1].month) if months else "",
        ),
    )
    return Figure(
        chart,
        (ui.t("Mois"), ui.t("Rencontres")),
        [(ui.month(m.month), ui.number(m.meetings)) for m in months],
    )


def organisations_figure(
    ui: Ui, organisations: Sequence[OrganisationCount], chart_id: str
) -> Figure:
    chart = bar_chart(
        [Bar(o.name, o.meetings, ui.number(o.meetings)) for o in organisations],
        chart_id=chart_id,
        title=ui.t("Organisations les plus rencontrées"),
        description=ui.t(
            "Diagramme en barres : les {n} organisations rencontrées le plus souvent, de la "
            "plus rencontrée à la moins rencontrée.",
            n=len(organisations),
        ),
        labels="above",
    )
    return Figure(
        chart,
        (ui.t("Organisation"), ui.t("Rencontres")),
        [
            ((o.name, ui.url(f"/organisations/{o.id}")), ui.number(o.meetings))
            for o in organisations
        ],
    )


def policy_areas_figure(ui: Ui, areas: Sequence[PolicyAreaCount], chart_id: str) -> Figure:
    chart = bar_chart(
        [Bar(ui.message(a.label), a.meetings, ui.number(a.meetings)) for a in areas],
        chart_id=chart_id,
        title=ui.t("Domaines les plus fréquents"),
        description=ui.t(
            "Diagramme en barres : les {n} domaines d'action publique des rencontres, du plus "
            "fréquent au moins fréquent.",
            n=len(areas),
        ),
        labels="above",
    )
    return Figure(
        chart,
        (ui.t("Domaine"), ui.t("Rencontres")),
        [
            (
                (ui.message(a.label), ui.url("/rencontres", {"policy_area": a.code})),
                ui.number(a.meetings),
            )
            for a in areas
        ],
    )


def officials_figure(ui: Ui, officials: Sequence[OfficialCount], chart_id: str) -> Figure:
    chart = bar_chart(
        [Bar(o.official.name, o.meetings, ui.number(o.meetings)) for o in officials],
        chart_id=chart_id,
        title=ui.t("Rencontres par responsable public"),
        description=ui.t(
            "Diagramme en barres : les {n} responsables publics dont l'agenda compte le plus de "
            "rencontres publiées.",
            n=len(officials),
        ),
        labels="above",
    )
    return Figure(
        chart,
        (ui.t("Responsable public"), ui.t("Rencontres")),
        [
            ((o.official.name, ui.url(f"/responsables/{o.official.id}")), ui.number(o.meetings))
            for o in officials
        ],
    )


def delays_figure(ui: Ui, delays: DelayFigures, chart_id: str) -> Figure:
    chart = bar_chart(
        [Bar(ui.t(DELAY_BAND_LABELS[key]), count, ui.number(count)) for key, count in delays.bands],
        chart_id=chart_id,
        title=ui.t("Délai de publication"),
        description=ui.t(
            "Diagramme en barres : les rencontres selon le temps écoulé entre la fin de la "
            "rencontre et sa première publication ; délai médian : {median}.",
            median=ui.days(delays.median_days),
        ),
        labels="above",
    )
    return Figure(
        chart,
        (ui.t("Délai"), ui.t("Rencontres")),
        [(ui.t(DELAY_BAND_LABELS[key]), ui.number(count)) for key, count in delays.bands],
    )


def compliance_figure(
    ui: Ui,
    officials: Sequence[ComplianceFigures],
    chart_id: str,
    linked: Collection[UUID] = (),
) -> Figure:
    """The share of each official's due meetings published on time (officials with none due
    are in the table, not in the chart); the names of `linked` officials link to their page."""
    due = [o for o in officials if o.on_time_share is not None]
    chart = bar_chart(
        [Bar(o.name, o.on_time_share or 0.0, ui.percent(o.on_time_share)) for o in due],
        chart_id=chart_id,
        title=ui.t("Publication dans le délai, par responsable public"),
        description=ui.t(
            "Diagramme en barres : pour chaque responsable public, la part de ses rencontres "
            "avec des représentants d'intérêts publiées dans le délai fixé par la collectivité, "
            "de 0 à 100 %."
        ),
        labels="above",
        maximum=1.0,
    )
    rows: list[tuple[object, ...]] = [
        (
            (o.name, ui.url(f"/responsables/{o.id}")) if o.id in linked else o.name,
            ui.number(o.interest_meetings),
            ui.number(o.published),
            ui.percent(o.on_time_share),
            ui.days(o.median_delay_days),
            ui.percent(o.complete_share),
            ui.number(sum(o.exemptions.values())),
        )
        for o in officials
    ]
    return Figure(
        chart,
        (
            ui.t("Responsable public"),
            ui.t("Rencontres"),
            ui.t("Publiées"),
            ui.t("Dans le délai"),
            ui.t("Délai médian"),
            ui.t("Fiches complètes"),
            ui.t("Non publiées (motif légal)"),
        ),
        rows,
    )
