"""Bulk downloads of the whole published register, regenerated when something is published.

Four files in `<data dir>/dumps/`: the register as gzipped CSV and JSON, the publication log as
gzipped JSON Lines, and `datapackage.json`, the Frictionless descriptor of them (with each file's
size and SHA-256). They are written under temporary names and renamed into place, the descriptor
last, so a reader never sees a half-written file; a lock file keeps two server processes from
writing them at once. Everything streams: memory does not grow with the register.
"""

import asyncio
import contextlib
import csv
import fcntl
import gzip
import hashlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from register.domain.publication_log import entry_line
from register.open_data import CSV_HEADER, LICENCE, json_document, meeting_row, table_schema
from register.queries import (
    MeetingFilter,
    MeetingSort,
    StoredVersion,
    iter_stored,
    published,
    register_version,
)
from register.store.repositories.publication_log import iter_entries

CSV_FILE = "registre.csv.gz"
JSON_FILE = "registre.json.gz"
LOG_FILE = "journal.jsonl.gz"
PACKAGE_FILE = "datapackage.json"
FILES = (CSV_FILE, JSON_FILE, LOG_FILE, PACKAGE_FILE)
_VERSION_FILE = "version"
_LOCK_FILE = ".lock"
_BATCH = 1000


@dataclass(frozen=True)
class DumpSummary:
    version: int
    """The publication log's last entry included."""
    meetings: int
    log_entries: int


def dumps_directory(data_dir: Path) -> Path:
    return data_dir / "dumps"


def dumped_version(directory: Path) -> str | None:
    """Which log the current dumps were made from ("<last seq>-<head hash>"), or None."""
    try:
        return (directory / _VERSION_FILE).read_text().strip() or None
    except FileNotFoundError:
        return None


def _label(seq: int, head: str) -> str:
    return f"{seq}-{head[:16]}"


@contextlib.contextmanager
def _exclusive(directory: Path) -> Iterator[bool]:
    """True when this process holds the dumps' lock (another process is writing otherwise)."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / _LOCK_FILE, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


async def refresh_dumps(data_dir: Path, *, now: datetime, force: bool = False) -> bool:
    """Write the dumps if the register changed since they were made; whether they were."""
    directory = dumps_directory(data_dir)
    current = await register_version()
    version = _label(current.last_seq, current.last_hash)
    if not force and dumped_version(directory) == version and _complete(directory):
        return False
    with _exclusive(directory) as mine:
        if not mine:
            return False
        await write_dumps(directory, now=now)
    return True


def _complete(directory: Path) -> bool:
    return all((directory / name).exists() for name in FILES)


def _gzip_text(path: Path) -> IO[str]:
    # mtime=0: the same content gives the same bytes, so hashes only change with the data.
    return io.TextIOWrapper(
        gzip.GzipFile(filename=str(path), mode="wb", mtime=0), encoding="utf-8", newline=""
    )


async def write_dumps(directory: Path, *, now: datetime) -> DumpSummary:
    """Write every file of the dumps (whatever their state) and return what they hold.

    Rows are formatted and compressed a batch at a time in a worker thread, so a large register
    never blocks the server's event loop for long."""
    await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
    current = await register_version()
    version = current.last_seq
    temporary = {name: directory / f".{name}.tmp" for name in FILES}
    meetings = 0
    csv_stream = _gzip_text(temporary[CSV_FILE])
    json_stream = _gzip_text(temporary[JSON_FILE])
    try:
        writer = csv.writer(csv_stream, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        json_stream.write("[")
        batch: list[StoredVersion] = []

        def write_batch(first: int, items: list[StoredVersion]) -> None:
            for number, meeting in enumerate(items, start=first):
                writer.writerow(meeting_row(meeting))
                json_stream.write(",\n" if number else "\n")
                document = json_document(published(meeting))
                json_stream.write(json.dumps(document, ensure_ascii=False))

        async for meeting in iter_stored(MeetingFilter(), sort=MeetingSort.OLDEST):
            if meeting.log_seq > version:
                continue  # published while writing: the next refresh takes it
            batch.append(meeting)
            if len(batch) == _BATCH:
                await asyncio.to_thread(write_batch, meetings, batch)
                meetings += len(batch)
                batch = []
        await asyncio.to_thread(write_batch, meetings, batch)
        meetings += len(batch)
        json_stream.write("\n]\n")
    finally:
        await asyncio.to_thread(csv_stream.close)
        await asyncio.to_thread(json_stream.close)
    entries = 0
    log_stream = _gzip_text(temporary[LOG_FILE])
    try:
        lines: list[str] = []
        async for entry in iter_entries():
            if entry.seq > version:
                break
            lines.append(entry_line(entry) + "\n")
            if len(lines) == _BATCH:
                await asyncio.to_thread(log_stream.writelines, lines)
                entries += len(lines)
                lines = []
        await asyncio.to_thread(log_stream.writelines, lines)
        entries += len(lines)
    finally:
        await asyncio.to_thread(log_stream.close)
    label = _label(current.last_seq, current.last_hash)
    await asyncio.to_thread(_install, directory, temporary, version=version, label=label, now=now)
    return DumpSummary(version=version, meetings=meetings, log_entries=entries)


def _install(
    directory: Path, temporary: dict[str, Path], *, version: int, label: str, now: datetime
) -> None:
    """Describe the files in the data package, then rename everything into place."""
    package = _package(temporary, version=version, now=now)
    temporary[PACKAGE_FILE].write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for name in FILES:
        os.replace(temporary[name], directory / name)
    (directory / _VERSION_FILE).write_text(f"{label}\n")


def _file_facts(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return {"bytes": path.stat().st_size, "hash": f"sha256:{digest.hexdigest()}"}


def _package(temporary: dict[str, Path], *, version: int, now: datetime) -> dict[str, Any]:
    """The Frictionless data package describing the three data files."""
    return {
        "profile": "data-package",
        "name": "registre-transparence-agendas",
        "title": "Registre de transparence des agendas",
        "description": "Meetings of public officials with interest representatives, as "
        "published, with the hash-chained publication log that records every version.",
        "version": str(version),
        "created": now.isoformat(),
        "licenses": [dict(LICENCE)],
        "resources": [
            {
                "name": "rencontres",
                "title": "Published meetings (one row per meeting, current version)",
                "path": CSV_FILE,
                "format": "csv",
                "compression": "gz",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": table_schema(),
                **_file_facts(temporary[CSV_FILE]),
            },
            {
                "name": "rencontres-json",
                "title": "Published meetings as JSON documents (same content as the CSV)",
                "path": JSON_FILE,
                "format": "json",
                "compression": "gz",
                "mediatype": "application/json",
                "encoding": "utf-8",
                **_file_facts(temporary[JSON_FILE]),
            },
            {
                "name": "journal",
                "title": "The publication log, one entry per line (verify with "
                "scripts/verify_log.py)",
                "path": LOG_FILE,
                "format": "jsonl",
                "compression": "gz",
                "mediatype": "application/jsonl",
                "encoding": "utf-8",
                **_file_facts(temporary[LOG_FILE]),
            },
        ],
    }
