"""The audit trail: who changed what, and when. Staff only, append only."""

from typing import Any

from register.domain.staff import AuditEvent
from register.store.tables import AuditEvent as AuditRow


def _from_row(row: dict[str, Any]) -> AuditEvent:
    return AuditEvent(
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        changes=row["changes"] or {},
        user_id=row["user"],
    )


async def record_event(event: AuditEvent) -> None:
    await AuditRow.insert(
        AuditRow(
            at=event.at,
            user=event.user_id,
            actor=event.actor,
            action=event.action,
            entity=event.entity,
            entity_id=event.entity_id,
            changes=event.changes,
        )
    )


async def events_for(entity: str, entity_id: str) -> list[AuditEvent]:
    rows = (
        await AuditRow.select()
        .where(AuditRow.entity == entity, AuditRow.entity_id == entity_id)
        .order_by(AuditRow._meta.primary_key)
        .output(load_json=True)
    )
    return [_from_row(row) for row in rows]


async def recent_events(
    *, limit: int = 100, offset: int = 0, entity_id: str | None = None, actor: str | None = None
) -> tuple[list[AuditEvent], int]:
    """The latest events first, optionally for one entity or one actor, and how many match."""
    query = AuditRow.select()
    count = AuditRow.count()
    if entity_id:
        query = query.where(AuditRow.entity_id == entity_id)
        count = count.where(AuditRow.entity_id == entity_id)
    if actor:
        query = query.where(AuditRow.actor == actor)
        count = count.where(AuditRow.actor == actor)
    rows = (
        await query.order_by(AuditRow._meta.primary_key, ascending=False)
        .limit(limit)
        .offset(offset)
        .output(load_json=True)
    )
    return [_from_row(row) for row in rows], await count
