"""Officials of an authority."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from register.domain.kinds import OfficialKind
from register.domain.official import Official
from register.store.repositories.upsert import upsert
from register.store.tables import Official as OfficialRow


def _from_row(row: dict[str, Any]) -> Official:
    return Official(
        id=row["id"],
        authority_id=row["authority"],
        slug=row["slug"],
        full_name=row["full_name"],
        kind=OfficialKind(row["kind"]),
        role=row["role"],
        portfolio=row["portfolio"],
        mandate_start=row["mandate_start"],
        mandate_end=row["mandate_end"],
        in_scope=row["in_scope"],
        email=row["email"],
    )


async def save_official(official: Official) -> None:
    await upsert(
        OfficialRow,
        official.id,
        {
            OfficialRow.authority: official.authority_id,
            OfficialRow.slug: official.slug,
            OfficialRow.full_name: official.full_name,
            OfficialRow.kind: official.kind.value,
            OfficialRow.role: official.role,
            OfficialRow.portfolio: official.portfolio,
            OfficialRow.mandate_start: official.mandate_start,
            OfficialRow.mandate_end: official.mandate_end,
            OfficialRow.in_scope: official.in_scope,
            OfficialRow.email: official.email,
            OfficialRow.updated_at: datetime.now(UTC),
        },
    )


async def get_official(official_id: UUID) -> Official | None:
    row = await OfficialRow.select().where(OfficialRow.id == official_id).first()
    return None if row is None else _from_row(row)


async def officials_by_id(ids: Iterable[UUID]) -> dict[UUID, Official]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = await OfficialRow.select().where(OfficialRow.id.is_in(wanted))
    return {row["id"]: _from_row(row) for row in rows}


async def list_officials(authority_id: UUID) -> list[Official]:
    rows = (
        await OfficialRow.select()
        .where(OfficialRow.authority == authority_id)
        .order_by(OfficialRow.full_name)
    )
    return [_from_row(row) for row in rows]


async def officials_with_slug(slug: str) -> list[Official]:
    """Officials of any authority with this slug (slugs are unique within an authority)."""
    rows = await OfficialRow.select().where(OfficialRow.slug == slug)
    return [_from_row(row) for row in rows]
