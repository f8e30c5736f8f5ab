"""Lists as CSV (RFC 4180: comma-separated, CRLF line ends, UTF-8, a header row), streamed a
batch of rows at a time so that a list of any length costs flat memory.

The columns of each list are fixed and documented here (the OpenAPI schema repeats them): new
columns may be added at the end, none is renamed or moved. A meeting is one row; what it holds
several of (officials present, organisations) is joined with " ; " in one cell, and the cells
about organisations list them in the same order, with an empty place where an organisation has
no such identifier, so that they line up.
"""

import csv
import io
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Sequence
from typing import Any, TypeVar

from litestar import Response
from litestar.response import Stream

from register.open_data import CsvColumn, csv_cell
from register.public_entities import (
    RegisterAuthority,
    RegisterOfficial,
    RegisterOrganisation,
    RegisterPolicyArea,
)

_T = TypeVar("_T")
_BATCH = 200


OFFICIAL_COLUMNS = (
    CsvColumn("id", "The official's id."),
    CsvColumn("slug", "Short name used in addresses."),
    CsvColumn("name", "Full name."),
    CsvColumn("role", "Role or office."),
    CsvColumn("kind", "elected or staff."),
    CsvColumn("authority_id", "The authority's id."),
    CsvColumn("authority", "The authority's name."),
    CsvColumn("meetings", "Published meetings of the official's diary."),
)


def official_row(official: RegisterOfficial) -> list[str]:
    values: list[object] = [
        official.id,
        official.slug,
        official.name,
        official.role,
        official.kind.value,
        official.authority.id,
        official.authority.name,
        official.meetings,
    ]
    return [csv_cell(value) for value in values]


ORGANISATION_COLUMNS = (
    CsvColumn("id", "The organisation's id."),
    CsvColumn("name", "Name."),
    CsvColumn("hatvp_id", "HATVP register id."),
    CsvColumn("siren", "SIREN number."),
    CsvColumn("eu_transparency_id", "EU Transparency Register id."),
    CsvColumn("hatvp_registered", "true if registered with HATVP."),
    CsvColumn("meetings", "Published meetings naming the organisation."),
)


def organisation_row(organisation: RegisterOrganisation) -> list[str]:
    values: list[object] = [
        organisation.id,
        organisation.name,
        organisation.hatvp_id,
        organisation.siren,
        organisation.eu_transparency_id,
        organisation.hatvp_registered,
        organisation.meetings,
    ]
    return [csv_cell(value) for value in values]


AUTHORITY_COLUMNS = (
    CsvColumn("id", "The authority's id."),
    CsvColumn("slug", "Short name used in addresses."),
    CsvColumn("name", "Name."),
    CsvColumn("meetings", "Published meetings."),
)


def authority_row(authority: RegisterAuthority) -> list[str]:
    return [csv_cell(v) for v in (authority.id, authority.slug, authority.name, authority.meetings)]


POLICY_AREA_COLUMNS = (
    CsvColumn("code", "Policy area code."),
    CsvColumn("label_fr", "Label in French."),
    CsvColumn("label_en", "Label in English."),
    CsvColumn("meetings", "Published meetings in the area."),
)


def policy_area_row(area: RegisterPolicyArea) -> list[str]:
    return [csv_cell(v) for v in (area.code, area.label.fr, area.label.en, area.meetings)]


async def _aiter(items: Iterable[_T]) -> AsyncIterator[_T]:
    for item in items:
        yield item


async def _lines(
    columns: Sequence[CsvColumn], items: AsyncIterable[_T], row: Callable[[_T], list[str]]
) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(column.name for column in columns)
    count = 0
    async for item in items:
        writer.writerow(row(item))
        count += 1
        if count % _BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(
    name: str,
    columns: Sequence[CsvColumn],
    items: AsyncIterable[_T] | Iterable[_T],
    row: Callable[[_T], list[str]],
    *,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    """A streamed CSV answer named `name`.csv."""
    source = items if isinstance(items, AsyncIterable) else _aiter(items)
    return Stream(
        _lines(columns, source, row),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"', **(headers or {})},
    )
