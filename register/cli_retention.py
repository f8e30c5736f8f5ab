"""`register purge` and `register retention`: the data-retention policy by hand (the scheduled
job applies it every hour; see `register.services.retention`)."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from register.cli import _configure, _fail, _open_database, _run, cli, database_options


@cli.command("purge")
@database_options
@click.option("--dry-run", is_flag=True, help="Count what would be purged; change nothing.")
def purge_command(data_dir: Path | None, database_url: str | None, dry_run: bool) -> None:
    """Purge the private data (calendar text, attendees, draft record) of meetings never
    published that are older than their authority's retention period. Published records and
    the publication log are never touched."""
    from register.logs import configure_logging
    from register.services.retention import purge_expired

    settings = _configure(data_dir, database_url)
    configure_logging(settings)  # to standard error, which keeps standard output the report's

    async def purge() -> Any:
        await _open_database(settings)
        return await purge_expired(settings, now=datetime.now(UTC), dry_run=dry_run)

    verb = "would purge" if dry_run else "purged"
    for result in _run(purge()):
        if result.days == 0:
            click.echo(f"{result.authority}: keeps everything (retention 0 days)")
            continue
        click.echo(
            f"{result.authority}: {verb} {result.meetings} meeting(s) never published dated "
            f"before {result.before:%Y-%m-%d} ({result.days} days)"
        )


@cli.command("retention")
@database_options
@click.argument("authority", required=False, metavar="[AUTHORITY]")
@click.option(
    "--days",
    type=click.IntRange(0, 36500),
    help="Days after a meeting's date before the private data of a meeting never published is "
    "purged (0: never).",
)
@click.option("--default", "use_default", is_flag=True, help="Use REGISTER_RETENTION_DAYS.")
def retention_command(
    data_dir: Path | None,
    database_url: str | None,
    authority: str | None,
    days: int | None,
    use_default: bool,
) -> None:
    """Show each authority's retention period, or set AUTHORITY's (by its slug)."""
    from register.services.retention import period
    from register.store.repositories.retention import authority_retention, set_retention_days

    if (days is not None or use_default) and authority is None:
        raise click.UsageError("name the AUTHORITY whose retention period to set")
    if days is not None and use_default:
        raise click.UsageError("--days and --default exclude each other")
    settings = _configure(data_dir, database_url)

    async def apply() -> Any:
        await _open_database(settings)
        setting = authority is not None and (days is not None or use_default)
        if setting and not await set_retention_days(str(authority), None if use_default else days):
            _fail(f"no authority {authority!r}")
        return await authority_retention()

    for row in _run(apply()):
        if authority is not None and row.slug != authority:
            continue
        source = "default" if row.retention_days is None else "own"
        click.echo(f"{row.slug}: {period(row.retention_days, settings)} days ({source})")
