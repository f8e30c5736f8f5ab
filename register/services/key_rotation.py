"""Key rotation: every stored calendar credential re-encrypted from the old key to a new one.

All credentials change in one transaction, or none does: a credential that the old key cannot
decrypt (a wrong old key) stops the rotation before anything is written. Decryption goes through
`MultiFernet([new, old])`, so a rotation interrupted after its commit can simply be run again.

Where the key lives decides what happens to it:
- in the data directory's key file (the default), the new key is generated (or read from
  `--new-key-file`), written first to `secret.key.new`, and moved over `secret.key` once the
  credentials are committed; the old key is kept in `secret.key.old` for backups made before
  the rotation. A rotation that stopped in between resumes with `secret.key.new`.
- in `REGISTER_SECRET_KEY`, the command cannot change the environment of the servers: the new
  key comes from a file, and the operator then sets the variable to it everywhere.
No key and no credential is ever printed or logged.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from register.services.credentials import CredentialsError, current_key, fernet_of, key_path
from register.settings import Settings
from register.store.repositories.source_credentials import all_credentials, replace_credentials
from register.store.transaction import writing

PENDING_SUFFIX = ".new"
PREVIOUS_SUFFIX = ".old"


@dataclass(frozen=True)
class Rotation:
    """What a rotation did: how many credentials it re-encrypted, where the keys now are."""

    credentials: int
    key_file: Path | None
    """The key file now holding the new key (None when the key lives in the environment)."""
    previous_key_file: Path | None


def read_key_file(path: Path) -> bytes:
    try:
        key = path.read_bytes().strip()
    except OSError as error:
        raise CredentialsError(f"cannot read the key file {path}: {error.strerror}") from error
    fernet_of(key)  # a clear error for a file that does not hold a key
    return key


def _write_private(path: Path, key: bytes) -> None:
    """Write `key` to `path`, readable by its owner only, replacing the file atomically."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key + b"\n")
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


async def reencrypt_credentials(old_key: bytes, new_key: bytes) -> int:
    """Re-encrypt every stored credential under `new_key`, in one transaction; the count."""
    rotation = MultiFernet([fernet_of(new_key), fernet_of(old_key)])
    async with writing():
        stored = await all_credentials()
        rotated: dict[UUID, str] = {}
        for source_id, ciphertext in stored.items():
            try:
                rotated[source_id] = rotation.rotate(ciphertext.encode()).decode()
            except InvalidToken as error:
                raise CredentialsError(
                    f"the credentials of calendar source {source_id} cannot be decrypted with "
                    "the old key: it is not the key they were encrypted with. Nothing was "
                    "changed."
                ) from error
        await replace_credentials(rotated)
    return len(rotated)


async def rotate_key(
    settings: Settings, *, new_key: bytes | None = None, old_key: bytes | None = None
) -> Rotation:
    """Move every stored credential to a new key (see the module's docstring)."""
    old = old_key if old_key is not None else current_key(settings)
    if settings.secret_key is not None:
        if new_key is None:
            raise CredentialsError(
                "the key is set by REGISTER_SECRET_KEY, which this command cannot change: "
                "write a new key to a file (python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())' > new.key), pass it with "
                "--new-key-file, then set REGISTER_SECRET_KEY to it on every server"
            )
        _refuse_same(old, new_key)
        count = await reencrypt_credentials(old, new_key)
        return Rotation(credentials=count, key_file=None, previous_key_file=None)
    path = key_path(settings)
    pending = path.with_name(path.name + PENDING_SUFFIX)
    resuming = pending.exists()
    if resuming:
        interrupted = read_key_file(pending)
        if new_key not in (None, interrupted):
            raise CredentialsError(
                f"a rotation was interrupted and {pending} holds its new key: run rotate-key "
                "without --new-key-file to finish it first"
            )
        new_key = interrupted
    elif new_key is None:
        new_key = Fernet.generate_key()
    _refuse_same(old, new_key)
    _write_private(pending, new_key)
    try:
        count = await reencrypt_credentials(old, new_key)
    except CredentialsError:
        if not resuming:  # nothing was committed under the new key: forget it
            pending.unlink()
        raise
    previous = path.with_name(path.name + PREVIOUS_SUFFIX)
    _write_private(previous, old)
    os.replace(pending, path)
    return Rotation(credentials=count, key_file=path, previous_key_file=previous)


def _refuse_same(old: bytes, new: bytes) -> None:
    if old == new:
        raise CredentialsError("the new key is the key in use: nothing to rotate")
