"""Insert-or-update by primary key, the same statement on SQLite and PostgreSQL."""

from typing import Any
from uuid import UUID

from piccolo.columns import Column
from piccolo.table import Table


async def upsert(table: type[Table], row_id: UUID, values: dict[Column, Any]) -> None:
    """Write `values` to the row `row_id` of `table`, creating it if it does not exist."""
    row = table(id=row_id, **{column._meta.name: value for column, value in values.items()})
    await (
        table.insert(row)
        .on_conflict(target=table._meta.primary_key, action="DO UPDATE", values=list(values))
        .run()
    )
