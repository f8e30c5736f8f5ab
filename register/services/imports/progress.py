"""The progress bar of an import, drawn by rich on the console it is given (standard error)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from register.services.imports.source import ProgressCallback


@contextmanager
def progress_bar(path: Path, console: Console, description: str) -> Iterator[ProgressCallback]:
    """A bar over the bytes of `path`: a streaming import knows where it is in the file, not
    how many records remain."""
    try:
        total: int | None = path.stat().st_size
    except OSError:
        total = None
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn())
    with Progress(*columns, TimeRemainingColumn(), console=console) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done: progress.update(task, completed=done)
