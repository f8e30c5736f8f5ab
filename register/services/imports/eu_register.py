"""The EU Transparency Register, from its open-data XML export.

The export (`ODP_DD-MM-YYYY.xml`, published on data.europa.eu) is

    <?xml version='1.1' encoding='UTF-8'?>
    <ListOfIRPublicDetail xmlns="http://intragate.ec.europa.eu/transparencyregister/odp">
      <metaData xmlns=""><exportDate>…</exportDate><numberOfIR>…</numberOfIR></metaData>
      <resultList xmlns="">
        <interestRepresentative>
          <identificationCode>718971811339-46</identificationCode>
          <name><originalName>…</originalName></name>
          <acronym>…</acronym> <webSiteURL>…</webSiteURL>
          <registrationCategory>…</registrationCategory>
          <headOffice>…</headOffice> … financial data, interests, members …

It declares XML 1.1 and carries character references that only XML 1.1 allows (control
characters such as `&#x2;` in web addresses), which XML 1.0 parsers refuse: they are removed
before parsing. Parsing is event-driven (expat), one organisation at a time, so memory stays flat
whatever the size of the export; document type declarations are refused (no entity tricks).
Element names are compared without their namespace, so the older exports (same elements, other
namespaces) read too.
"""

import io
import re
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from register.services.imports.records import Record, Rejected, SourceError, build_candidate
from register.services.imports.records import text as clean_text
from register.services.imports.source import (
    CHUNK,
    ProgressCallback,
)
from register.services.imports.summary import ImportSummary
from register.services.imports.writer import DEFAULT_BATCH, import_file

ROOT = "ListOfIRPublicDetail"
RECORD = "interestRepresentative"
WANTED = {
    ("identificationCode",): "eu_transparency_id",
    ("name", "originalName"): "name",
    ("name",): "name",
    ("acronym",): "acronym",
    ("webSiteURL",): "website",
    ("registrationCategory",): "category",
}
_CHARACTER_REFERENCE = re.compile(rb"&#(x[0-9a-fA-F]+|[0-9]+);")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
"""Control characters, and U+FFFE and U+FFFF written raw in UTF-8: neither XML allows them."""


def _allowed_in_xml_1_0(code: int) -> bool:
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0x10FFFF


def _keep_reference(match: re.Match[bytes]) -> bytes:
    number = match.group(1)
    code = int(number[1:], 16) if number[:1] in (b"x", b"X") else int(number)
    return match.group(0) if _allowed_in_xml_1_0(code) and code not in (0xFFFE, 0xFFFF) else b""


def xml_1_0(chunk: bytes) -> bytes:
    """`chunk` without the characters (raw or referenced) that XML 1.0 forbids: control
    characters, U+FFFE and U+FFFF (found by the import fuzz test: one in a name stopped the
    import).

    Removing them changes no line number: none of them is a line break.
    """
    return _CONTROL_BYTES.sub(b"", _CHARACTER_REFERENCE.sub(_keep_reference, chunk))


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1].rsplit(" ", 1)[-1]


class _Reader:
    """expat handlers that collect each interestRepresentative's wanted fields."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.records: list[Record] = []
        self.count = 0
        self.root_seen = False
        self.path: list[str] | None = None  # inside a record: the path below it
        self.fields: dict[str, str] = {}
        self.text: list[str] = []
        self.line = 0

    def start(self, name: str, _attributes: dict[str, str]) -> None:
        local = _local(name)
        if not self.root_seen:
            if local != ROOT:
                raise SourceError(f"not an EU Transparency Register export (root <{local}>)")
            self.root_seen = True
        elif self.path is not None:
            self.path.append(local)
        elif local == RECORD:
            self.path, self.fields, self.count = [], {}, self.count + 1
            self.line = self.parser.CurrentLineNumber
        self.text = []

    def characters(self, data: str) -> None:
        if self.path is not None:
            self.text.append(data)

    def end(self, name: str) -> None:
        if self.path is None:
            return
        if not self.path:
            self.records.append(self._record())
            self.path = None
            return
        field = WANTED.get(tuple(self.path))
        value = "".join(self.text).strip()
        if field and value and field not in self.fields:
            self.fields[field] = value
        self.path.pop()
        self.text = []

    def _record(self) -> Record:
        position = f"record {self.count} (line {self.line})"
        fields = {name: clean_text(value) for name, value in self.fields.items()}
        if not fields.get("eu_transparency_id"):
            return Rejected(position, "no identificationCode")
        return build_candidate(
            position,
            fields,
            keys=("eu_transparency_id",),
            required=frozenset({"name", "eu_transparency_id"}),
            sets_registration=False,
        )


def _refuse_dtd(*_arguments: object) -> None:
    raise SourceError("the file declares a document type: refused (the export has none)")


def _parser() -> tuple[expat.XMLParserType, _Reader]:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    reader = _Reader(parser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.characters
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    return parser, reader


def read_register(stream: io.RawIOBase) -> Iterator[Record]:
    """The records of an export, in order, as the file is read."""
    parser, reader = _parser()
    held = b""
    while True:
        chunk = stream.read(CHUNK) or b""
        data = held + chunk
        # A character reference cut by the chunk's end waits for the next chunk.
        cut = data.rfind(b"&", max(0, len(data) - 16)) if chunk else -1
        held, data = (
            (data[cut:], data[:cut]) if cut >= 0 and b";" not in data[cut:] else (b"", data)
        )
        try:
            parser.Parse(xml_1_0(data), not chunk)
        except expat.ExpatError as error:
            yield from reader.records
            message = expat.errors.messages.get(error.code, str(error))
            raise SourceError(
                f"the XML is broken at line {error.lineno}, column {error.offset + 1}: {message}"
            ) from error
        yield from reader.records
        reader.records.clear()
        if not chunk:
            break


async def import_eu_register(
    path: Path, *, progress: ProgressCallback | None = None, batch_size: int = DEFAULT_BATCH
) -> ImportSummary:
    """Import the EU Transparency Register export at `path`, keyed by identification code."""
    return await import_file(
        path,
        ImportSummary(source="EU Transparency Register"),
        read_register,
        progress=progress,
        batch_size=batch_size,
    )
