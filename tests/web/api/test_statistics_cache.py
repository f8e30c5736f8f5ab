"""`/api/v1/statistics` keeps the figures of recent searches per state of the register (issue 7:
the whole register's figures read every public meeting); a new log entry must make them
computed again — on SQLite and PostgreSQL."""

import httpx
from piccolo.engine.base import Engine

from tests.web.api.published import published_register, withdraw_meeting


async def test_statistics_are_computed_again_after_each_publication_log_entry(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()  # the figures of a search are kept per log head
    before = (await client.get("/api/v1/statistics")).json()
    again = (await client.get("/api/v1/statistics")).json()

    await withdraw_meeting(register.meetings[0])
    after = (await client.get("/api/v1/statistics")).json()

    assert before == again
    assert (before["meetings"], after["meetings"]) == (4, 3)
