"""`register log …`: the publication log, handed out for anyone to verify.

`register log export` writes the whole log as JSON Lines (one entry per line, oldest first, see
`register.domain.publication_log.entry_line`), reading it a batch at a time so that memory stays
flat whatever its length. `scripts/verify_log.py` checks such a file with nothing but Python.
"""

import os
import sys
from pathlib import Path
from typing import BinaryIO

import click

from register.cli import _configure, _fail, _open_database, _run, cli, database_options

EXPORT_BATCH = 1000


@cli.group("log")
def log_group() -> None:
    """The publication log: export it so that anyone can recompute its hash chain."""


async def _write_lines(settings: object, output: BinaryIO) -> int:
    from register.domain.publication_log import entry_line
    from register.store.repositories.publication_log import iter_entries

    await _open_database(settings)
    count = 0
    async for entry in iter_entries(batch=EXPORT_BATCH):
        output.write(entry_line(entry).encode("ascii") + b"\n")
        count += 1
    return count


@log_group.command("export")
@database_options
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Where to write the log (default: standard output). The file appears complete or "
    "not at all.",
)
def export(data_dir: Path | None, database_url: str | None, output: Path | None) -> None:
    """Write the whole publication log as JSON Lines: seq, meeting_id, version, action,
    recorded_at, body (the exact text that was hashed), previous_hash and hash."""
    settings = _configure(data_dir, database_url)
    if output is None:
        try:
            count = _run(_write_lines(settings, sys.stdout.buffer))
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            # The reader stopped early (`register log export | head`): no traceback, and no
            # second error when Python flushes standard output at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
    else:
        partial = output.with_name(f".{output.name}.partial")
        try:
            with partial.open("wb") as stream:
                count = _run(_write_lines(settings, stream))
            partial.replace(output)
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}")
        finally:
            partial.unlink(missing_ok=True)
    click.echo(f"Exported {count} publication log entries.", err=True)
