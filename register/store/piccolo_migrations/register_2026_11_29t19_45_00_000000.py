"""Data retention: each authority's retention period, and when a meeting's private data was
purged (see `register.services.retention`)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-29T19:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "authority.retention_days, meeting.purged_at"


def _params(default: object) -> dict[str, object]:
    return {
        "default": default,
        "null": True,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Authority",
        tablename="authority",
        column_name="retention_days",
        db_column_name="retention_days",
        column_class_name="Integer",
        column_class=Integer,
        params=_params(None),
        schema=None,
    )

    manager.add_column(
        table_class_name="Meeting",
        tablename="meeting",
        column_name="purged_at",
        db_column_name="purged_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=_params(None),
        schema=None,
    )

    return manager
