"""A CSV of local organisations kept by the authority (associations, local firms, chambers…).

The file is UTF-8 (a byte-order mark is fine), comma-separated, with a header row naming its
columns, in any order; only `name` is required:

| column               | meaning                                                           |
|----------------------|-------------------------------------------------------------------|
| `name`               | the organisation's name, as the public should read it             |
| `aliases`            | other names and former names, separated by `;`                    |
| `acronym`            | its acronym (at most 40 characters)                               |
| `siren`              | SIREN, 9 digits (spaces allowed)                                  |
| `rna`                | RNA number of an association: W and 9 digits                      |
| `hatvp_id`           | its identifier in the HATVP répertoire                            |
| `eu_transparency_id` | its EU Transparency Register id (123456789012-34)                 |
| `email_domains`      | the domains of its e-mail addresses, separated by `;`             |
| `website`            | its web site                                                      |
| `category`           | a free category ("Association", "Chambre consulaire"…)            |

A row is matched by its identifiers (HATVP id, SIREN, RNA, EU id, in that order), or by its
normalised name when it has none. Problems are reported by line number, as a spreadsheet shows.
"""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from register.services.imports.records import Record, Rejected, SourceError, build_candidate
from register.services.imports.records import compact as compact_id
from register.services.imports.records import text as clean_text
from register.services.imports.source import ProgressCallback
from register.services.imports.summary import ImportSummary
from register.services.imports.writer import DEFAULT_BATCH, import_file

COLUMNS = (
    "name",
    "aliases",
    "acronym",
    "siren",
    "rna",
    "hatvp_id",
    "eu_transparency_id",
    "email_domains",
    "website",
    "category",
)
LISTS = frozenset({"aliases", "email_domains"})
IDENTIFIERS = ("hatvp_id", "siren", "rna", "eu_transparency_id")


def _header(row: list[str]) -> list[str]:
    names = [name.strip().lower() for name in row]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise SourceError(
            f"unknown column(s) {', '.join(unknown) or '(empty)'} on line 1; "
            f"the columns are: {', '.join(COLUMNS)}"
        )
    if "name" not in names:
        raise SourceError("no 'name' column on line 1")
    if len(set(names)) != len(names):
        raise SourceError("a column is named twice on line 1")
    return names


def row_record(header: list[str], row: list[str], line: int) -> Record:
    """The organisation a row describes, or why it cannot be imported."""
    position = f"line {line}"
    if len(row) > len(header):
        return Rejected(position, f"{len(row)} fields where the header has {len(header)}")
    cells = dict(zip(header, row, strict=False))
    fields: dict[str, object] = {}
    for column, value in cells.items():
        if column in LISTS:
            fields[column] = [item for part in value.split(";") if (item := clean_text(part))]
        elif column in IDENTIFIERS:
            fields[column] = compact_id(clean_text(value), upper=column == "rna")
        else:
            fields[column] = clean_text(value)
    hatvp_id = fields.get("hatvp_id")
    return build_candidate(
        position,
        fields | {"hatvp_registered": bool(hatvp_id)},
        keys=IDENTIFIERS,
        required=frozenset({"name"}),
        sets_registration=False,
    )


def read_rows(stream: io.RawIOBase) -> Iterator[Record]:
    """The records of a CSV file, row by row."""
    text = io.TextIOWrapper(io.BufferedReader(stream), encoding="utf-8-sig", newline="")
    rows = csv.reader(text)
    line = 1
    try:
        first = next(rows, None)
        if first is None:
            raise SourceError("the file is empty")
        header = _header(first)
        line = rows.line_num + 1
        for row in rows:
            if any(cell.strip() for cell in row):
                yield row_record(header, row, line)
            line = rows.line_num + 1
    except UnicodeDecodeError as error:
        raise SourceError("the file is not UTF-8 text: save it as « CSV UTF-8 »") from error
    except csv.Error as error:
        raise SourceError(f"the CSV is broken at line {line}: {error}") from error


async def import_local_csv(
    path: Path, *, progress: ProgressCallback | None = None, batch_size: int = DEFAULT_BATCH
) -> ImportSummary:
    """Import the CSV of local organisations at `path` (columns: see the module's docstring)."""
    return await import_file(
        path,
        ImportSummary(source="local CSV"),
        read_rows,
        progress=progress,
        batch_size=batch_size,
    )
