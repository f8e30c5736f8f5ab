"""`GET /health`: whether this server can answer, checked against the database itself."""

import asyncio
import time
from typing import Any

from litestar import Controller, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE
from pydantic import BaseModel

from register import __version__
from register.store.migrate import pending_migrations
from register.store.tables import Authority
from register.store.transaction import current_engine


class DatabaseHealth(BaseModel):
    engine: str
    reachable: bool
    latency_ms: float | None
    pending_migrations: list[str]
    error: str | None = None


class Health(BaseModel):
    status: str
    version: str
    database: DatabaseHealth


CHECK_TIMEOUT = 5.0
"""Seconds the check may take: a load balancer asking gets its answer, never a hang."""


async def _probe() -> tuple[float, list[str]]:
    """The latency of a trivial query, in milliseconds, and the pending migrations."""
    started = time.perf_counter()
    await Authority.raw("SELECT 1")
    latency = (time.perf_counter() - started) * 1000
    return latency, await pending_migrations()


async def check_database() -> DatabaseHealth:
    engine = current_engine()
    try:
        latency, pending = await asyncio.wait_for(_probe(), timeout=CHECK_TIMEOUT)
    except Exception as error:
        return DatabaseHealth(
            engine=str(engine.engine_type),
            reachable=False,
            latency_ms=None,
            pending_migrations=[],
            error=f"{type(error).__name__}: {error}"[:500],
        )
    return DatabaseHealth(
        engine=str(engine.engine_type),
        reachable=True,
        latency_ms=round(latency, 2),
        pending_migrations=pending,
    )


class HealthController(Controller):
    path = "/health"
    tags = ("health",)

    @get(
        "/",
        summary="Health of this server and its database",
        description="200 when the database answers and its schema is up to date; 503 otherwise, "
        "with what is wrong. Load balancers and monitoring call it.",
        responses={
            HTTP_503_SERVICE_UNAVAILABLE: ResponseSpec(
                data_container=Health,
                description="The database is unreachable or needs migrating.",
            )
        },
        cache=False,
    )
    async def health(self) -> Response[Health]:
        database = await check_database()
        healthy = database.reachable and not database.pending_migrations
        status: dict[str, Any] = {
            "status": "ok" if healthy else "unavailable",
            "version": __version__,
            "database": database,
        }
        return Response(
            Health.model_validate(status),
            status_code=HTTP_200_OK if healthy else HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Cache-Control": "no-store"},
        )
