"""The floor of each API request: its SQL, run through the driver the application uses
(aiosqlite on SQLite), on one connection kept open, every row fetched as a plain tuple."""

import asyncio
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import aiosqlite

from bench.api_cases import Bare


class BareSQLite:
    """One read-only aiosqlite connection and an event loop of its own, so that the benchmark's
    synchronous loop can time a statement list as the application's handler would run it."""

    def __init__(self, database: Path) -> None:
        self._loop = asyncio.new_event_loop()
        self._database = database
        self._connection: aiosqlite.Connection | None = None

    def __enter__(self) -> "BareSQLite":
        self._connection = self._loop.run_until_complete(
            aiosqlite.connect(f"file:{self._database}?mode=ro", uri=True)
        )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            self._loop.run_until_complete(self._connection.close())
        self._loop.close()

    async def _run(self, bare: Bare) -> tuple[float, list[list[Any]]]:
        if self._connection is None:
            raise RuntimeError("not connected")
        started = time.perf_counter()
        results = []
        for sql, params in bare.statements:
            async with self._connection.execute(sql, params) as cursor:
                results.append(list(await cursor.fetchall()))
        return time.perf_counter() - started, results

    def run(self, bare: Bare) -> tuple[float, list[list[Any]]]:
        """Seconds taken, and each statement's rows."""
        return self._loop.run_until_complete(self._run(bare))
