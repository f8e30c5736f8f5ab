"""Rows of the register's tables as the application stores them, for bulk loading.

Values come from the repositories' own mappings (`new_meeting_values`, `representative_values`,
`public_meeting_values`…) and are encoded as Piccolo encodes them: on SQLite, UUIDs and dates
as text, times as `str()` of the UTC time, JSON with Piccolo's `dump_json`; on PostgreSQL,
the Python values, JSON as text.
"""

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any
from uuid import UUID

from piccolo import columns
from piccolo.columns import JSON, Column, Date, ForeignKey, Serial, Timestamptz
from piccolo.table import Table
from piccolo.utils.encoding import ORJSON, dump_json

Encoder = Callable[[Any], Any]
PLAIN_DEFAULTS = (str, int, float, bool, type(None))

_encode_json = dump_json if ORJSON else json.JSONEncoder(default=str).encode
"""`dump_json` without building an encoder at each call (the same text: `json.dumps` with
`default=str` builds this very encoder)."""


_last_id: list[tuple[UUID | None, str]] = [(None, "")]


def _sqlite_uuid(value: UUID | None) -> str | None:
    """A meeting's id is in its row and every row about it, one after the other: the last
    one's text is kept."""
    if value is None:
        return None
    last, text = _last_id[0]
    if value is not last:
        text = str(value)
        _last_id[0] = (value, text)
    return text


_SHARED_IDS: dict[UUID, str] = {}
_SHARED_COLUMNS = frozenset({"authority", "official", "representative", "organisation"})


def _sqlite_shared_uuid(value: UUID | None) -> str | None:
    """The ids of authorities, officials and organisations recur in every row: their text is
    kept (a bounded cache: there are some tens of thousands)."""
    if value is None:
        return None
    text = _SHARED_IDS.get(value)
    if text is None:
        if len(_SHARED_IDS) > 200_000:
            _SHARED_IDS.clear()
        text = _SHARED_IDS[value] = str(value)
    return text


def _sqlite_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return str(value if value.tzinfo is UTC else value.astimezone(UTC))


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _json(value: Any) -> str:
    if isinstance(value, str):
        return value
    if not value:
        return "[]" if isinstance(value, list | tuple) else _encode_json(value)
    return _encode_json(value)


def _encoder(column: Column, engine: str) -> Encoder | None:
    """How a column's Python value is sent to the engine (None: as it is)."""
    if isinstance(column, JSON):
        return _json
    if engine != "sqlite":
        return None
    sqlite: list[tuple[type[Column] | tuple[type[Column], ...], Encoder]] = [
        ((columns.UUID, ForeignKey), _sqlite_uuid),
        (Timestamptz, _sqlite_time),
        (Date, _sqlite_date),
    ]
    if column._meta.name in _SHARED_COLUMNS:
        return _sqlite_shared_uuid
    return next((encode for kind, encode in sqlite if isinstance(column, kind)), None)


class TableRows:
    """How to turn a table's values (by column name) into rows for one engine's bulk insert:
    every column but a serial id, in the table's order."""

    def __init__(self, table: type[Table], engine: str) -> None:
        self.table = table
        self.name = table._meta.tablename
        columns = [c for c in table._meta.columns if not isinstance(c, Serial)]
        self.columns = [c._meta.name for c in columns]
        self._values = itemgetter(*self.columns)
        self._encoders = [
            (n, encoder)
            for n, encoder in enumerate(_encoder(c, engine) for c in columns)
            if encoder is not None
        ]
        self._defaults: dict[str, Any] = {}
        for column in columns:
            default = column.get_default_value()
            if isinstance(default, PLAIN_DEFAULTS):
                self._defaults[column._meta.name] = default

    def row(self, values: Mapping[str, Any]) -> list[Any]:
        """One row; a column missing from `values` takes its default, if it has a plain one."""
        if len(values) < len(self.columns):
            values = {**self._defaults, **values}
        try:
            row = list(self._values(values))
        except KeyError as error:
            raise ValueError(f"{self.name}: no value for {error.args[0]}") from error
        for n, encode in self._encoders:
            row[n] = encode(row[n])
        return row


_SHAPES: dict[tuple[int, ...], tuple[str, ...]] = {}


def by_name(values: Mapping[Any, Any]) -> dict[str, Any]:
    """Column-keyed values (the repositories' mappings) keyed by column name.

    A repository's mapping always has the same columns in the same order: the names of each
    such shape are looked up once (the columns are the tables' own, alive as long as the
    process, so their ids are stable)."""
    shape = tuple(map(id, values))
    names = _SHAPES.get(shape)
    if names is None:
        names = _SHAPES[shape] = tuple(
            column if isinstance(column, str) else column._meta.name for column in values
        )
    return dict(zip(names, values.values(), strict=True))
