"""The test databases: SQLite in a temporary directory always, PostgreSQL when it answers.

PostgreSQL tests skip with a reason on a machine without the server, unless
REGISTER_REQUIRE_POSTGRES=1 (set by .ci/run), which makes its absence a failure.
"""

import asyncio
import os
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

ADMIN_URL = os.environ.get(
    "REGISTER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def postgres_required() -> bool:
    return os.environ.get("REGISTER_REQUIRE_POSTGRES", "") not in {"", "0", "false", "no"}


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


async def _admin_async(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _admin(statement: str) -> None:
    """Run one administrative statement on its own loop, in a thread: fixtures that need it
    may be set up while the tests' event loop is already running."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _admin_async(statement)).result()


def postgres_unavailable_reason() -> str | None:
    """Why PostgreSQL cannot be used here, or None when it can."""
    try:
        _admin("SELECT 1")
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        return f"PostgreSQL is not reachable at {ADMIN_URL}: {error}"
    return None


def skip_or_fail_without_postgres(reason: str) -> None:
    if postgres_required():
        pytest.fail(f"REGISTER_REQUIRE_POSTGRES is set but {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def fresh_postgres_database(prefix: str = "register_test") -> Iterator[str]:
    """A new, empty database for one use, dropped afterwards; yields its URL."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    _admin(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(ADMIN_URL, name)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
