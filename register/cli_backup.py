"""`register backup FILE` and `register restore FILE`: a whole register in one file, restorable
on either engine (see `register.services.backup`)."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from register.cli import _configure, _fail, _open_database, _run, cli, database_options


@cli.command("backup")
@database_options
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(data_dir: Path | None, database_url: str | None, file: Path) -> None:
    """Write the whole register to FILE (gzip'd JSON Lines), consistent even while it runs.
    The file appears complete or not at all. Keep the encryption key (REGISTER_SECRET_KEY or
    secret.key in the data directory) apart from it: calendar passwords stay encrypted."""
    from register.services.backup import write_backup

    settings = _configure(data_dir, database_url)
    partial = file.with_name(f".{file.name}.partial")

    async def write() -> Any:
        await _open_database(settings)
        with partial.open("wb") as stream:
            return await write_backup(stream, now=datetime.now(UTC))

    try:
        summary = _run(write())
        partial.replace(file)
    except OSError as error:
        _fail(f"cannot write {file}: {error.strerror or error}")
    finally:
        partial.unlink(missing_ok=True)
    click.echo(
        f"Backed up {summary.total_rows} rows of {len(summary.rows)} tables to {file}; "
        f"publication log: {summary.log_entries} entries, head {summary.log_head or '(empty)'}."
    )


@cli.command("restore")
@database_options
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace everything in a database that is not empty (its rows are deleted first).",
)
def restore_command(
    data_dir: Path | None, database_url: str | None, file: Path, force: bool
) -> None:
    """Restore a backup written by `register backup` into this database (SQLite or
    PostgreSQL, whichever wrote it), which must be empty unless --force; then check that the
    publication log verifies. Exit status 1, changing nothing, if the file is damaged, altered,
    truncated or from a newer version."""
    from register.services.backup import BackupError, restore_backup

    settings = _configure(data_dir, database_url)

    async def restore() -> Any:
        await _open_database(settings)
        return await restore_backup(file, force=force)

    try:
        result = _run(restore())
    except BackupError as error:
        _fail(str(error))
    backup = result.backup
    click.echo(
        f"Restored {backup.total_rows} rows of {len(backup.rows)} tables from {file} "
        f"(written {backup.created_at} on {backup.engine}); {result.public_meetings} meetings "
        "in the public register."
    )
    if result.log_problems:
        _fail(
            f"the restored publication log does not verify: {len(result.log_problems)} "
            f"problem(s), the first at entry {result.log_problems[0].seq}"
        )
    click.echo(
        f"The publication log verifies: {result.log_checked} entries, head "
        f"{backup.log_head or '(empty)'}."
    )
