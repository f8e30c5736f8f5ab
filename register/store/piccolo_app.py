"""The Piccolo app that holds the register's tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from register.store.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="register",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=list(TABLES),
    migration_dependencies=[],
    commands=[],
)
