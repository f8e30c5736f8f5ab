"""The HATVP répertoire des représentants d'intérêts, from its open-data JSON.

The file (`agora_repertoire_opendata.json`, 80–140 MB, about 4,000 organisations) is one object,
`{"publications": [...]}`; each publication is an organisation with its `denomination`,
`identifiantNational` and `typeIdentifiantNational` (SIREN, RNA, or HATVP for organisations
without either), `categorieOrganisation` (`code`, `label`, `categorie`), `lienSiteWeb`, other
names (`nomUsage`, `nomUsageHatvp`, `ancienNomHatvp`, `sigleHatvp`), dates written DD/MM/YYYY
(with a time for `datePremierePublication`) or DD-MM-YYYY (the `exercices`), `dateCessation` when
it left the register, and the heavy part: yearly `exercices[]` of activities whose keys carry the
register's own typos (`reponsablesPublics`).

It is parsed as a stream (ijson), one publication at a time: memory holds one organisation,
never the file. Only the organisation's identity is kept; its people (`dirigeants`,
`collaborateurs`), contact address and telephone never reach the directory. The domain of its
contact e-mail address does, unless it is a webmail's: meetings are recognised by it.
"""

import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import ijson  # type: ignore[import-untyped]

from register.services.imports.records import (
    Record,
    Rejected,
    SourceError,
    build_candidate,
    email_domain,
    text,
)
from register.services.imports.records import compact as compact_id
from register.services.imports.source import ProgressCallback
from register.services.imports.summary import ImportSummary
from register.services.imports.writer import DEFAULT_BATCH, import_file

_FRENCH_DATE = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?")
NAME_FIELDS = ("nomUsage", "nomUsageHatvp", "ancienNomHatvp")


def parse_date(value: object) -> date | None:
    """A HATVP date: DD/MM/YYYY or DD-MM-YYYY, with or without a time; ISO also accepted."""
    written = text(value)
    if written is None:
        return None
    if match := _FRENCH_DATE.fullmatch(written):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.fullmatch(written):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _ceased(publication: dict[str, Any], today: date, warnings: list[str]) -> bool:
    """Whether the organisation has left the register. `dateCessation` is only filled when it
    leaves, so an unreadable one still counts as a departure (and is reported)."""
    written = publication.get("dateCessation")
    if text(written) is None:
        return False
    ceased_on = parse_date(written)
    if ceased_on is None:
        warnings.append(f"dateCessation «{written}» is not a date: counted as a departure")
        return True
    return ceased_on <= today


def _category(publication: dict[str, Any], warnings: list[str]) -> str | None:
    category = publication.get("categorieOrganisation")
    if isinstance(category, dict):
        return text(category.get("label"))
    if category is not None:
        warnings.append("categorieOrganisation is not an object: category left empty")
    return None


def publication_record(publication: object, position: str, today: date) -> Record:
    """The organisation a publication describes, or why it cannot be imported."""
    if not isinstance(publication, dict):
        return Rejected(position, "not a JSON object")
    name = text(publication.get("denomination"))
    if name is None:
        return Rejected(position, "no denomination")
    kind = (text(publication.get("typeIdentifiantNational")) or "").upper()
    written = publication.get("identifiantNational")
    if kind == "SIREN" and isinstance(written, int) and not isinstance(written, bool):
        written = f"{written:09d}"  # a number loses a SIREN's leading zeros
    national = compact_id(text(written), upper=True)
    if national is None:
        return Rejected(position, "no identifiantNational")
    warnings: list[str] = []
    if kind not in {"SIREN", "RNA", "HATVP"}:
        warnings.append(f"typeIdentifiantNational «{kind}» is unknown: kept as HATVP id only")
    domain = email_domain(publication.get("emailDeContact"))
    fields = {
        "name": name,
        "aliases": [alias for key in NAME_FIELDS if (alias := text(publication.get(key)))],
        "acronym": text(publication.get("sigleHatvp")),
        "hatvp_id": national,
        "siren": national if kind == "SIREN" else None,
        "rna": national if kind == "RNA" else None,
        "email_domains": [domain] if domain else [],
        "website": text(publication.get("lienSiteWeb")),
        "category": _category(publication, warnings),
        "hatvp_registered": not _ceased(publication, today, warnings),
    }
    return build_candidate(
        position,
        fields,
        keys=("hatvp_id", "siren", "rna"),
        required=frozenset({"name", "hatvp_id"}),
        sets_registration=True,
        warnings=warnings,
    )


def read_publications(stream: io.RawIOBase, today: date) -> Iterator[Record]:
    """The records of a répertoire file, one publication at a time."""
    index = 0
    try:
        for index, publication in enumerate(
            ijson.items(stream, "publications.item", use_float=True), start=1
        ):
            yield publication_record(publication, f"publication {index}", today)
    except ijson.JSONError as error:
        where = f"after publication {index}" if index else "before the first publication"
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "broken JSON"
        raise SourceError(f"the file is not valid JSON {where}: {reason}") from error
    if index == 0:
        raise SourceError(
            "no publication found: not the HATVP répertoire open-data JSON "
            "({'publications': [...]})"
        )


async def import_hatvp(
    path: Path,
    *,
    progress: ProgressCallback | None = None,
    batch_size: int = DEFAULT_BATCH,
    today: date | None = None,
) -> ImportSummary:
    """Import the HATVP répertoire at `path`: organisations are registered with HATVP (unless
    they left it) and keyed by their national identifier, which is also their SIREN or RNA."""
    day = today or datetime.now(UTC).date()
    return await import_file(
        path,
        ImportSummary(source="HATVP"),
        lambda stream: read_publications(stream, day),
        progress=progress,
        batch_size=batch_size,
    )
