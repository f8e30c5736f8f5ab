"""Calendar sources. Credentials arrive and leave as ciphertext: encryption is the services'
job (issue 3), so this module never sees a clear password."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from register.domain.kinds import SourceKind
from register.domain.source import CalendarSource, SourceHealth
from register.store.repositories.upsert import upsert
from register.store.tables import CalendarSource as SourceRow


def _from_row(row: dict[str, Any]) -> CalendarSource:
    return CalendarSource(
        id=row["id"],
        official_id=row["official"],
        kind=SourceKind(row["kind"]),
        url=row["url"],
        username=row["username"],
        enabled=row["enabled"],
        sync_state=row["sync_state"] or {},
        health=SourceHealth(
            last_success_at=row["last_success_at"],
            last_error_at=row["last_error_at"],
            last_error=row["last_error"],
            consecutive_failures=row["consecutive_failures"],
        ),
    )


async def save_source(source: CalendarSource, *, credentials_ciphertext: str) -> None:
    await upsert(
        SourceRow,
        source.id,
        {
            SourceRow.official: source.official_id,
            SourceRow.kind: source.kind.value,
            SourceRow.url: source.url,
            SourceRow.username: source.username,
            SourceRow.credentials: credentials_ciphertext,
            SourceRow.enabled: source.enabled,
            SourceRow.sync_state: source.sync_state,
            SourceRow.last_success_at: source.health.last_success_at,
            SourceRow.last_error_at: source.health.last_error_at,
            SourceRow.last_error: source.health.last_error,
            SourceRow.consecutive_failures: source.health.consecutive_failures,
            SourceRow.updated_at: datetime.now(UTC),
        },
    )


async def get_source(source_id: UUID) -> tuple[CalendarSource, str] | None:
    """The source and its credentials' ciphertext."""
    row = await SourceRow.select().where(SourceRow.id == source_id).output(load_json=True).first()
    return None if row is None else (_from_row(row), row["credentials"])


async def list_sources() -> list[CalendarSource]:
    rows = await SourceRow.select().order_by(SourceRow.created_at).output(load_json=True)
    return [_from_row(row) for row in rows]
