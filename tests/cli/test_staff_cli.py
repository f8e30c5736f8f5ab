"""Staff accounts from the command line: an official's account, and a password reset."""

from pathlib import Path

from register.domain.kinds import OfficialKind
from register.store.repositories import authorities, officials
from tests import factories
from tests.cli.test_cli import run

PASSWORD = {"REGISTER_NEW_PASSWORD": "correct horse battery staple"}


async def _store_authority(data: Path) -> None:
    """A migrated database holding "ville-test" and its mayor "marie-durand"."""
    from register.settings import Settings
    from register.store.engine import make_engine, use_engine
    from register.store.migrate import migrate

    engine = make_engine(Settings(data_dir=data))
    await migrate(engine)
    use_engine(engine)
    authority = factories.authority()
    await authorities.save_authority(authority)
    await officials.save_official(
        factories.official(authority.id, kind=OfficialKind.ELECTED)  # marie-durand
    )


async def test_an_officials_account_names_its_official(tmp_path: Path) -> None:
    await _store_authority(tmp_path)
    data = ["--data-dir", str(tmp_path)]
    base = ["createuser", *data, "--role", "official", "--authority", "ville-test"]

    missing = run(*base, "--username", "maire", env=PASSWORD)
    unknown = run(*base, "--username", "maire", "--official", "nobody", env=PASSWORD)
    created = run(*base, "--username", "maire", "--official", "marie-durand", env=PASSWORD)

    assert (missing.returncode, missing.stderr) == (
        1,
        "register: error: an official's account must name the official (--official)\n",
    )
    assert (unknown.returncode, unknown.stderr) == (
        1,
        "register: error: no official with the slug 'nobody'\n",
    )
    assert (created.returncode, created.stdout) == (0, "Created official maire.\n")


def test_reset_password_prints_a_temporary_password_once(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path)]
    run("createuser", *data, "--username", "admin", "--role", "administrator", env=PASSWORD)

    reset = run("reset-password", *data, "admin")
    unknown = run("reset-password", *data, "nobody")

    assert reset.returncode == 0, reset.stderr
    first_line = reset.stdout.splitlines()[0]
    assert first_line.startswith("Temporary password for admin: ")
    assert len(first_line.rsplit(" ", 1)[1]) >= 12
    assert (unknown.returncode, unknown.stderr) == (1, "register: error: no user named 'nobody'\n")
