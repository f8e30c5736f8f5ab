"""The directory as importers and staff need it: lookup by identifier, batched upserts, possible
duplicates, and merging two records of one real organisation.

One organisation per real entity (issue 4): importers find an organisation by any of its national
identifiers before creating one, and staff merge what slipped through. A merge keeps every meeting
linked: presence rows and classifications that named the duplicate name the kept organisation.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from register.domain.representative import InterestRepresentative
from register.domain.staff import AuditEvent
from register.store.repositories.audit import record_event
from register.store.repositories.representatives import (
    representative_from_row,
    representative_values,
    representatives_by_id,
)
from register.store.tables import InterestRepresentative as RepresentativeRow
from register.store.tables import Meeting as MeetingRow
from register.store.tables import RepresentativePresence as PresenceRow
from register.store.transaction import writing

IDENTIFIER_FIELDS = ("hatvp_id", "siren", "rna", "eu_transparency_id")
"""The identifiers of an organisation, in the order a match on them is trusted."""

LEGAL_FORMS = frozenset(
    [
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "snc",
        "sca",
        "scs",
        "sci",
        "scop",
        "scic",
        "sem",
        "saem",
        "seml",
        "spl",
        "gie",
        "ei",
        "eirl",
        "selarl",
        "selas",
        "selafa",
        "sel",
        "scm",
        "scp",
        "association",
        "assoc",
        "asso",
    ]
)
"""Legal-form words that say nothing about which organisation it is ("Veolia SA" is Veolia)."""

LEGAL_FORM_PHRASES = (
    "societe anonyme",
    "societe par actions simplifiee unipersonnelle",
    "societe par actions simplifiee",
    "societe a responsabilite limitee",
    "societe d economie mixte",
    "loi 1901",
    "loi de 1901",
)

_DOTTED_ACRONYM = re.compile(r"\b(?:[a-z]\.){2,}")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def folded(text: str) -> str:
    """Lower case, no accents, single spaces: the form in which two spellings are the same."""
    lowered = text.casefold()
    if not lowered.isascii():
        decomposed = unicodedata.normalize("NFKD", lowered)
        lowered = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(lowered.split())


def normalised_name(name: str) -> str:
    """The name as duplicates are compared: folded, punctuation gone, legal forms dropped.

    "S.A.S. Société des Eaux du Val" and "societe des eaux du val" are the same; a name that is
    nothing but a legal form keeps its words rather than becoming empty.
    """
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), folded(name))
    text = " ".join(_NOT_ALNUM.sub(" ", text.replace("&", " et ")).split())
    for phrase in LEGAL_FORM_PHRASES:
        text = re.sub(rf"\b{phrase}\b", " ", text)
    words = [word for word in text.split() if word not in LEGAL_FORMS]
    return " ".join(words) or " ".join(text.split())


def identifiers_of(representative: InterestRepresentative) -> dict[str, str]:
    """The identifiers it has, by field name."""
    values = {field: getattr(representative, field) for field in IDENTIFIER_FIELDS}
    return {field: value for field, value in values.items() if value}


async def find_by_identifiers(values: Collection[str]) -> list[InterestRepresentative]:
    """Every organisation holding any of `values` in any identifier column, in one query.

    Identifiers are compared across columns because they share one namespace in practice: the
    HATVP register keys an organisation by its SIREN or RNA number, so a HATVP id may be the
    SIREN another record holds. Merged records are returned too: follow `merged_into_id`.
    """
    wanted = sorted(set(values))
    if not wanted:
        return []
    rows = (
        await RepresentativeRow.select()
        .where(
            RepresentativeRow.hatvp_id.is_in(wanted)
            | RepresentativeRow.siren.is_in(wanted)
            | RepresentativeRow.rna.is_in(wanted)
            | RepresentativeRow.eu_transparency_id.is_in(wanted)
        )
        .order_by(RepresentativeRow.id)
        .output(load_json=True)
    )
    return [representative_from_row(row) for row in rows]


async def find_by_identifier(value: str) -> list[InterestRepresentative]:
    """Organisations holding `value` as their HATVP id, SIREN, RNA or EU register id."""
    return await find_by_identifiers([value.strip()])


async def kept_records(
    representatives: Iterable[InterestRepresentative],
) -> dict[UUID, InterestRepresentative]:
    """For each organisation, the record it was merged into (itself when it was not), by id.

    Merges may chain (A into B, then B into C) when they were made before chains were
    flattened; a cycle, which `merge` never creates, stops the walk rather than looping.
    """
    known = {rep.id: rep for rep in representatives}
    result: dict[UUID, InterestRepresentative] = {}
    for rep in list(known.values()):
        current, seen = rep, {rep.id}
        while current.merged_into_id is not None and current.merged_into_id not in seen:
            target_id = current.merged_into_id
            if target_id not in known:
                known.update(await representatives_by_id([target_id]))
            if target_id not in known:
                break
            seen.add(target_id)
            current = known[target_id]
        result[rep.id] = current
    return result


async def upsert_representatives(representatives: Sequence[InterestRepresentative]) -> None:
    """Insert or update each organisation by id, in one statement (importers write in batches)."""
    if not representatives:
        return
    columns = list(representative_values(representatives[0]))
    rows = [
        RepresentativeRow(
            id=rep.id, **{c._meta.name: v for c, v in representative_values(rep).items()}
        )
        for rep in representatives
    ]
    await (
        RepresentativeRow.insert(*rows)
        .on_conflict(target=RepresentativeRow.id, action="DO UPDATE", values=columns)
        .run()
    )


async def upsert_representative(representative: InterestRepresentative) -> None:
    await upsert_representatives([representative])


async def live_representatives() -> list[InterestRepresentative]:
    """Every organisation not merged into another, by name."""
    rows = (
        await RepresentativeRow.select()
        .where(RepresentativeRow.merged_into.is_null())
        .order_by(RepresentativeRow.name)
        .order_by(RepresentativeRow.id)
        .output(load_json=True)
    )
    return [representative_from_row(row) for row in rows]


async def name_index() -> dict[str, set[UUID]]:
    """Organisations not merged away, by normalised name: how importers match a record that
    has no identifier."""
    rows = await RepresentativeRow.select(RepresentativeRow.id, RepresentativeRow.name).where(
        RepresentativeRow.merged_into.is_null()
    )
    index: dict[str, set[UUID]] = defaultdict(set)
    for row in rows:
        index[normalised_name(row["name"])].add(row["id"])
    return index


async def presence_counts(ids: Collection[UUID]) -> dict[UUID, int]:
    """How many meetings list each organisation as present: what staff weigh before a merge."""
    if not ids:
        return {}
    rows = (
        await PresenceRow.select(PresenceRow.representative, Count(alias="n"))
        .where(PresenceRow.representative.is_in(list(ids)))
        .group_by(PresenceRow.representative)
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({row["representative"]: row["n"] for row in rows})
    return counts


@dataclass(frozen=True)
class DuplicateGroup:
    """Organisations that may be one: `reasons` says which name or identifier they share."""

    representatives: tuple[InterestRepresentative, ...]
    reasons: tuple[str, ...]


def _duplicate_keys(rep: InterestRepresentative) -> list[tuple[str, str]]:
    keys = [("name", normalised_name(rep.name))]
    keys += [("identifier", value) for value in identifiers_of(rep).values()]
    return keys


async def list_duplicates() -> list[DuplicateGroup]:
    """Organisations (not merged away) sharing a normalised name or an identifier, grouped:
    two records sharing a name and a third sharing the second's SIREN are one group."""
    reps = sorted(await live_representatives(), key=lambda rep: (folded(rep.name), rep.id))
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for position, rep in enumerate(reps):
        for key in _duplicate_keys(rep):
            if position not in holders[key]:
                holders[key].append(position)
    parent = list(range(len(reps)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    shared = {key: members for key, members in holders.items() if len(members) > 1}
    for members in shared.values():
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    groups: dict[int, list[int]] = defaultdict(list)
    for position in range(len(reps)):
        groups[root(position)].append(position)
    result = []
    for members in groups.values():
        if len(members) < 2:
            continue
        reasons = sorted(
            f"same {kind}: {value}"
            for (kind, value), holding in shared.items()
            if holding[0] in members
        )
        result.append(DuplicateGroup(tuple(reps[i] for i in members), tuple(reasons)))
    return sorted(result, key=lambda group: folded(group.representatives[0].name))


class MergeError(ValueError):
    """A merge that cannot be done (unknown, identical or already merged organisations)."""


@dataclass(frozen=True)
class MergeResult:
    """The kept organisation as it now is, the duplicate (now pointing at it), how many
    meetings were re-linked, and the duplicate's identifiers that differ from the kept one's
    (left on the duplicate, so that an import of them still resolves to the kept record)."""

    kept: InterestRepresentative
    duplicate: InterestRepresentative
    meetings_relinked: int
    conflicts: tuple[str, ...]


def distinct_names(names: Iterable[str], excluded: str) -> tuple[str, ...]:
    """`names` without blanks, repeats (as folded) and the organisation's own name."""
    seen = {folded(excluded)}
    result = []
    for name in names:
        key = folded(name)
        if key and key not in seen:
            seen.add(key)
            result.append(name)
    return tuple(result)


def combine_records(
    keep: InterestRepresentative, duplicate: InterestRepresentative
) -> tuple[InterestRepresentative, InterestRepresentative, tuple[str, ...]]:
    """The kept record with the duplicate's names, domains and identifiers; the duplicate
    without the identifiers it handed over (two records cannot hold one HATVP or EU id)."""
    keep_update: dict[str, Any] = {}
    duplicate_update: dict[str, Any] = {"merged_into_id": keep.id}
    conflicts = []
    for field in IDENTIFIER_FIELDS:
        mine, theirs = getattr(keep, field), getattr(duplicate, field)
        if theirs and not mine:
            keep_update[field], duplicate_update[field] = theirs, None
        elif theirs and theirs != mine:
            conflicts.append(f"{field} {theirs}")
    other_names = [duplicate.name, *duplicate.aliases]
    if duplicate.acronym and keep.acronym and folded(duplicate.acronym) != folded(keep.acronym):
        other_names.append(duplicate.acronym)
    keep_update |= {
        "aliases": distinct_names([*keep.aliases, *other_names], keep.name),
        "email_domains": tuple(dict.fromkeys([*keep.email_domains, *duplicate.email_domains])),
        "acronym": keep.acronym or duplicate.acronym,
        "website": keep.website or duplicate.website,
        "category": keep.category or duplicate.category,
        "hatvp_registered": keep.hatvp_registered or duplicate.hatvp_registered,
    }
    return (
        keep.model_copy(update=keep_update),
        duplicate.model_copy(update=duplicate_update),
        tuple(conflicts),
    )


async def _relink_presence(keep_id: UUID, duplicate_id: UUID) -> set[UUID]:
    """Point the duplicate's presence rows at the kept organisation; where a meeting already
    lists both, keep one row with both rows' people (a meeting lists an organisation once)."""
    row_id = PresenceRow._meta.primary_key
    columns = (row_id, PresenceRow.meeting, PresenceRow.people)
    moving = (
        await PresenceRow.select(*columns)
        .where(PresenceRow.representative == duplicate_id)
        .output(load_json=True)
    )
    if not moving:
        return set()
    meetings = [row["meeting"] for row in moving]
    staying = {
        row["meeting"]: row
        for row in await PresenceRow.select(*columns)
        .where(PresenceRow.representative == keep_id, PresenceRow.meeting.is_in(meetings))
        .output(load_json=True)
    }
    for row in moving:
        kept = staying.get(row["meeting"])
        if kept is None:
            await PresenceRow.update({PresenceRow.representative: keep_id}).where(
                row_id == row["id"]
            )
            continue
        people = list(dict.fromkeys([*(kept["people"] or ()), *(row["people"] or ())]))
        await PresenceRow.update({PresenceRow.people: people}).where(row_id == kept["id"])
        await PresenceRow.delete().where(row_id == row["id"])
    return set(meetings)


async def _relink_classifications(keep_id: UUID, duplicate_id: UUID) -> set[UUID]:
    """Name the kept organisation in classifications (organisations found, and the reasons'
    evidence) that named the duplicate: the public sees those reasons."""
    old, new = str(duplicate_id), str(keep_id)
    pattern = f"%{old}%"
    rows = (
        await MeetingRow.select(
            MeetingRow.id,
            MeetingRow.classification_representatives,
            MeetingRow.classification_reasons,
        )
        .where(
            WhereRaw("CAST(classification_representatives AS TEXT) LIKE {}", pattern)
            | WhereRaw("CAST(classification_reasons AS TEXT) LIKE {}", pattern)
        )
        .output(load_json=True)
    )
    for row in rows:
        found = [new if value == old else value for value in row["classification_representatives"]]
        reasons = [
            reason | {"representative_id": new}
            if reason.get("representative_id") == old
            else reason
            for reason in row["classification_reasons"] or ()
        ]
        await MeetingRow.update(
            {
                MeetingRow.classification_representatives: list(dict.fromkeys(found)),
                MeetingRow.classification_reasons: reasons,
            }
        ).where(MeetingRow.id == row["id"])
    return {row["id"] for row in rows}


async def merge(keep_id: UUID, duplicate_id: UUID, *, actor: str = "cli") -> MergeResult:
    """Merge `duplicate_id` into `keep_id` in one transaction: every meeting that listed or
    classified the duplicate lists the kept organisation instead (its lock version moves on, so
    an editor holding the old record gets a conflict rather than bringing the duplicate back);
    names, e-mail domains and identifiers are united; the duplicate points at the kept record,
    and so do the records merged into the duplicate before."""
    if keep_id == duplicate_id:
        raise MergeError("cannot merge an organisation into itself")
    async with writing():
        found = await representatives_by_id([keep_id, duplicate_id])
        for wanted in (keep_id, duplicate_id):
            if wanted not in found:
                raise MergeError(f"no organisation {wanted}")
        keep, duplicate = found[keep_id], found[duplicate_id]
        if keep.merged_into_id is not None:
            raise MergeError(f"{keep_id} was merged into {keep.merged_into_id}: keep that one")
        if duplicate.merged_into_id is not None:
            raise MergeError(f"{duplicate_id} is already merged into {duplicate.merged_into_id}")
        new_keep, new_duplicate, conflicts = combine_records(keep, duplicate)
        meetings = await _relink_presence(keep_id, duplicate_id)
        meetings |= await _relink_classifications(keep_id, duplicate_id)
        if meetings:
            await MeetingRow.update(
                {
                    MeetingRow.lock_version: MeetingRow.lock_version + 1,
                    MeetingRow.updated_at: datetime.now(UTC),
                }
            ).where(MeetingRow.id.is_in(list(meetings)))
        # The duplicate first: it gives up the unique identifiers the kept record takes.
        await upsert_representatives([new_duplicate])
        await upsert_representatives([new_keep])
        await RepresentativeRow.update({RepresentativeRow.merged_into: keep_id}).where(
            RepresentativeRow.merged_into == duplicate_id
        )
        await record_event(
            AuditEvent(
                at=datetime.now(UTC),
                actor=actor,
                action="merge",
                entity="interest_representative",
                entity_id=str(keep_id),
                changes={
                    "duplicate": str(duplicate_id),
                    "duplicate_name": duplicate.name,
                    "meetings_relinked": len(meetings),
                    "conflicts": list(conflicts),
                },
            )
        )
    return MergeResult(new_keep, new_duplicate, len(meetings), conflicts)
