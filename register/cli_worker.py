"""`register worker`: a process that only syncs calendar sources, for deployments that serve and
sync apart (the servers then run with `REGISTER_SYNC_INTERVAL=0`).

Any number of workers, on one machine or many over one PostgreSQL, share the sources: each is
synced by one worker at a time and once per interval (`register.services.schedule`). On SIGTERM
or Ctrl+C a worker starts no further source, lets the syncs under way finish for up to `--grace`
seconds, then interrupts them, which gives their sources back at once; a second signal interrupts
them straight away.
"""

import asyncio
import signal
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import click

from register.cli import _configure, _fail, _open_database, _run, cli, database_options

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@cli.command("worker")
@database_options
@click.option("--once", is_flag=True, help="Sync the sources due now, then exit.")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    metavar="N",
    help="Sources synced at the same time.",
)
@click.option(
    "--grace",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="On SIGTERM, how long the syncs under way may take to finish before they are "
    "interrupted and their sources released.",
)
def worker_command(
    data_dir: Path | None, database_url: str | None, once: bool, concurrency: int, grace: float
) -> None:
    """Sync calendar sources as they fall due, without serving the web; with --once, exit
    status 1 when a source failed."""
    from register.logs import configure_logging

    settings = _configure(data_dir, database_url)
    if settings.sync_interval == 0 and not once:
        raise click.UsageError(
            "REGISTER_SYNC_INTERVAL is 0 (no background sync), but a worker syncs every "
            "REGISTER_SYNC_INTERVAL seconds: set it for the workers (e.g. 300), or use --once"
        )
    configure_logging(settings)
    click.echo(
        f"Syncing the calendar sources due now, {concurrency} at a time"
        if once
        else f"Syncing calendar sources, {concurrency} at a time, each every "
        f"{settings.sync_interval} s (Ctrl+C to stop)",
        err=True,
    )
    failed = _run(_work(settings, once=once, concurrency=concurrency, grace=grace))
    if failed:
        _fail(f"{failed} source(s) failed")


async def _work(settings: Any, *, once: bool, concurrency: int, grace: float) -> int:
    """Run until done (--once) or stopped by a signal; returns how many sources failed."""
    from piccolo.engine.postgres import PostgresEngine

    from register.services.schedule import run_schedule, sync_due

    engine, _ = await _open_database(settings)
    if isinstance(engine, PostgresEngine):
        # A sync holds one connection for its transaction and one for its lease's heartbeat.
        await engine.start_connection_pool(min_size=1, max_size=2 * concurrency + 1)
    stop = asyncio.Event()
    work: Coroutine[Any, Any, Any] = (
        sync_due(settings, concurrency=concurrency, stop=stop)
        if once
        else run_schedule(settings, stop, concurrency=concurrency)
    )
    task = asyncio.create_task(work)
    _stop_on_signals(task, stop, grace)
    try:
        results = await task
    except asyncio.CancelledError:
        if not task.cancelled():  # this coroutine itself was cancelled: let it be
            raise
        results = None
    finally:
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)
        if isinstance(engine, PostgresEngine):
            await engine.close_connection_pool()
    click.echo("Stopped." if stop.is_set() else "Done.", err=True)
    return sum(result.failed for result in results) if results else 0


def _stop_on_signals(task: "asyncio.Task[Any]", stop: asyncio.Event, grace: float) -> None:
    """First signal: start nothing more, interrupt what is under way after `grace` seconds;
    second signal: interrupt it now. An interrupted sync rolls back and releases its lease."""
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        if stop.is_set():
            task.cancel()
            return
        click.echo("Stopping: finishing the syncs under way…", err=True)
        stop.set()
        loop.call_later(grace, task.cancel)

    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, on_signal)
