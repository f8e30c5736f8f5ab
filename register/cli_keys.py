"""`register rotate-key`: re-encrypt the stored calendar credentials under a new key.

Neither key nor any credential is printed: the new key goes to the key file (or comes from the
file the operator names), and the command says only how many credentials it moved.
"""

from pathlib import Path
from typing import Any

import click

from register.cli import _configure, _fail, _open_database, _run, cli, database_options


@cli.command("rotate-key")
@database_options
@click.option(
    "--new-key-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    metavar="FILE",
    help="A file holding the new Fernet key. Required when REGISTER_SECRET_KEY holds the key; "
    "otherwise a new key is generated into the data directory's key file.",
)
@click.option(
    "--old-key-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    metavar="FILE",
    help="A file holding the key the credentials are encrypted with, if not the one in use.",
)
def rotate_key_command(
    data_dir: Path | None,
    database_url: str | None,
    new_key_file: Path | None,
    old_key_file: Path | None,
) -> None:
    """Re-encrypt every stored calendar credential under a new key, all in one transaction."""
    from register.services.credentials import CredentialsError
    from register.services.key_rotation import read_key_file, rotate_key

    settings = _configure(data_dir, database_url)

    async def rotate() -> Any:
        await _open_database(settings)
        return await rotate_key(
            settings,
            new_key=read_key_file(new_key_file) if new_key_file else None,
            old_key=read_key_file(old_key_file) if old_key_file else None,
        )

    try:
        done = _run(rotate())
    except CredentialsError as error:
        _fail(str(error))
    click.echo(f"Re-encrypted {done.credentials} stored credential(s) under the new key.")
    if done.key_file is None:
        click.echo(
            "Now set REGISTER_SECRET_KEY to the new key on every server and restart them; "
            "until then they cannot decrypt the credentials."
        )
    else:
        click.echo(f"The new key is in {done.key_file}; servers that share it need a copy.")
        click.echo(
            f"The previous key is kept in {done.previous_key_file} for backups made before "
            "now: delete it once they are no longer needed."
        )
