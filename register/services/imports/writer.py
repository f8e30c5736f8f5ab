"""Matching records against the directory and writing them, a batch at a time.

A batch costs three queries whatever its size (the organisations holding its identifiers, those
its names point at, one multi-row upsert), inside one write transaction, so that a 4,000-record
register imports in seconds and memory holds one batch, never the file.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from register.domain.representative import InterestRepresentative
from register.services.imports.reconcile import combine
from register.services.imports.records import Candidate, Rejected, SourceError
from register.services.imports.source import (
    CountingReader,
    ProgressCallback,
    open_source,
    reporter,
)
from register.services.imports.summary import ImportSummary
from register.store.repositories import directory
from register.store.repositories.representatives import representatives_by_id
from register.store.transaction import writing

DEFAULT_BATCH = 250


@dataclass
class _Batch:
    """The organisations a batch may touch, as they will be once the batch is written."""

    live: dict[UUID, InterestRepresentative] = field(default_factory=dict)
    holders: dict[str, set[UUID]] = field(default_factory=lambda: defaultdict(set))
    dirty: dict[UUID, InterestRepresentative] = field(default_factory=dict)

    def put(self, representative: InterestRepresentative, *, changed: bool = True) -> None:
        self.live[representative.id] = representative
        for value in directory.identifiers_of(representative).values():
            self.holders[value].add(representative.id)
        if changed:
            self.dirty[representative.id] = representative


class DirectoryWriter:
    """Applies candidates to the directory and counts what happened in `summary`."""

    def __init__(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.names: dict[str, set[UUID]] | None = None

    async def apply(self, candidates: list[Candidate]) -> None:
        if not candidates:
            return
        async with writing():
            batch = await self._load(candidates)
            for candidate in candidates:
                self._apply_one(candidate, batch)
            await directory.upsert_representatives(list(batch.dirty.values()))

    async def _load(self, candidates: list[Candidate]) -> _Batch:
        """The organisations holding the batch's identifiers (as the records they were merged
        into) and, for records without identifiers, those of the same normalised name."""
        batch = _Batch()
        found = await directory.find_by_identifiers({k for c in candidates for k in c.keys})
        kept = await directory.kept_records(found)
        for record in found:
            target = kept[record.id]
            batch.put(target, changed=False)
            for value in directory.identifiers_of(record).values():
                batch.holders[value].add(target.id)
        nameless = [c for c in candidates if not c.keys]
        if nameless:
            if self.names is None:
                self.names = await directory.name_index()
            wanted = {i for c in nameless for i in self.names.get(_name_key(c), ())}
            for representative in (await representatives_by_id(wanted)).values():
                batch.put(representative, changed=False)
        return batch

    def _match(self, candidate: Candidate, batch: _Batch) -> UUID | None:
        for key in candidate.keys:
            holders = batch.holders.get(key)
            if holders:
                if len(holders) > 1:
                    self.summary.warn(
                        candidate.position,
                        f"{len(holders)} organisations hold {key}: updated the oldest "
                        "(see `register directory duplicates`)",
                    )
                return min(holders)
        if candidate.keys or self.names is None:
            return None
        named = self.names.get(_name_key(candidate), set())
        if len(named) > 1:
            raise _AmbiguousNameError(len(named))
        return next(iter(named), None)

    def _apply_one(self, candidate: Candidate, batch: _Batch) -> None:
        try:
            target = self._match(candidate, batch)
        except _AmbiguousNameError as ambiguous:
            self.summary.skip(
                candidate.position,
                f"{ambiguous.count} organisations are named «{candidate.representative.name}» "
                "and the record has no identifier: merge them first",
            )
            return
        for warning in candidate.warnings:
            self.summary.warn(candidate.position, warning)
        if target is None:
            created = candidate.representative
            batch.put(created)
            if self.names is not None:
                self.names.setdefault(_name_key(candidate), set()).add(created.id)
            self.summary.created += 1
            return
        existing = batch.live[target]
        updated, warnings = combine(
            existing,
            candidate,
            lambda value: next((i for i in batch.holders.get(value, ()) if i != target), None),
        )
        for warning in warnings:
            self.summary.warn(candidate.position, warning)
        if updated == existing:
            self.summary.unchanged += 1
        else:
            batch.put(updated)
            self.summary.updated += 1


class _AmbiguousNameError(Exception):
    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def _name_key(candidate: Candidate) -> str:
    return directory.normalised_name(candidate.representative.name)


async def run_import(
    summary: ImportSummary,
    records: Iterable[Candidate | Rejected],
    *,
    on_batch: Callable[[], None] | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> ImportSummary:
    """Read `records` to the end, writing them in batches; a SourceError raised while reading
    ends the reading but not the writing of what was read before it."""
    writer = DirectoryWriter(summary)
    pending: list[Candidate] = []
    try:
        for record in records:
            summary.read += 1
            if isinstance(record, Rejected):
                summary.skip(record.position, record.reason)
                continue
            pending.append(record)
            if len(pending) >= batch_size:
                await writer.apply(pending)
                pending = []
                if on_batch:
                    on_batch()
    except SourceError as error:
        summary.failure = str(error)
    await writer.apply(pending)
    if on_batch:
        on_batch()
    return summary


async def import_file(
    path: Path,
    summary: ImportSummary,
    read: Callable[[CountingReader], Iterable[Candidate | Rejected]],
    *,
    progress: ProgressCallback | None,
    batch_size: int,
) -> ImportSummary:
    """Open `path`, read its records with `read` and write them; a file that cannot be opened
    or read to the end is the summary's `failure`, in one line."""
    try:
        with open_source(path) as stream:
            await run_import(
                summary, read(stream), on_batch=reporter(stream, progress), batch_size=batch_size
            )
    except SourceError as error:
        summary.failure = str(error)
    return summary
