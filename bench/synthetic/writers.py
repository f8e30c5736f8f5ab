"""Bulk writers: SQLite's `executemany` and PostgreSQL's binary `COPY`, all in one
transaction, then the statistics the query planner needs."""

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import asyncpg

from bench.synthetic.rows import TableRows


class Writer(Protocol):
    engine: str

    async def defer_indexes(self, tables: Sequence[str]) -> None:
        """Drop the secondary indexes of `tables` until `restore_indexes`: one sorted build
        at the end costs a fraction of millions of scattered inserts."""

    async def restore_indexes(self) -> None:
        """Create the deferred indexes again, with the very statements that made them."""

    async def write(self, table: TableRows, rows: Sequence[Sequence[Any]]) -> None: ...

    async def commit(self) -> None: ...

    async def optimise(self) -> None: ...

    async def size(self) -> int: ...

    async def close(self) -> None: ...


class SQLiteWriter:
    """One connection, one transaction. The load runs without a rollback journal and without
    syncing to disk (a failed load is thrown away, never repaired); WAL mode, which the
    register uses, is turned back on at the end."""

    engine = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = sqlite3.connect(path, isolation_level=None)
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "foreign_keys=ON",
            "cache_size=-262144",  # 256 MiB: the pages being filled stay in memory
            "temp_store=MEMORY",
        ):
            self.connection.execute(f"PRAGMA {pragma}")
        self.connection.execute("BEGIN")
        self._statements: dict[str, str] = {}
        self._deferred: list[str] = []

    async def defer_indexes(self, tables: Sequence[str]) -> None:
        marks = ", ".join("?" for _ in tables)
        rows = self.connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
            f"AND tbl_name IN ({marks}) ORDER BY rowid",
            list(tables),
        ).fetchall()
        for name, sql in rows:
            self.connection.execute(f'DROP INDEX "{name}"')
            self._deferred.append(sql)

    async def restore_indexes(self) -> None:
        for sql in self._deferred:
            self.connection.execute(sql)
        self._deferred = []

    async def write(self, table: TableRows, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        statement = self._statements.get(table.name)
        if statement is None:
            names = ", ".join(f'"{name}"' for name in table.columns)
            marks = ", ".join("?" for _ in table.columns)
            statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'  # noqa: S608
            self._statements[table.name] = statement
        self.connection.executemany(statement, rows)

    async def commit(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.execute("PRAGMA journal_mode=WAL")

    async def optimise(self) -> None:
        """Statistics for the query planner. `PRAGMA optimize` alone analyses only the tables
        this connection has queried (before SQLite 3.46), none after a bulk load: ANALYZE
        them all first, sampling at most 2,000 rows per index (seconds, not minutes)."""
        self.connection.execute("PRAGMA analysis_limit=2000")
        self.connection.execute("ANALYZE")
        self.connection.execute("PRAGMA optimize")

    async def size(self) -> int:
        return sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
            if p.exists()
        )

    async def close(self) -> None:
        if self.connection.in_transaction:  # a failed load: nothing of it is kept
            self.connection.execute("ROLLBACK")
        else:
            self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.connection.close()


class PostgresWriter:
    """One connection, one transaction, binary COPY of each chunk."""

    engine = "postgres"

    def __init__(self, connection: asyncpg.Connection, transaction: Any) -> None:
        self.connection = connection
        self.transaction = transaction
        self._deferred: list[str] = []

    async def defer_indexes(self, tables: Sequence[str]) -> None:
        """Indexes that back a constraint (primary keys, unique columns) stay."""
        rows = await self.connection.fetch(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.indexname
            """,
            list(tables),
        )
        for row in rows:
            await self.connection.execute(f'DROP INDEX "{row["indexname"]}"')
            self._deferred.append(row["indexdef"])

    async def restore_indexes(self) -> None:
        await self.connection.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for statement in self._deferred:
            await self.connection.execute(statement)
        self._deferred = []

    @classmethod
    async def open(cls, url: str) -> "PostgresWriter":
        connection = await asyncpg.connect(url)
        await connection.execute("SET synchronous_commit = off")
        transaction = connection.transaction()
        await transaction.start()
        return cls(connection, transaction)

    async def write(self, table: TableRows, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            await self.connection.copy_records_to_table(
                table.name, records=rows, columns=table.columns
            )

    async def commit(self) -> None:
        await self.transaction.commit()

    async def optimise(self) -> None:
        """VACUUM then ANALYZE: statistics for the planner, and the visibility map that lets
        counts use index-only scans (without it, autovacuum would do it during the first
        benchmark run)."""
        await self.connection.execute("VACUUM (ANALYZE)")

    async def size(self) -> int:
        return int(await self.connection.fetchval("SELECT pg_database_size(current_database())"))

    async def close(self) -> None:
        await self.connection.close()
