"""Every calendar source's credentials at once, for re-encrypting them under a new key
(`register rotate-key`). Ciphertext only, as everywhere in the store."""

from uuid import UUID

from register.store.tables import CalendarSource as SourceRow


async def all_credentials() -> dict[UUID, str]:
    """Each source's credentials' ciphertext, sources without a password left out."""
    rows = await SourceRow.select(SourceRow.id, SourceRow.credentials).where(
        SourceRow.credentials != ""
    )
    return {row["id"]: row["credentials"] for row in rows}


async def replace_credentials(ciphertexts: dict[UUID, str]) -> None:
    """Store new ciphertexts; the caller holds the transaction."""
    for source_id, ciphertext in ciphertexts.items():
        await SourceRow.update({SourceRow.credentials: ciphertext}).where(SourceRow.id == source_id)
