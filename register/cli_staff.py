"""`register reset-password`: the administrators' way back into an account.

The new password is printed once and must be replaced at the next log-in; every session of the
account ends, so whoever held it before is logged out.
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from register.cli import _configure, _fail, _open_database, _run, cli, database_options


@cli.command("reset-password")
@database_options
@click.argument("username")
def reset_password_command(data_dir: Path | None, database_url: str | None, username: str) -> None:
    """Give USERNAME a temporary password (printed once) and end their sessions."""
    from register.services.accounts import AccountError, reset_password
    from register.store.repositories.staff import get_staff_user

    settings = _configure(data_dir, database_url)

    async def reset() -> Any:
        await _open_database(settings)
        found = await get_staff_user(username)
        if found is None:
            raise AccountError(f"no user named {username!r}")
        return await reset_password(found[0].id, by=None, now=datetime.now(UTC))

    try:
        password = _run(reset())
    except AccountError as error:
        _fail(str(error))
    click.echo(f"Temporary password for {username}: {password}")
    click.echo("It must be replaced at the next log-in; every session of the account has ended.")
