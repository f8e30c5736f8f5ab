"""Calendar credentials encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA256).

The key comes from `REGISTER_SECRET_KEY`, or from `secret.key` in the data directory, created
(readable by its owner only) the first time a credential is stored. Several servers over one
PostgreSQL must share the key: set the variable on all of them. A missing or wrong key is a clear
error, never a clear-text fallback.
"""

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from register.settings import Settings

KEY_FILE = "secret.key"


class CredentialsError(RuntimeError):
    """Credentials cannot be encrypted or decrypted; the message says how to fix it."""


def key_path(settings: Settings) -> Path:
    return settings.data_dir / KEY_FILE


def _key(settings: Settings, *, create: bool) -> bytes:
    if settings.secret_key:
        return settings.secret_key.get_secret_value().encode()
    path = key_path(settings)
    if path.exists():
        return path.read_bytes().strip()
    if not create:
        raise CredentialsError(
            f"no encryption key: REGISTER_SECRET_KEY is unset and {path} does not exist, so "
            "stored calendar credentials cannot be decrypted"
        )
    key = Fernet.generate_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key + b"\n")
    return key


def current_key(settings: Settings) -> bytes:
    """The key stored credentials are encrypted with (CredentialsError when there is none)."""
    return _key(settings, create=False)


def _fernet(settings: Settings, *, create: bool) -> Fernet:
    return fernet_of(_key(settings, create=create))


def fernet_of(key: bytes) -> Fernet:
    """A Fernet for `key`, or a CredentialsError saying what a valid key looks like."""
    try:
        return Fernet(key)
    except ValueError as error:
        raise CredentialsError(
            "the encryption key is not a valid Fernet key (32 url-safe base64-encoded bytes; "
            "make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')"
        ) from error


def encrypt(secret: str, settings: Settings) -> str:
    """Ciphertext for `secret`; an empty secret stays empty (a source without a password)."""
    if not secret:
        return ""
    return _fernet(settings, create=True).encrypt(secret.encode()).decode()


def decrypt(ciphertext: str, settings: Settings) -> str:
    if not ciphertext:
        return ""
    try:
        return _fernet(settings, create=False).decrypt(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise CredentialsError(
            "the stored credentials cannot be decrypted with this key: it is not the key they "
            "were encrypted with (check REGISTER_SECRET_KEY or the key file)"
        ) from error


def derived_secret(settings: Settings, purpose: str) -> str:
    """A secret for another use (signing CSRF tokens), derived from the installation's key so
    that every server process sharing the key agrees on it, and one use never reveals another."""
    import hashlib
    import hmac

    return hmac.new(_key(settings, create=True), purpose.encode(), hashlib.sha256).hexdigest()
