"""The organisation picker: finding organisations of the directory as staff type.

By name, alias or acronym (case and accents ignored, best match first) or by an exact
identifier (HATVP, SIREN, RNA, EU register); merged duplicates resolve to the kept organisation.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from register.domain.normalise import normalise
from register.domain.representative import InterestRepresentative
from register.store.repositories.directory import find_by_identifier, kept_records
from register.store.repositories.representatives import (
    directory_version,
    list_representatives,
)
from register.store.transaction import current_engine

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class _Searchable:
    kept: InterestRepresentative
    names: tuple[str, ...]
    acronym: str


_INDEX: dict[int, tuple[tuple[int, str], list[_Searchable]]] = {}


async def _search_index() -> list[_Searchable]:
    """Every organisation's names, normalised, with the organisation each resolves to; rebuilt
    only when the directory changed (it may hold tens of thousands of organisations)."""
    engine_key, version = id(current_engine()), await directory_version()
    cached = _INDEX.get(engine_key)
    if cached is not None and cached[0] == version:
        return cached[1]
    everyone = await list_representatives()
    kept = await kept_records(everyone)
    index = [
        _Searchable(
            kept=kept[rep.id],
            names=tuple(dict.fromkeys(n for n in map(normalise, (rep.name, *rep.aliases)) if n)),
            acronym=normalise(rep.acronym or "").replace(" ", ""),
        )
        for rep in everyone
    ]
    _INDEX[engine_key] = (version, index)
    return index


def _score(entry: _Searchable, query: str, words: list[str]) -> int | None:
    """How well `entry` matches (lower is better), or None."""
    compact = query.replace(" ", "")
    if entry.acronym and entry.acronym == compact:
        return 0
    best: int | None = None
    for name in entry.names:
        if name == query:
            return 0
        name_words = name.split()
        if name.startswith(query):
            score = 1
        elif all(any(w.startswith(word) for w in name_words) for word in words):
            score = 2
        elif query in name:
            score = 3
        else:
            continue
        best = score if best is None else min(best, score)
    if best is None and entry.acronym and len(compact) > 1 and entry.acronym.startswith(compact):
        best = 2
    return best


async def search_organisations(text: str, *, limit: int = 20) -> list[InterestRepresentative]:
    """Organisations for the record form's picker, best matches first: by HATVP id, SIREN, RNA
    or EU register id (exactly, spaces ignored), or by name, alias or acronym, whatever the case
    and accents. A merged duplicate is found under the organisation it was merged into."""
    query = normalise(text)
    if not query or limit <= 0:
        return []
    ranked: dict[UUID, tuple[int, str, InterestRepresentative]] = {}
    compact = "".join(text.split())
    if any(c.isdigit() for c in compact):
        holders = await find_by_identifier(compact)
        for rep in (await kept_records(holders)).values():
            ranked[rep.id] = (-1, normalise(rep.name), rep)
    words = query.split()
    for entry in await _search_index():
        score = _score(entry, query, words)
        if score is None:
            continue
        rep = entry.kept
        key = (score, normalise(rep.name), rep)
        if rep.id not in ranked or key[:2] < ranked[rep.id][:2]:
            ranked[rep.id] = key
    best = sorted(ranked.values(), key=lambda found: (found[0], found[1], found[2].id))
    return [rep for _, _, rep in best[:limit]]
