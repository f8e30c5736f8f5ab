"""Meetings written out as the API's JSON straight from their stored payload.

The payload of each public version was validated when it was published, and stored as the
canonical JSON of the very record these documents describe (`schemas.Meeting`). Validating it
again into the domain's model, dumping it, and validating that into the API's model cost about
0.25 ms a meeting, most of a page of 100 (issue 7's profile). Here msgspec decodes the payload
into structs made from the documented models (`schemas`), which puts the fields in the
documented order, drops what the models do not name, and fails on a missing field; a payload
that fails takes the validating path, which refuses it as before.
"""

from datetime import datetime
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin

import msgspec
from pydantic import BaseModel, TypeAdapter

from register.queries import StoredVersion, published
from register.web.api.schemas import Meeting, MeetingPublication, MeetingRecord


def _annotation(annotation: Any) -> Any:
    """A struct for a model, lists and optionals of them; anything else as it is (`Any`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _struct(annotation)
    origin, arguments = get_origin(annotation), get_args(annotation)
    if origin in {list, tuple}:
        inner = _annotation(arguments[0])
        return Any if inner is Any else list[inner]  # type: ignore[valid-type]
    if origin in {Union, UnionType} and NoneType in arguments:
        rest = [argument for argument in arguments if argument is not NoneType]
        inner = _annotation(rest[0]) if len(rest) == 1 else Any
        return Any if inner is Any else inner | None
    return Any


def _struct(model: type[BaseModel]) -> type[msgspec.Struct]:
    fields = [(name, _annotation(field.annotation)) for name, field in model.model_fields.items()]
    return msgspec.defstruct(f"{model.__name__}Document", fields, frozen=True)


_Record = _struct(MeetingRecord)
_Publication = _struct(MeetingPublication)
_WithPublication = msgspec.defstruct("WithPublication", [("publication", _Publication)])
_INSTANT = TypeAdapter(datetime)


class MeetingDocument(msgspec.Struct, frozen=True):
    """`schemas.Meeting`, field for field."""

    record: Any
    publication: Any
    recorded_at: str
    log_seq: int
    first_published_at: str | None


def _instant(moment: datetime) -> str:
    return str(_INSTANT.dump_python(moment, mode="json"))


_DECODE_RECORD = msgspec.json.Decoder(_Record)
_DECODE_PUBLICATION = msgspec.json.Decoder(_WithPublication)


def meeting_document(stored: StoredVersion) -> MeetingDocument | dict[str, Any]:
    """The JSON of `schemas.Meeting` for one stored version (a struct msgspec writes out)."""
    try:
        record = _DECODE_RECORD.decode(stored.body)
        publication = _DECODE_PUBLICATION.decode(stored.body).publication  # type: ignore[attr-defined]
    except msgspec.ValidationError:
        return Meeting.of(published(stored)).model_dump(mode="json")
    return MeetingDocument(
        record=record,
        publication=publication,
        recorded_at=_instant(stored.recorded_at),
        log_seq=stored.log_seq,
        first_published_at=_instant(stored.first_published_at),
    )


def as_mapping(document: MeetingDocument | dict[str, Any]) -> dict[str, Any]:
    """The document's fields, in order (to add some)."""
    if isinstance(document, dict):
        return document
    return {name: getattr(document, name) for name in document.__struct_fields__}
