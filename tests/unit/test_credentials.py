"""Calendar credentials are encrypted at rest, and a missing or wrong key is a clear error."""

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from register.services.credentials import CredentialsError, decrypt, encrypt, key_path
from register.settings import Settings


def test_a_key_file_readable_only_by_its_owner_is_made_on_first_use(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)

    ciphertext = encrypt("app-password-123", settings)

    assert "app-password-123" not in ciphertext
    assert decrypt(ciphertext, settings) == "app-password-123"
    mode = stat.S_IMODE(key_path(settings).stat().st_mode)
    assert mode == 0o600


def test_the_key_can_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGISTER_SECRET_KEY", Fernet.generate_key().decode())
    settings = Settings(data_dir=tmp_path)

    ciphertext = encrypt("secret", settings)

    assert decrypt(ciphertext, settings) == "secret"
    assert not key_path(settings).exists()


def test_an_empty_password_stays_empty_and_needs_no_key(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)

    assert encrypt("", settings) == ""
    assert decrypt("", settings) == ""
    assert not key_path(settings).exists()


def test_a_missing_key_is_a_clear_error(tmp_path: Path) -> None:
    ciphertext = encrypt("secret", Settings(data_dir=tmp_path / "first"))

    with pytest.raises(CredentialsError, match="no encryption key: REGISTER_SECRET_KEY is unset"):
        decrypt(ciphertext, Settings(data_dir=tmp_path / "elsewhere"))


def test_a_wrong_key_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ciphertext = encrypt("secret", Settings(data_dir=tmp_path))
    monkeypatch.setenv("REGISTER_SECRET_KEY", Fernet.generate_key().decode())

    with pytest.raises(CredentialsError, match="not the key they were encrypted with"):
        decrypt(ciphertext, Settings(data_dir=tmp_path))


def test_a_malformed_key_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTER_SECRET_KEY", "too-short")

    with pytest.raises(CredentialsError, match="not a valid Fernet key"):
        encrypt("secret", Settings(data_dir=tmp_path))
