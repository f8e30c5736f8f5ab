"""The `register` command: one entry point for serving, migrating, the demo and accounts.

Bad arguments get one line on standard error and exit status 2 (the convention of Unix tools);
a failure while working gets one line and status 1.
"""

import asyncio
import os
import socket
import sys
import warnings
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from register import __version__
from register.domain.kinds import SourceKind, StaffRole

T = TypeVar("T")

PASSWORD_VARIABLE = "REGISTER_NEW_PASSWORD"  # noqa: S105 - the name of a variable


class CommandError(click.ClickException):
    """A failure while carrying out a command: one line, exit status 1."""

    exit_code = 1


def _fail(message: str) -> NoReturn:
    raise CommandError(message)


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    with warnings.catch_warnings():
        # Piccolo warns on a failed connection; the command reports it in one line instead.
        warnings.filterwarnings("ignore", module="piccolo.engine.base")
        return asyncio.run(coroutine)


def database_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--data-dir` and `--database-url` on every command; they override the environment and
    are passed on to server workers through it."""
    command = click.option(
        "--database-url",
        envvar="DATABASE_URL",
        metavar="URL",
        help="postgresql://… to use PostgreSQL (env DATABASE_URL); SQLite when unset.",
    )(command)
    return click.option(
        "--data-dir",
        envvar="REGISTER_DATA_DIR",
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help="Where the SQLite database and local state live (env REGISTER_DATA_DIR; "
        "default ./data).",
    )(command)


def _configure(data_dir: Path | None, database_url: str | None) -> Any:
    """Settings for this run, with the options exported so that child processes see them."""
    from pydantic import ValidationError

    from register.settings import Settings, get_settings

    if data_dir is not None:
        os.environ["REGISTER_DATA_DIR"] = str(data_dir)
    if database_url is not None:
        os.environ["DATABASE_URL"] = database_url
    get_settings.cache_clear()
    try:
        settings = get_settings()
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise click.UsageError(f"invalid setting {where}: {first['msg']}") from error
    if not isinstance(settings, Settings):  # pragma: no cover - get_settings returns Settings
        raise TypeError(settings)
    return settings


async def _open_database(settings: Any) -> Any:
    """Bind the tables to the configured database and bring its schema up to date."""
    from register.store.engine import ConfigurationError, make_engine
    from register.store.migrate import MigrationError, migrate

    try:
        engine = make_engine(settings)
    except ConfigurationError as error:
        raise click.UsageError(str(error)) from error
    try:
        applied = await migrate(engine)
    except (OSError, MigrationError, ConfigurationError) as error:
        _fail(f"cannot prepare the database: {error}")
    except Exception as error:
        if type(error).__module__.startswith(("asyncpg", "sqlite3")):
            _fail(f"cannot prepare the database: {type(error).__name__}: {error}")
        raise
    return engine, applied


def _check_port_free(host: str, port: int) -> None:
    """Fail before doing any work when the server could not listen anyway."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            _fail(f"cannot listen on {host}:{port}: {error.strerror}")


def _serve(settings: Any, host: str, port: int, workers: int) -> None:
    import uvicorn

    os.environ["REGISTER_HOST"], os.environ["REGISTER_PORT"] = host, str(port)
    click.echo(f"Serving the register at http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    uvicorn.run(
        "register.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    )


host_option = click.option(
    "--host", envvar="REGISTER_HOST", default="127.0.0.1", show_default=True, help="Address."
)
port_option = click.option(
    "--port",
    envvar="REGISTER_PORT",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="register")
def cli() -> None:
    """Agenda transparency register: officials' meetings with interest representatives."""


@cli.command()
@database_options
def migrate(data_dir: Path | None, database_url: str | None) -> None:
    """Create or update the database schema (safe to run again: a no-op when up to date)."""
    settings = _configure(data_dir, database_url)
    _, applied = _run(_open_database(settings))
    if applied:
        click.echo(f"Applied {len(applied)} migration(s): {', '.join(applied)}")
    else:
        click.echo("The database is up to date; nothing to do.")


@cli.command()
@database_options
@host_option
@port_option
@click.option(
    "--workers",
    envvar="REGISTER_WORKERS",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes.",
)
def serve(
    data_dir: Path | None, database_url: str | None, host: str, port: int, workers: int
) -> None:
    """Run the web server (after bringing the schema up to date)."""
    settings = _configure(data_dir, database_url)
    _check_port_free(host, port)
    _run(_open_database(settings))
    _serve(settings, host, port, workers)


@cli.command()
@database_options
@host_option
@port_option
@click.option(
    "--caldav-port",
    type=click.IntRange(1, 65535),
    default=5232,
    show_default=True,
    help="Port of the demo's own CalDAV server (Radicale, on 127.0.0.1).",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Random seed of the data.")
@click.option("--no-serve", is_flag=True, help="Only load the demo data, do not start the server.")
def demo(
    data_dir: Path | None,
    database_url: str | None,
    host: str,
    port: int,
    caldav_port: int,
    seed: int,
    no_serve: bool,
) -> None:
    """Start a CalDAV server holding a demo city's calendars (officials, organisations, a few
    hundred meetings), connect and sync them, publish, and serve the register."""
    from register.services.demo import seed_demo
    from register.services.demo.caldav_server import CalDAVServerError, DemoCalDAVServer

    settings = _configure(data_dir, database_url)
    if not no_serve:
        _check_port_free(host, port)
    server = DemoCalDAVServer(settings.data_dir / "caldav", caldav_port)

    async def load() -> Any:
        from register.services.demo.accounts import PASSWORD_VARIABLE, ensure_demo_accounts

        await _open_database(settings)
        summary = await seed_demo(
            now=datetime.now(UTC), settings=settings, caldav=server, seed=seed
        )
        accounts = await ensure_demo_accounts(os.environ.get(PASSWORD_VARIABLE))
        return summary, accounts

    try:
        server.start()
    except CalDAVServerError as error:
        _fail(str(error))
    try:
        click.echo(f"Demo CalDAV server (Radicale) at {server.base_url}/", err=True)
        summary, (password, accounts) = _run(load())
        verb = "Loaded" if summary.created else "Already loaded"
        click.echo(
            f"{verb}: {summary.authority_slug} with {summary.officials} officials, "
            f"{summary.representatives} organisations and {summary.meetings} meetings."
        )
        click.echo(f"Back office at http://{host}:{port}/staff/ — password {password} for:")
        for account in accounts:
            click.echo(f"  {account.username:8} {account.description}")
        if not no_serve:
            _serve(settings, host, port, 1)
    finally:
        server.stop()


@cli.command()
@database_options
@click.option("--username", required=True, help="Login name.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in StaffRole]),
    required=True,
    help="administrator: everything; editor: review and publish; official: read-only.",
)
@click.option(
    "--authority",
    "authorities",
    multiple=True,
    metavar="SLUG",
    help="Authority the user works for (repeat for several); not needed for administrators.",
)
@click.option("--email", default="", help="E-mail address.")
@click.option("--full-name", default="", help="Name shown in the back office.")
@click.option(
    "--official",
    "official_slug",
    metavar="SLUG",
    help="For an official's account: the official whose meetings it shows.",
)
def createuser(
    data_dir: Path | None,
    database_url: str | None,
    username: str,
    role: str,
    authorities: tuple[str, ...],
    email: str,
    full_name: str,
    official_slug: str | None,
) -> None:
    """Create a staff account. The password is read from REGISTER_NEW_PASSWORD or asked for,
    never taken from the command line (where other users could see it)."""
    from register.services.accounts import AccountError, create_user

    settings = _configure(data_dir, database_url)
    password = os.environ.get(PASSWORD_VARIABLE) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )

    async def create() -> Any:
        from register.store.repositories.officials import officials_with_slug

        await _open_database(settings)
        official_id = None
        if official_slug:
            matches = await officials_with_slug(official_slug)
            if len(matches) != 1:
                raise AccountError(
                    f"no official with the slug {official_slug!r}"
                    if not matches
                    else f"several officials have the slug {official_slug!r}"
                )
            official_id = matches[0].id
        return await create_user(
            username=username,
            password=password,
            role=StaffRole(role),
            authority_slugs=list(authorities),
            email=email,
            full_name=full_name,
            official_id=official_id,
        )

    try:
        user = _run(create())
    except AccountError as error:
        _fail(str(error))
    except ValueError as error:  # the domain refused a value (e.g. the user name's pattern)
        raise click.UsageError(str(error).splitlines()[-1].strip()) from error
    click.echo(f"Created {user.role.value} {user.username}.")


SOURCE_PASSWORD_VARIABLE = "REGISTER_SOURCE_PASSWORD"  # noqa: S105 - the name of a variable


@cli.group()
def source() -> None:
    """Connect officials' calendars (CalDAV or ICS) and see how their syncs go."""


@source.command("add")
@database_options
@click.option("--official", required=True, metavar="SLUG", help="Whose calendar it is.")
@click.option("--authority", metavar="SLUG", help="The official's authority, if ambiguous.")
@click.option(
    "--kind",
    type=click.Choice([kind.value for kind in SourceKind]),
    default=SourceKind.CALDAV.value,
    show_default=True,
    help="caldav: a CalDAV calendar or principal; ics: a subscription address (webcal://…).",
)
@click.option("--url", required=True, help="Calendar, principal or subscription address.")
@click.option("--username", default="", help="User name on the calendar server, if any.")
def source_add(
    data_dir: Path | None,
    database_url: str | None,
    official: str,
    authority: str | None,
    kind: str,
    url: str,
    username: str,
) -> None:
    """Connect a calendar. The password (or app token) is read from REGISTER_SOURCE_PASSWORD or
    asked for when a user name is given, and stored encrypted."""
    from register.services.credentials import CredentialsError
    from register.services.sources import SourceError, add_source, find_official

    settings = _configure(data_dir, database_url)
    password = os.environ.get(SOURCE_PASSWORD_VARIABLE, "")
    if username and not password:
        password = click.prompt(
            "Password or app token", hide_input=True, default="", show_default=False
        )

    async def add() -> Any:
        await _open_database(settings)
        owner = await find_official(official, authority)
        return await add_source(
            owner,
            kind=SourceKind(kind),
            url=url,
            username=username,
            password=password,
            settings=settings,
        )

    try:
        added = _run(add())
    except (SourceError, CredentialsError) as error:
        _fail(str(error))
    click.echo(f"Added {added.kind.value} source {added.id} for {official}.")


@source.command("list")
@database_options
def source_list(data_dir: Path | None, database_url: str | None) -> None:
    """Every calendar source with its health and last sync."""
    from rich.console import Console
    from rich.table import Table

    from register.services.sources import age, source_statuses

    settings = _configure(data_dir, database_url)

    async def load() -> Any:
        await _open_database(settings)
        return await source_statuses()

    statuses = _run(load())
    table = Table(title=f"{len(statuses)} calendar source(s)")
    for column in ("id", "official", "kind", "url", "health", "last success", "last run"):
        table.add_column(column)
    for status in statuses:
        health = status.source.health
        run = status.last_run
        table.add_row(
            str(status.source.id),
            status.official.full_name if status.official else "?",
            status.source.kind.value,
            status.source.url,
            "ok"
            if health.healthy
            else f"failing ×{health.consecutive_failures}: {health.last_error}",
            age(health.last_success_at),
            f"{run.status.value} {age(run.started_at)}" if run else "never",
        )
    Console(width=200).print(table)


@cli.command()
@database_options
@click.argument("source_ids", nargs=-1, metavar="[SOURCE_ID]...")
def sync(data_dir: Path | None, database_url: str | None, source_ids: tuple[str, ...]) -> None:
    """Sync the given calendar sources (all enabled ones by default); exit status 1 when one
    failed."""
    from uuid import UUID

    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from register.services.sync import SourceResult, sync_sources
    from register.store.repositories.sources import list_sources

    settings = _configure(data_dir, database_url)
    try:
        wanted = [UUID(value) for value in source_ids]
    except ValueError as error:
        raise click.UsageError(f"not a source id: {error}") from error
    console = Console(stderr=True, width=200)

    async def run_all() -> list[SourceResult]:
        await _open_database(settings)
        sources = {s.id: s for s in await list_sources()}
        unknown = [str(i) for i in wanted if i not in sources]
        if unknown:
            _fail(f"no calendar source {', '.join(unknown)}")
        ids = wanted or [i for i, s in sources.items() if s.enabled]
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
        ) as progress:
            tasks = {i: progress.add_task(f"{sources[i].url}", total=1, start=False) for i in ids}
            return await sync_sources(
                ids,
                settings,
                on_start=lambda i: progress.start_task(tasks[i]),
                on_done=lambda r: progress.update(tasks[r.source_id], completed=1),
            )

    results = _run(run_all())
    table = Table(title="Sync")
    for column in (
        "source",
        "status",
        "new",
        "changed",
        "cancelled",
        "unchanged",
        "failed",
        "error",
    ):
        table.add_column(column)
    for result in results:
        run = result.run
        counts = run.counts if run else None
        table.add_row(
            str(result.source_id),
            run.status.value if run else "not run",
            *(
                str(getattr(counts, name)) if counts else "-"
                for name in ("new", "changed", "cancelled", "unchanged", "failed")
            ),
            (run.error if run else result.error)[:120],
        )
    Console(width=200).print(table)
    failed = [r for r in results if r.failed]
    if failed:
        _fail(f"{len(failed)} of {len(results)} source(s) failed")


@cli.command()
@database_options
def verify(data_dir: Path | None, database_url: str | None) -> None:
    """Recompute the publication log's hash chain; exit status 1, naming the first broken entry,
    if any entry was altered, removed or reordered."""
    from register.store.repositories.publication_log import verify_log

    settings = _configure(data_dir, database_url)

    async def check() -> Any:
        await _open_database(settings)
        return await verify_log()

    checked, problems = _run(check())
    if not problems:
        click.echo(f"The publication log verifies: {checked} entries, no problem.")
        return
    first_seq = problems[0].seq
    click.echo(f"FIRST BROKEN ENTRY: {first_seq}")
    for problem in problems:
        if problem.seq == first_seq:
            click.echo(f"  {problem.message.en}")
    further = [problem for problem in problems if problem.seq != first_seq]
    if further:
        click.echo(f"Further problems ({len(further)}):")
        for problem in further:
            click.echo(f"  entry {problem.seq}: {problem.message.en}")
    _fail(
        f"the publication log does not verify: {len(problems)} problem(s) in {checked} "
        f"entries, the first at entry {first_seq}"
    )


@cli.command("verify-log", hidden=True)
@database_options
@click.pass_context
def verify_log_alias(ctx: click.Context, data_dir: Path | None, database_url: str | None) -> None:
    """The former name of `register verify`, kept so that existing scripts still work."""
    ctx.invoke(verify, data_dir=data_dir, database_url=database_url)


def _register_commands() -> None:
    """Commands kept in modules of their own (they import this one for its helpers)."""
    from register.cli_classify import classify

    cli.add_command(classify)


_register_commands()


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the command line; usage errors become one line on standard error and status 2."""
    try:
        cli.main(args=argv, prog_name="register", standalone_mode=False)
    except click.UsageError as error:
        command = (
            f"register {error.ctx.command_path.split(' ', 1)[1]} "
            if error.ctx and " " in error.ctx.command_path
            else "register "
        )
        click.echo(
            f"register: error: {error.format_message()} (see '{command.strip()} --help')", err=True
        )
        sys.exit(2)
    except click.ClickException as error:
        click.echo(f"register: error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("register: aborted", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(0)


# The directory's commands (`register import …`, `register directory …`) live in their own
# module, which adds them to `cli` when imported.
import register.cli_backup  # noqa: E402
import register.cli_directory  # noqa: E402
import register.cli_keys  # noqa: E402
import register.cli_log  # noqa: E402
import register.cli_report  # noqa: E402
import register.cli_retention  # noqa: E402
import register.cli_staff  # noqa: E402
import register.cli_worker  # noqa: E402, F401
