"""Every setting of the register, read from the environment in one place.

The README's configuration table lists the same variables; `tests/unit/test_settings.py` checks
that it stays complete.
"""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings come from `REGISTER_*` variables, and `DATABASE_URL` for the database."""

    model_config = SettingsConfigDict(env_prefix="REGISTER_", extra="ignore", frozen=True)

    data_dir: Path = Field(
        default=Path("data"),
        description="Where the SQLite database and other local state live (REGISTER_DATA_DIR).",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "REGISTER_DATABASE_URL"),
        description="postgresql://user:password@host:port/database to use PostgreSQL instead of "
        "the embedded SQLite file (DATABASE_URL).",
    )
    host: str = Field(default="127.0.0.1", description="Address the server listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the server listens on.")
    workers: int = Field(default=1, ge=1, le=64, description="Server processes.")
    base_url: str | None = Field(
        default=None,
        description="The register's public address (https://…), used in feeds and links; "
        "defaults to the address requests arrive on.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Least severe log level written."
    )
    log_format: Literal["console", "json"] = Field(
        default="console", description="`json` writes one JSON object per line (for log shippers)."
    )
    debug: bool = Field(
        default=False, description="Tracebacks in error pages; never in production."
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Fernet key encrypting calendar credentials; by default a key file in the "
        "data directory, created on first use.",
    )
    session_hours: int = Field(
        default=12,
        ge=1,
        le=24 * 30,
        description="Hours a staff log-in lasts before a new one is needed.",
    )
    secure_cookies: bool | None = Field(
        default=None,
        description="Send staff cookies only over HTTPS (`Secure`). By default on when "
        "REGISTER_BASE_URL starts with https://; set it to true behind a TLS-terminating proxy "
        "without a base URL, false only for local trials over plain HTTP.",
    )
    sync_interval: int = Field(
        default=300,
        ge=0,
        description="Seconds between two background syncs of each calendar source (0: off).",
    )
    sync_lease_seconds: int = Field(
        default=600,
        ge=1,
        le=24 * 3600,
        description="Seconds a sync worker's hold on a calendar source lasts unless renewed; "
        "a running sync renews it every third of this, so a worker that dies loses its "
        "sources after at most this long, and another worker takes them over.",
    )
    sync_poll_seconds: int = Field(
        default=30,
        ge=1,
        le=3600,
        description="Seconds an idle sync worker (or server) waits before looking again for "
        "sources that are due.",
    )
    dumps_interval: int = Field(
        default=60,
        ge=0,
        description="Seconds between two checks for new publications to put in the bulk "
        "downloads (0: only when a download is asked for).",
    )
    api_rate_limit: int = Field(
        default=600,
        ge=0,
        description="Requests a minute that one client address may make to the JSON API "
        "(/api/v1) before a 429 answer (0: no limit). Counted per server process.",
    )
    retention_days: int = Field(
        default=365,
        ge=0,
        le=36500,
        description="Days after a meeting's date before the private data of a meeting never "
        "published (its calendar text, attendees, draft record) is purged, for authorities "
        "without a period of their own (`register retention`); 0: never purge.",
    )
    sync_window_back_days: int = Field(
        default=365, ge=1, le=3660, description="Days back within which recurrences are expanded."
    )
    sync_window_ahead_days: int = Field(
        default=365, ge=1, le=3660, description="Days ahead within which recurrences are expanded."
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def cookies_secure(self) -> bool:
        if self.secure_cookies is not None:
            return self.secure_cookies
        return bool(self.base_url and self.base_url.startswith("https://"))

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "register.sqlite3"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
