"""Backups that any engine can restore: `register backup` and `register restore`.

A backup is one gzip stream of JSON Lines: a header (format, schema migrations, engine, time),
then for each table a line naming its columns followed by one line per row (values in that
order), then an end line with the row counts, the publication log's length and head hash, and a
SHA-256 of every line before it. One stream, written and read a line at a time, keeps memory
flat whatever the register's size, and JSON values let a SQLite register move to PostgreSQL.

The rows are read in one snapshot, so a backup of a running register is consistent. A restore
first reads the whole file to check it (a truncated or altered file is refused before anything
is written), then inserts every row in one transaction into an empty, migrated database, and
verifies the log's hash chain. Staff sessions and failed log-ins are left out: a restored
register asks staff to log in again.
"""

import gzip
import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from piccolo.table import Table

from register import __version__
from register.domain.publication_log import ChainProblem
from register.store.migrate import applied_migrations, known_migrations
from register.store.repositories import table_rows
from register.store.repositories.public_register import (
    public_register_is_current,
    rebuild_public_register,
)
from register.store.repositories.publication_log import verify_log
from register.store.transaction import current_engine, writing

FORMAT = "agenda-register-backup"
FORMAT_VERSION = 1
INSERT_BATCH = 2000


class BackupError(ValueError):
    """A backup that cannot be restored here, with what is wrong and where."""


@dataclass
class BackupSummary:
    """What a backup holds, from its header and end line."""

    created_at: str
    engine: str
    register_version: str
    migrations: list[str]
    rows: dict[str, int] = field(default_factory=dict)
    log_entries: int = 0
    log_head: str = ""

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupSummary
    log_checked: int
    log_problems: list[ChainProblem]
    public_meetings: int


def _line(document: Any) -> bytes:
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


async def write_backup(output: IO[bytes], *, now: datetime) -> BackupSummary:
    """Write the register's tables to `output` as a backup; returns what it holds."""
    digest = hashlib.sha256()
    with gzip.GzipFile(fileobj=output, mode="wb", mtime=0, compresslevel=6) as stream:

        def emit(document: Any) -> None:
            line = _line(document)
            digest.update(line)
            stream.write(line)

        async with table_rows.snapshot():
            summary = BackupSummary(
                created_at=now.isoformat(),
                engine=str(current_engine().engine_type),
                register_version=__version__,
                migrations=await applied_migrations(),
            )
            emit(
                {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": summary.created_at,
                    "engine": summary.engine,
                    "register_version": summary.register_version,
                    "migrations": summary.migrations,
                }
            )
            for table in table_rows.KEPT:
                name = table._meta.tablename
                emit({"table": name, "columns": table_rows.column_names(table)})
                count = 0
                async for row in table_rows.iter_rows(table):
                    emit(row)
                    count += 1
                summary.rows[name] = count
            summary.log_entries, summary.log_head = await table_rows.log_head()
        stream.write(
            _line(
                {
                    "end": {
                        "rows": summary.rows,
                        "log": {"entries": summary.log_entries, "head": summary.log_head},
                    },
                    "sha256": digest.hexdigest(),
                }
            )
        )
    return summary


@dataclass
class _Section:
    table: str
    columns: list[str]
    rows: int = 0


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """The decompressed lines, numbered from 1, with gzip's own failures made precise."""
    number = 0
    try:
        with gzip.open(path, "rb") as stream:
            for number, line in enumerate(stream, start=1):
                yield number, line
    except FileNotFoundError as error:
        raise BackupError(f"{path}: no such file") from error
    except EOFError as error:
        raise BackupError(
            f"{path} is truncated: the compressed data ends after line {number}, before its end "
            "(an interrupted copy or a full disk?)"
        ) from error
    except gzip.BadGzipFile as error:
        raise BackupError(
            f"{path} is not a readable backup: {error} (after line {number}); it was altered "
            "or damaged after it was written"
        ) from error
    except (zlib.error, OSError) as error:
        raise BackupError(
            f"{path} is damaged: {error} (after line {number}); it was altered or damaged after "
            "it was written"
        ) from error


def _document(path: Path, number: int, line: bytes) -> Any:
    try:
        return json.loads(line)
    except ValueError as error:
        raise BackupError(f"{path}, line {number}: not a JSON line ({error})") from error


def read_backup(path: Path) -> Iterator[tuple[str, Any]]:
    """The backup's content as ("header", summary), ("table", section), ("row", values) and
    finally ("end", summary), checking its structure, counts and checksum as it goes. Rows are
    handed out before the checksum is known: `check_backup` reads the whole file first."""
    digest = hashlib.sha256()
    summary: BackupSummary | None = None
    section: _Section | None = None
    counted: dict[str, int] = {}
    ended = False
    for number, line in _lines(path):
        document = _document(path, number, line)
        if ended:
            raise BackupError(f"{path}, line {number}: content after the end line")
        if summary is None:
            summary = _header(path, document)
            digest.update(line)
            yield "header", summary
            continue
        if isinstance(document, list):
            if section is None:
                raise BackupError(f"{path}, line {number}: a row before any table")
            if len(document) != len(section.columns):
                raise BackupError(
                    f"{path}, line {number}: a row of {section.table} with {len(document)} "
                    f"values for {len(section.columns)} columns"
                )
            digest.update(line)
            section.rows += 1
            counted[section.table] = section.rows
            yield "row", document
        elif isinstance(document, dict) and "table" in document:
            section = _Section(table=str(document["table"]), columns=list(document["columns"]))
            if section.table in counted:
                raise BackupError(f"{path}, line {number}: table {section.table} appears twice")
            counted[section.table] = 0
            digest.update(line)
            yield "table", section
        elif isinstance(document, dict) and "end" in document:
            ended = True
            _check_end(path, number, document, counted, digest.hexdigest())
            summary.rows = counted
            summary.log_entries = int(document["end"]["log"]["entries"])
            summary.log_head = str(document["end"]["log"]["head"])
            yield "end", summary
        else:
            raise BackupError(f"{path}, line {number}: neither a row, a table nor the end line")
    if summary is None:
        raise BackupError(f"{path} is empty: not a backup")
    if not ended:
        raise BackupError(
            f"{path} is truncated: it stops after {sum(counted.values())} rows without its end "
            "line (an interrupted backup?)"
        )


def _header(path: Path, document: Any) -> BackupSummary:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not a register backup (its first line has no {FORMAT!r})")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is a backup in format version {document.get('format_version')}; this "
            f"version of the register reads version {FORMAT_VERSION}"
        )
    return BackupSummary(
        created_at=str(document["created_at"]),
        engine=str(document["engine"]),
        register_version=str(document["register_version"]),
        migrations=[str(m) for m in document["migrations"]],
    )


def _check_end(
    path: Path, number: int, document: dict[str, Any], counted: dict[str, int], digest: str
) -> None:
    if document.get("sha256") != digest:
        raise BackupError(
            f"{path}: the checksum does not match its content (line {number}): the file was "
            "altered after it was written"
        )
    declared = {str(k): int(v) for k, v in document["end"]["rows"].items()}
    if declared != counted:
        raise BackupError(
            f"{path}, line {number}: the end line counts {declared} rows but the file holds "
            f"{counted}"
        )


def _table(path: Path, name: str) -> type[Table]:
    table = table_rows.table_named(name)
    if table is None:
        raise BackupError(f"{path}: table {name!r} is unknown to this version")
    return table


def check_backup(path: Path) -> BackupSummary:
    """Read the whole backup and check it (structure, counts, checksum, schema), writing
    nothing; returns what it holds."""
    summary: BackupSummary | None = None
    for kind, value in read_backup(path):
        if kind == "table":
            table = _table(path, value.table)
            unknown = set(value.columns) - set(table_rows.column_names(table))
            if unknown:
                raise BackupError(
                    f"{path}: columns {sorted(unknown)} of table {value.table} are unknown to "
                    "this version"
                )
        if kind == "end":
            summary = value
    if summary is None:  # pragma: no cover - read_backup raises unless the file ends properly
        raise BackupError(f"{path} is truncated")
    newer = [m for m in summary.migrations if m not in set(known_migrations())]
    if newer:
        raise BackupError(
            f"{path} comes from a newer version of the register (schema migrations "
            f"{', '.join(newer)} are unknown here): upgrade the register, then restore"
        )
    return summary


async def restore_backup(path: Path, *, force: bool = False) -> RestoreResult:
    """Restore `path` into the current (migrated) database, which must be empty unless
    `force`, in which case everything in it is replaced."""
    summary = check_backup(path)
    occupied = await table_rows.non_empty_tables()
    if occupied and not force:
        raise BackupError(
            f"the database is not empty (it has rows in {', '.join(occupied)}): restore into "
            "an empty database, or pass --force to replace everything in it"
        )
    async with writing():
        if force:
            await table_rows.empty_every_table()
        await _insert_everything(path)
        await table_rows.reset_sequences()
    if not await public_register_is_current():  # a backup written while a publication ran
        await rebuild_public_register()
    public = await table_rows.public_meetings()
    checked, problems = await verify_log()
    entries, head = await table_rows.log_head()
    if (entries, head) != (summary.log_entries, summary.log_head):
        raise BackupError(
            f"the restored publication log ends at entry {entries} ({head or 'empty'}), not at "
            f"entry {summary.log_entries} ({summary.log_head or 'empty'}) as the backup says"
        )
    return RestoreResult(summary, checked, problems, public)


async def _insert_everything(path: Path) -> None:
    section: _Section | None = None
    pending: list[list[Any]] = []
    references: dict[str, list[tuple[Any, Any]]] = {}
    wanted: dict[str, tuple[int, int]] = {}

    async def flush() -> None:
        if section is None:
            return
        table = _table(path, section.table)
        if pending:
            await table_rows.insert_rows(table, section.columns, pending)
            pending.clear()

    async def finish_table() -> None:
        await flush()
        if section is None:
            return
        table = _table(path, section.table)
        for name, pairs in references.items():
            await table_rows.set_references(table, name, pairs)
        references.clear()

    for kind, value in read_backup(path):
        if kind == "table":
            await finish_table()
            section = value
            table = _table(path, value.table)
            key = table._meta.primary_key._meta.name
            wanted = {
                name: (value.columns.index(key), value.columns.index(name))
                for name in table_rows.self_references(table)
                if name in value.columns
            }
        elif kind == "row":
            pending.append(value)
            for name, (key_at, at) in wanted.items():
                if value[at] is not None:
                    references.setdefault(name, []).append((value[key_at], value[at]))
            if len(pending) >= INSERT_BATCH:
                await flush()
    await finish_table()
