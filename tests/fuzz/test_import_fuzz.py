"""Importers fuzzed with malformed records among good ones (HATVP JSON, EU XML, local CSV):
every record is read in turn, a bad one is skipped with its position (publication number, record
and line, CSV line) and reason, and the import goes on to the end; then whole imports into both
databases report the same positions.

The files come from `tests.fuzz.import_files`; the number of files per source is
`REGISTER_FUZZ_EXAMPLES` / 10 (see `tests.fuzz.examples`).
"""

import io
import random
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from piccolo.engine.base import Engine

from register.services.imports import import_eu_register, import_hatvp, import_local_csv
from register.services.imports.eu_register import read_register
from register.services.imports.hatvp import read_publications
from register.services.imports.local_csv import read_rows
from register.services.imports.records import Candidate, Record, Rejected
from register.services.imports.summary import ImportSummary
from tests.fuzz.examples import examples, fuzz_settings
from tests.fuzz.import_files import Expect, csv_file, eu_file, hatvp_file

FILES = 60
"""Files per source in the default run, of up to 40 records each."""

Generator = Callable[[random.Random, int], tuple[bytes, list[Expect]]]
Reader = Callable[[io.RawIOBase], Iterator[Record]]

SOURCES: dict[str, tuple[Generator, Reader, str]] = {
    "hatvp": (
        hatvp_file,
        lambda stream: read_publications(stream, date(2026, 6, 1)),
        r"publication {n}",
    ),
    "eu": (eu_file, read_register, r"record {n} \(line \d+\)"),
    "csv": (csv_file, read_rows, r"line \d+"),
}


def check_records(records: list[Record], expected: list[Expect], position: str) -> None:
    assert len(records) == len(expected), "one record per record written, none lost"
    for number, (record, expect) in enumerate(zip(records, expected, strict=True), start=1):
        assert re.fullmatch(position.format(n=number), record.position), record.position
        if isinstance(record, Rejected):
            assert record.reason
        else:  # what reaches the database is text it stores: no NUL, no lone surrogate
            for value in record.representative.model_dump(mode="json").values():
                for item in value if isinstance(value, list) else [value]:
                    assert "\x00" not in str(item)
                    str(item).encode()
        if expect is not None:
            assert isinstance(record, Candidate) == expect, (number, record)


@pytest.mark.parametrize("source", SOURCES)
def test_a_reader_reads_past_bad_records_and_names_their_positions(source: str) -> None:
    generate, read, position = SOURCES[source]
    files = 0

    @fuzz_settings(examples(FILES * 10) // 10)
    @given(st.integers(0, 2**32), st.integers(1, 40))
    def check(seed: int, count: int) -> None:
        nonlocal files
        files += 1
        data, expected = generate(random.Random(seed), count)  # noqa: S311 - test input
        records = list(read(io.BytesIO(data)))  # type: ignore[arg-type]
        check_records(records, expected, position)
        if source == "csv":  # a spreadsheet's line numbers: the header is line 1
            lines = [int(record.position.split()[1]) for record in records]
            assert lines == sorted(set(lines))
            assert lines[0] >= 2

    check()

    assert files >= examples(FILES * 10) // 10


IMPORTS = {"hatvp": import_hatvp, "eu": import_eu_register, "csv": import_local_csv}


@pytest.mark.parametrize("source", SOURCES)
async def test_an_import_with_bad_records_goes_on_and_reports_them(
    db: Engine, tmp_path: Path, source: str
) -> None:
    generate, _, _ = SOURCES[source]
    data, expected = generate(random.Random(7), 120)  # noqa: S311 - test input
    path = tmp_path / "register.file"
    path.write_bytes(data)

    summary: ImportSummary = await IMPORTS[source](path, batch_size=25)  # type: ignore[operator]

    assert summary.succeeded, summary.failure
    assert summary.read == 120
    assert summary.skipped_count == len(summary.skipped)
    assert summary.created + summary.updated + summary.unchanged + summary.skipped_count == 120
    skipped = {problem.position.split(" (")[0] for problem in summary.skipped}
    certainly_bad = [n for n, expect in enumerate(expected, start=1) if expect is False]
    assert certainly_bad, "the file holds bad records"
    if source != "csv":
        unit = "publication" if source == "hatvp" else "record"
        assert {f"{unit} {n}" for n in certainly_bad} <= skipped
    assert summary.created >= sum(1 for expect in expected if expect)
