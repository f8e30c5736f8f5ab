"""The directory of interest representatives."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from piccolo.columns import Column

from register.domain.representative import InterestRepresentative
from register.store.repositories.upsert import upsert
from register.store.tables import InterestRepresentative as RepresentativeRow


def representative_from_row(row: dict[str, Any]) -> InterestRepresentative:
    return InterestRepresentative(
        id=row["id"],
        name=row["name"],
        aliases=tuple(row["aliases"] or ()),
        acronym=row["acronym"],
        hatvp_id=row["hatvp_id"],
        siren=row["siren"],
        rna=row["rna"],
        eu_transparency_id=row["eu_transparency_id"],
        email_domains=tuple(row["email_domains"] or ()),
        website=row["website"],
        category=row["category"],
        hatvp_registered=row["hatvp_registered"],
        merged_into_id=row["merged_into"],
    )


def representative_values(representative: InterestRepresentative) -> dict[Column, Any]:
    """Every column of a representative's row but its id."""
    return {
        RepresentativeRow.name: representative.name,
        RepresentativeRow.aliases: list(representative.aliases),
        RepresentativeRow.acronym: representative.acronym,
        RepresentativeRow.hatvp_id: representative.hatvp_id,
        RepresentativeRow.siren: representative.siren,
        RepresentativeRow.rna: representative.rna,
        RepresentativeRow.eu_transparency_id: representative.eu_transparency_id,
        RepresentativeRow.email_domains: list(representative.email_domains),
        RepresentativeRow.website: representative.website,
        RepresentativeRow.category: representative.category,
        RepresentativeRow.hatvp_registered: representative.hatvp_registered,
        RepresentativeRow.merged_into: representative.merged_into_id,
        RepresentativeRow.updated_at: datetime.now(UTC),
    }


async def save_representative(representative: InterestRepresentative) -> None:
    await upsert(RepresentativeRow, representative.id, representative_values(representative))


async def get_representative(representative_id: UUID) -> InterestRepresentative | None:
    row = (
        await RepresentativeRow.select()
        .where(RepresentativeRow.id == representative_id)
        .output(load_json=True)
        .first()
    )
    return None if row is None else representative_from_row(row)


async def representatives_by_id(ids: Iterable[UUID]) -> dict[UUID, InterestRepresentative]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = (
        await RepresentativeRow.select()
        .where(RepresentativeRow.id.is_in(wanted))
        .output(load_json=True)
    )
    return {row["id"]: representative_from_row(row) for row in rows}


async def list_representatives() -> list[InterestRepresentative]:
    rows = await RepresentativeRow.select().order_by(RepresentativeRow.name).output(load_json=True)
    return [representative_from_row(row) for row in rows]


async def directory_version() -> tuple[int, str]:
    """A value that changes whenever the directory does (an import, an edit, a merge): its
    size and its latest change; cheap enough to ask before every sync."""
    rows = await RepresentativeRow.raw(
        "SELECT COUNT(*) AS n, MAX(updated_at) AS latest FROM interest_representative"
    )
    row = rows[0]
    return int(row["n"]), str(row["latest"])
