"""`register import …` and `register directory …`: filling the directory of interest
representatives from the registers, and letting staff find and merge its duplicates.

An import prints its progress on standard error and a summary on standard output; records it
had to skip do not make it fail (exit status 0, each one listed with its position), a file that
cannot be read (or not to its end) does (status 1). After an import that changed the directory,
and after a merge, unpublished meetings are classified again (issue 4), as staff rules do.
"""

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import click

from register.cli import _configure, _fail, _open_database, _run, cli, database_options

Importer = Callable[..., Awaitable[Any]]

progress_option = click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on standard error (default: when it is a terminal).",
)
file_argument = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))


@click.group("import")
def import_group() -> None:
    """Import registers of interest representatives into the directory. Safe to run again:
    organisations are matched by identifier (then by name), updated, never duplicated."""


def _print_summary(summary: Any, path: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    click.echo(f"{summary.source}: {path}")
    table = Table(show_header=False)
    table.add_column("", justify="left")
    table.add_column("", justify="right")
    for label in ("read", "created", "updated", "unchanged"):
        table.add_row(label, str(getattr(summary, label)))
    table.add_row("skipped", str(summary.skipped_count))
    table.add_row("warnings", str(summary.warning_count))
    Console(width=200).print(table)
    for title, problems, count in (
        ("Skipped", summary.skipped, summary.skipped_count),
        ("Warnings", summary.warnings, summary.warning_count),
    ):
        if problems:
            click.echo(f"{title}:")
            for problem in problems:
                click.echo(f"  {problem}")
            if count > len(problems):
                click.echo(f"  … and {count - len(problems)} more")


def _import(
    data_dir: Path | None,
    database_url: str | None,
    path: Path,
    progress: bool | None,
    importer: Importer,
    description: str,
) -> None:
    from rich.console import Console

    from register.services.classification import reclassify_unpublished
    from register.services.imports.progress import progress_bar

    settings = _configure(data_dir, database_url)
    if not path.is_file():
        _fail(f"cannot read {path}: no such file")
    show = sys.stderr.isatty() if progress is None else progress

    async def run() -> tuple[Any, int | None]:
        await _open_database(settings)
        if show:
            with progress_bar(path, Console(stderr=True), description) as advance:
                summary = await importer(path, progress=advance)
        else:
            summary = await importer(path)
        changed = summary.created or summary.updated
        return summary, await reclassify_unpublished() if changed else None

    summary, reclassified = _run(run())
    if summary.read or summary.succeeded:
        _print_summary(summary, path)
    if reclassified is not None:
        click.echo(f"Unpublished meetings classified again: {reclassified} changed.")
    if summary.failure:
        _fail(summary.failure)


@import_group.command("hatvp")
@database_options
@progress_option
@file_argument
def import_hatvp_command(
    data_dir: Path | None, database_url: str | None, progress: bool | None, file: Path
) -> None:
    """Import the HATVP répertoire open-data JSON (agora_repertoire_opendata.json)."""
    from register.services.imports import import_hatvp

    _import(data_dir, database_url, file, progress, import_hatvp, "HATVP répertoire")


@import_group.command("eu")
@database_options
@progress_option
@file_argument
def import_eu_command(
    data_dir: Path | None, database_url: str | None, progress: bool | None, file: Path
) -> None:
    """Import the EU Transparency Register XML export (ODP_….xml)."""
    from register.services.imports import import_eu_register

    _import(data_dir, database_url, file, progress, import_eu_register, "EU register")


@import_group.command("csv")
@database_options
@progress_option
@file_argument
def import_csv_command(
    data_dir: Path | None, database_url: str | None, progress: bool | None, file: Path
) -> None:
    """Import a CSV of local organisations. UTF-8, comma-separated, with a header naming
    columns among: name (required), aliases (;-separated), acronym, siren, rna, hatvp_id,
    eu_transparency_id, email_domains (;-separated), website, category."""
    from register.services.imports import import_local_csv

    _import(data_dir, database_url, file, progress, import_local_csv, "Local organisations")


@click.group()
def directory() -> None:
    """The directory of interest representatives: possible duplicates, and merging them."""


def _identifiers(rep: Any) -> str:
    labels = (
        ("HATVP", rep.hatvp_id),
        ("SIREN", rep.siren),
        ("RNA", rep.rna),
        ("EU", rep.eu_transparency_id),
    )
    return ", ".join(f"{label} {value}" for label, value in labels if value) or "no identifier"


@directory.command("duplicates")
@database_options
def duplicates_command(data_dir: Path | None, database_url: str | None) -> None:
    """List organisations that may be one: same normalised name (case, accents and legal
    forms such as SA or association aside) or same identifier."""
    from register.store.repositories.directory import list_duplicates, presence_counts

    settings = _configure(data_dir, database_url)

    async def load() -> tuple[Any, dict[UUID, int]]:
        await _open_database(settings)
        groups = await list_duplicates()
        ids = {rep.id for group in groups for rep in group.representatives}
        return groups, await presence_counts(ids)

    groups, counts = _run(load())
    if not groups:
        click.echo("No possible duplicates.")
        return
    click.echo(f"{len(groups)} group(s) of possible duplicates:")
    for number, group in enumerate(groups, start=1):
        click.echo(f"\n{number}. {'; '.join(group.reasons)}")
        for rep in group.representatives:
            click.echo(
                f"   {rep.id}  {rep.name}  ({_identifiers(rep)}; "
                f"{counts.get(rep.id, 0)} meeting(s))"
            )
    click.echo("\nMerge with: register directory merge KEEP_ID DUPLICATE_ID")


@directory.command("merge")
@database_options
@click.argument("keep_id", type=click.UUID)
@click.argument("duplicate_id", type=click.UUID)
def merge_command(
    data_dir: Path | None, database_url: str | None, keep_id: UUID, duplicate_id: UUID
) -> None:
    """Merge DUPLICATE_ID into KEEP_ID: its meetings, names, e-mail domains and identifiers
    go to KEEP_ID, and it points there from now on (imports of it update KEEP_ID)."""
    from register.services.classification import reclassify_unpublished
    from register.store.repositories.directory import MergeError, merge

    settings = _configure(data_dir, database_url)

    async def run() -> tuple[Any, int]:
        await _open_database(settings)
        result = await merge(keep_id, duplicate_id, actor="cli")
        return result, await reclassify_unpublished()

    try:
        result, reclassified = _run(run())
    except MergeError as error:
        _fail(str(error))
    click.echo(
        f"Merged {result.duplicate.name} into {result.kept.name} ({result.kept.id}): "
        f"{result.meetings_relinked} meeting(s) re-linked."
    )
    for conflict in result.conflicts:
        click.echo(f"Left on the duplicate, as it differs from the kept one: {conflict}")
    click.echo(f"Unpublished meetings classified again: {reclassified} changed.")


@directory.command("rule")
@database_options
@click.argument("domain")
@click.argument("organisation_id", type=click.UUID)
def rule_command(
    data_dir: Path | None, database_url: str | None, domain: str, organisation_id: UUID
) -> None:
    """Always treat e-mail addresses at DOMAIN as the organisation ORGANISATION_ID (a staff
    decision made a rule); unpublished meetings are classified again."""
    from register.services.classification import RuleError, treat_domain_as

    settings = _configure(data_dir, database_url)

    async def run() -> int:
        await _open_database(settings)
        return await treat_domain_as(domain, organisation_id)

    try:
        changed = _run(run())
    except RuleError as error:
        _fail(str(error))
    click.echo(f"Addresses at {domain.strip().lower().lstrip('@')} now count as {organisation_id}.")
    click.echo(f"Unpublished meetings classified again: {changed} changed.")


cli.add_command(import_group)
cli.add_command(directory)
