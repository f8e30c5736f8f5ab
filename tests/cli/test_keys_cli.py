"""`register rotate-key`: every stored credential moves to the new key in one transaction, a
wrong old key changes nothing and says so, and no key or password is ever printed."""

import asyncio
from pathlib import Path
from uuid import UUID

import pytest
from cryptography.fernet import Fernet
from piccolo.engine.base import Engine
from pydantic import SecretStr

from register.services.credentials import CredentialsError, decrypt, key_path
from register.services.key_rotation import reencrypt_credentials, rotate_key
from register.settings import Settings
from register.store.repositories.source_credentials import all_credentials
from tests.cli.test_backup_cli import Invoke, invoke  # noqa: F401 - the fixture
from tests.stored import store_caldav_source, store_register

PASSWORDS = ("Cabinet-2026!", "app-token-7f3a9c")
URL = "https://agenda.example/marie/"


def _settings(tmp_path: Path, key: bytes | None = None) -> Settings:
    secret = SecretStr(key.decode()) if key else None
    return Settings(data_dir=tmp_path, secret_key=secret)


async def _store_sources(settings: Settings) -> list[UUID]:
    """Two sources with a password and one without, encrypted under `settings`' key."""
    stored = await store_register()
    return [
        await store_caldav_source(stored.owner, URL + str(n), "marie", password, settings)
        for n, password in enumerate((*PASSWORDS, ""))
    ]


async def test_rotation_moves_every_credential_to_the_new_key(db: Engine, tmp_path: Path) -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    ids = await _store_sources(_settings(tmp_path, old))
    before = await all_credentials()

    done = await rotate_key(_settings(tmp_path, old), new_key=new)

    after = await all_credentials()
    assert done.credentials == 2
    assert done.key_file is None  # the key lives in the environment: the operator sets it
    assert set(after) == set(before) == set(ids[:2])
    assert all(after[i] != before[i] for i in after)
    assert [decrypt(after[i], _settings(tmp_path, new)) for i in ids[:2]] == list(PASSWORDS)
    with pytest.raises(CredentialsError, match="cannot be decrypted with this key"):
        decrypt(after[ids[0]], _settings(tmp_path, old))


async def test_a_wrong_old_key_changes_nothing(db: Engine, tmp_path: Path) -> None:
    right, wrong = Fernet.generate_key(), Fernet.generate_key()
    await _store_sources(_settings(tmp_path, right))
    before = await all_credentials()

    with pytest.raises(CredentialsError, match=r"cannot be decrypted with the old key.*Nothing"):
        await rotate_key(_settings(tmp_path, wrong), new_key=Fernet.generate_key())
    with pytest.raises(CredentialsError, match="REGISTER_SECRET_KEY"):
        await rotate_key(_settings(tmp_path, right))  # no new key given
    with pytest.raises(CredentialsError, match="is the key in use"):
        await rotate_key(_settings(tmp_path, right), new_key=right)

    assert await all_credentials() == before


async def _store_register_with_key_file(settings: Settings) -> list[UUID]:
    from register.store.engine import make_engine, use_engine
    from register.store.migrate import migrate

    engine = make_engine(settings)
    await migrate(engine)
    use_engine(engine)
    return await _store_sources(settings)  # creates the data directory's secret.key


def test_the_command_rotates_the_key_file_and_prints_no_secret(
    tmp_path: Path,
    invoke: Invoke,  # noqa: F811 - the fixture imported above
) -> None:
    data = tmp_path / "data"
    settings = _settings(data)
    ids = asyncio.run(_store_register_with_key_file(settings))
    old_key = key_path(settings).read_bytes().strip()
    wrong = Fernet.generate_key()
    (tmp_path / "wrong.key").write_bytes(wrong)

    rotated = invoke("rotate-key", "--data-dir", str(data))
    refused = invoke(
        "rotate-key", "--data-dir", str(data), "--old-key-file", str(tmp_path / "wrong.key")
    )

    assert rotated.status == 0, rotated.stderr
    assert rotated.stdout.startswith("Re-encrypted 2 stored credential(s) under the new key.\n")
    new_key = key_path(settings).read_bytes().strip()
    assert new_key != old_key
    assert (data / "secret.key.old").read_bytes().strip() == old_key
    assert not (data / "secret.key.new").exists()
    assert oct(key_path(settings).stat().st_mode & 0o777) == "0o600"
    stored = asyncio.run(_credentials(settings))
    assert [decrypt(stored[i], settings) for i in ids[:2]] == list(PASSWORDS)
    assert refused.status == 1
    assert "cannot be decrypted with the old key" in refused.stderr
    assert "Nothing was changed" in refused.stderr
    for output in (rotated.stdout, rotated.stderr, refused.stdout, refused.stderr):
        for secret in (*PASSWORDS, old_key.decode(), new_key.decode(), wrong.decode()):
            assert secret not in output


async def _credentials(settings: Settings) -> dict[UUID, str]:
    from register.store.engine import make_engine, use_engine

    use_engine(make_engine(settings))
    return await all_credentials()


async def test_an_interrupted_rotation_finishes_with_its_own_new_key(
    db: Engine, tmp_path: Path
) -> None:
    """The credentials were committed under the new key, but the key file was not yet moved."""
    settings = _settings(tmp_path)  # the key file of the data directory
    ids = await _store_sources(settings)
    old = key_path(settings).read_bytes().strip()
    pending = Fernet.generate_key()
    (tmp_path / "secret.key.new").write_bytes(pending + b"\n")

    await reencrypt_credentials(old, pending)

    with pytest.raises(CredentialsError, match="interrupted"):
        await rotate_key(settings, new_key=Fernet.generate_key())
    done = await rotate_key(settings)

    assert done.credentials == 2
    assert key_path(settings).read_bytes().strip() == pending
    assert (tmp_path / "secret.key.old").read_bytes().strip() == old
    stored = await all_credentials()
    assert [decrypt(stored[i], settings) for i in ids[:2]] == list(PASSWORDS)
