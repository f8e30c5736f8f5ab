"""Authorities and their policies."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from register.domain.authority import Authority
from register.domain.kinds import AuthorityKind
from register.domain.policy import Policy
from register.store.repositories.upsert import upsert
from register.store.tables import Authority as AuthorityRow


def _from_row(row: dict[str, Any]) -> Authority:
    return Authority(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        kind=AuthorityKind(row["kind"]),
        siren=row["siren"],
        timezone=row["timezone"],
        website=row["website"],
        policy=Policy.model_validate(row["policy"] or {}),
    )


async def save_authority(authority: Authority) -> None:
    """Insert or update by id."""
    values = {
        AuthorityRow.slug: authority.slug,
        AuthorityRow.name: authority.name,
        AuthorityRow.kind: authority.kind.value,
        AuthorityRow.siren: authority.siren,
        AuthorityRow.timezone: authority.timezone,
        AuthorityRow.website: authority.website,
        AuthorityRow.policy: authority.policy.model_dump(mode="json"),
        AuthorityRow.updated_at: datetime.now(UTC),
    }
    await upsert(AuthorityRow, authority.id, values)


async def get_authority(authority_id: UUID) -> Authority | None:
    row = (
        await AuthorityRow.select()
        .where(AuthorityRow.id == authority_id)
        .output(load_json=True)
        .first()
    )
    return None if row is None else _from_row(row)


async def get_authority_by_slug(slug: str) -> Authority | None:
    row = (
        await AuthorityRow.select().where(AuthorityRow.slug == slug).output(load_json=True).first()
    )
    return None if row is None else _from_row(row)


async def list_authorities() -> list[Authority]:
    rows = await AuthorityRow.select().order_by(AuthorityRow.name).output(load_json=True)
    return [_from_row(row) for row in rows]
