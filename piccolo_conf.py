"""Piccolo's configuration for its own CLI run from a checkout (`piccolo migrations …`).

The engine follows `DATABASE_URL` (PostgreSQL) or `REGISTER_DATA_DIR` (SQLite); see
`register/store/conf.py`.
"""

from register.store.conf import APP_REGISTRY, DB

__all__ = ["APP_REGISTRY", "DB"]
