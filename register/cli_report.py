"""`register report`: the compliance figures, per authority or per official, as a table or CSV.

The figures are those of the staff compliance page and the public pages (the same service,
`register.services.compliance`); their definitions are in `register.domain.compliance`.
"""

import csv
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from register.cli import _configure, _open_database, _run, cli, database_options
from register.domain.compliance import ComplianceFigures, ComplianceReport
from register.domain.kinds import LegalGround
from register.open_data import csv_cell

CSV_COLUMNS: tuple[str, ...] = (
    "kind",
    "id",
    "name",
    "authority",
    "interest_meetings",
    "due",
    "published",
    "on_time",
    "on_time_share",
    "median_delay_days",
    "complete_records",
    "complete_share",
    *(f"exemptions_{ground.value}" for ground in LegalGround),
)
"""Stable column names of the CSV output: scripts and spreadsheets rely on them."""


class UnknownAuthorityError(LookupError):
    """A slug given with --authority names no authority."""


def _csv_number(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def csv_row(figures: ComplianceFigures) -> list[str]:
    """One CSV line: shares as fractions (4 decimals), the delay in days (1 decimal), and an
    empty cell where a figure has no value (no denominator, nothing published)."""
    return [
        figures.kind,
        str(figures.id),
        csv_cell(figures.name),
        csv_cell(figures.authority_name),
        str(figures.interest_meetings),
        str(figures.due),
        str(figures.published),
        str(figures.on_time),
        _csv_number(figures.on_time_share, 4),
        _csv_number(figures.median_delay_days, 1),
        str(figures.complete_records),
        _csv_number(figures.complete_share, 4),
        *(str(figures.exemptions.get(ground, 0)) for ground in LegalGround),
    ]


def _write_csv(rows: Sequence[ComplianceFigures]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(figures) for figures in rows)


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f} %"


def _exemptions(figures: ComplianceFigures) -> str:
    counts = [f"{ground.value} {n}" for ground, n in figures.exemptions.items() if n]
    return ", ".join(counts) or "—"


def _title(report: ComplianceReport) -> str:
    period = " ".join(
        part
        for part in (
            f"from {report.since.isoformat()}" if report.since else "",
            f"to {report.until.isoformat()}" if report.until else "",
        )
        if part
    )
    meetings = f"meetings {period}" if period else "all meetings"
    return f"Compliance, {meetings} (as of {report.now:%Y-%m-%d %H:%M} UTC)"


def _print_table(report: ComplianceReport, by: str) -> None:
    from rich.console import Console
    from rich.table import Table

    rows = report.officials if by == "official" else report.authorities
    table = Table(title=_title(report))
    table.add_column(by)
    if by == "official":
        table.add_column("authority")
    for column in (
        "meetings",
        "due",
        "published",
        "on time",
        "on-time share",
        "median delay (days)",
        "complete",
        "complete share",
    ):
        table.add_column(column, justify="right")
    table.add_column("exemptions")
    for figures in rows:
        label = [figures.name, figures.authority_name] if by == "official" else [figures.name]
        median = figures.median_delay_days
        table.add_row(
            *label,
            str(figures.interest_meetings),
            str(figures.due),
            str(figures.published),
            str(figures.on_time),
            _percent(figures.on_time_share),
            "—" if median is None else f"{median:.1f}",
            str(figures.complete_records),
            _percent(figures.complete_share),
            _exemptions(figures),
        )
    Console(width=200).print(table)


@click.command()
@database_options
@click.option(
    "--authority",
    "authorities",
    multiple=True,
    metavar="SLUG",
    help="Only this authority (repeat for several; default: every authority).",
)
@click.option(
    "--by",
    type=click.Choice(["authority", "official"]),
    default="authority",
    show_default=True,
    help="One line per authority, or per official.",
)
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="First day of the period (YYYY-MM-DD, included; default: no limit).",
)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Last day of the period (YYYY-MM-DD, included; default: no limit).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv"]),
    default="table",
    show_default=True,
    help="A table for people, or CSV (with a header row) on standard output.",
)
def report(
    data_dir: Path | None,
    database_url: str | None,
    authorities: tuple[str, ...],
    by: str,
    since: datetime | None,
    until: datetime | None,
    output_format: str,
) -> None:
    """Compliance figures per authority or per official: meetings with interest
    representatives, share published on time, median publication delay, share with a complete
    collegiality record, exemptions by ground. Meetings count by the day they start, in their
    authority's time zone; exempted meetings count only under exemptions."""
    from register.services.compliance import compliance_report
    from register.store.repositories.authorities import get_authority_by_slug

    settings = _configure(data_dir, database_url)
    first: date | None = since.date() if since else None
    last: date | None = until.date() if until else None
    if first and last and last < first:
        raise click.UsageError("--until must not come before --since")

    async def load() -> Any:
        await _open_database(settings)
        ids = None
        if authorities:
            ids = []
            for slug in dict.fromkeys(authorities):
                authority = await get_authority_by_slug(slug)
                if authority is None:
                    raise UnknownAuthorityError(slug)
                ids.append(authority.id)
        return await compliance_report(
            authority_ids=ids, since=first, until=last, now=datetime.now(UTC)
        )

    try:
        result: ComplianceReport = _run(load())
    except UnknownAuthorityError as error:
        raise click.UsageError(
            f"no authority with the slug {error.args[0]!r}", ctx=click.get_current_context()
        ) from error
    if output_format == "csv":
        _write_csv(result.officials if by == "official" else result.authorities)
    else:
        _print_table(result, by)


cli.add_command(report)
