"""Calendar sources and the record of each sync run."""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from register.domain.kinds import SourceKind, SyncRunStatus


class SourceHealth(BaseModel):
    """What staff see of a source: when it last worked and what last went wrong."""

    model_config = ConfigDict(frozen=True)

    last_success_at: datetime | None = None
    last_error_at: datetime | None = None
    last_error: str = ""
    consecutive_failures: int = Field(default=0, ge=0)

    @property
    def healthy(self) -> bool:
        return self.consecutive_failures == 0


class CalendarSource(BaseModel):
    """An official's calendar: credentials stay encrypted; `sync_state` is the connector's own."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    official_id: UUID
    kind: SourceKind
    url: str = Field(min_length=1, max_length=2000)
    username: str = Field(default="", max_length=300)
    enabled: bool = True
    sync_state: dict[str, Any] = Field(default_factory=dict)
    health: SourceHealth = SourceHealth()


class SyncCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    new: int = 0
    changed: int = 0
    cancelled: int = 0
    unchanged: int = 0
    failed: int = 0


class ObjectFailure(BaseModel):
    """A calendar object that could not be read: where it is and what the parser said."""

    model_config = ConfigDict(frozen=True)

    href: str
    message: str


class SyncRun(BaseModel):
    model_config = ConfigDict(frozen=True)

    source_id: UUID
    started_at: datetime
    finished_at: datetime | None = None
    status: SyncRunStatus = SyncRunStatus.RUNNING
    counts: SyncCounts = SyncCounts()
    failures: tuple[ObjectFailure, ...] = ()
    error: str = ""
    worker: str = ""
