"""The application driven in process, in the test's own event loop (Litestar's test client runs
it in another loop, which asyncpg refuses).

The app's start-up hooks are not run here: the session's database is already prepared and, on
PostgreSQL, its pool already started. The CLI tests start real servers, hooks included.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from piccolo.engine.base import Engine

from register.settings import Settings
from register.web import create_app


@pytest.fixture
async def client(db: Engine, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(data_dir=tmp_path), engine=db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://register.test"
    ) as http:
        yield http
