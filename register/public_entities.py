"""Who and what the public register names: authorities, officials, organisations and policy
areas, each with how many published meetings name it.

Read, like `register.queries`, from the public projection only (`public_meeting`, the current
public version of each published meeting), never from the working tables: an official or an
organisation appears here only once a published meeting names it, and always under the name
and identifiers that the register published. When versions disagree (an organisation renamed,
an official's new role), the most recently published version wins.

Counts follow `register.statistics`: `meetings` are the published meetings that stand, and
`withdrawn` those withdrawn since (still public, with their reason, but counted in no figure), so
that `meetings + withdrawn` is the `total` of the matching search. An official is counted for
the meetings of their own diary, as the `official` filter of a search counts them.
"""

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from heapq import nlargest
from typing import Any, NamedTuple, TypeVar, cast
from uuid import UUID

from piccolo.columns import Column
from piccolo.query.functions.aggregate import Count, Max
from pydantic import BaseModel, ConfigDict, Field

from register.domain.kinds import OfficialKind, PublicationState
from register.domain.normalise import normalise, tokens
from register.domain.public_record import PublicAuthority
from register.domain.text import Message
from register.per_version import KeptResults
from register.queries import MAX_LIMIT, InvalidCursorError
from register.store.tables import PublicMeeting, PublicMeetingOrganisation
from register.store.values import as_uuid

_ID_EXAMPLE = "0195a3c4-7e2b-7c1d-9f00-3b5e8a1d2c4f"


class RegisterAuthority(BaseModel):
    """An authority that has published at least one meeting."""

    model_config = ConfigDict(frozen=True)

    id: UUID = Field(description="The authority's stable id.", examples=[_ID_EXAMPLE])
    slug: str = Field(description="Short name used in addresses.", examples=["ville-de-rennes"])
    name: str = Field(description="The authority's name.", examples=["Ville de Rennes"])
    meetings: int = Field(description="Published meetings, withdrawn ones aside.", examples=[42])
    withdrawn: int = Field(description="Published meetings withdrawn since.", examples=[1])


class RegisterOfficial(BaseModel):
    """An official (élu, or member of cabinet / senior agent) whose diary has at least one
    published meeting."""

    model_config = ConfigDict(frozen=True)

    id: UUID = Field(description="The official's stable id.", examples=[_ID_EXAMPLE])
    slug: str = Field(description="Short name used in addresses.", examples=["marie-durand"])
    name: str = Field(description="Full name.", examples=["Marie Durand"])
    role: str = Field(description="Role or office.", examples=["Maire"])
    kind: OfficialKind = Field(
        description="elected: an elected official; staff: cabinet member or senior agent.",
        examples=["elected"],
    )
    authority: PublicAuthority = Field(description="The authority the official belongs to.")
    meetings: int = Field(
        description="Published meetings of this official's diary, withdrawn ones aside.",
        examples=[17],
    )
    withdrawn: int = Field(description="Meetings of the diary withdrawn since.", examples=[0])


class RegisterOrganisation(BaseModel):
    """An interest representative (organisation) named by at least one published meeting."""

    model_config = ConfigDict(frozen=True)

    id: UUID = Field(description="The organisation's stable id.", examples=[_ID_EXAMPLE])
    name: str = Field(description="Name.", examples=["Fédération des bâtisseurs du Val"])
    hatvp_id: str | None = Field(
        description="Identifier in the HATVP register of interest representatives.",
        examples=["552100554"],
    )
    siren: str | None = Field(description="SIREN number (9 digits).", examples=["552100554"])
    eu_transparency_id: str | None = Field(
        description="Identifier in the EU Transparency Register.", examples=["123456789012-34"]
    )
    hatvp_registered: bool = Field(
        description="Whether the organisation is registered with the HATVP.", examples=[True]
    )
    meetings: int = Field(
        description="Published meetings naming the organisation, withdrawn ones aside.",
        examples=[5],
    )
    withdrawn: int = Field(description="Meetings naming it withdrawn since.", examples=[0])


class RegisterPolicyArea(BaseModel):
    """A policy area (domaine d'action publique) of at least one published meeting."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="Stable code of the policy area.", examples=["urbanisme"])
    label: Message = Field(description="Label in French and English.")
    meetings: int = Field(
        description="Published meetings in this area, withdrawn ones aside.", examples=[12]
    )
    withdrawn: int = Field(description="Meetings in this area withdrawn since.", examples=[0])


class OrganisationPage(BaseModel):
    """One page of organisations in name order, and how many match in all."""

    model_config = ConfigDict(frozen=True)

    items: list[RegisterOrganisation]
    total: int
    next_cursor: str | None


_WITHDRAWN = PublicationState.WITHDRAWN.value


class _Group(NamedTuple):
    key: Any
    meetings: int
    withdrawn: int
    last_seq: int


def _chunks(values: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    return (values[start : start + size] for start in range(0, len(values), size))


async def _bodies(log_seqs: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The public payloads of the current versions with these log entries, by entry."""
    found: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(log_seqs))):
        rows = await PublicMeeting.select(PublicMeeting.log_seq, PublicMeeting.body).where(
            PublicMeeting.log_seq.is_in(list(chunk))
        )
        found.update({row["log_seq"]: json.loads(row["body"]) for row in rows})
    return found


async def _grouped(column: Column, *conditions: Any) -> list[_Group]:
    """For each value of `column` among the public meetings (matching `conditions`): how many
    stand, how many were withdrawn, and the log entry of the most recently published one."""
    name = column._meta.name
    query = PublicMeeting.select(
        column, Count(alias="n"), Max(PublicMeeting.log_seq, alias="last_seq")
    )
    withdrawn_query = PublicMeeting.select(column, Count(alias="n")).where(
        PublicMeeting.state == _WITHDRAWN
    )
    for condition in conditions:
        query = query.where(condition)
        withdrawn_query = withdrawn_query.where(condition)
    withdrawn = {row[name]: row["n"] for row in await withdrawn_query.group_by(column)}
    return [
        _Group(
            key=row[name],
            meetings=row["n"] - withdrawn.get(row[name], 0),
            withdrawn=withdrawn.get(row[name], 0),
            last_seq=row["last_seq"],
        )
        for row in await query.group_by(column)
    ]


async def _counts(*conditions: Any) -> tuple[int, int]:
    """(standing, withdrawn) public meetings matching `conditions`."""
    total = await PublicMeeting.count().where(*conditions)
    withdrawn = await PublicMeeting.count().where(PublicMeeting.state == _WITHDRAWN, *conditions)
    return int(total) - int(withdrawn), int(withdrawn)


_T = TypeVar("_T")
_kept: KeptResults[Any] = KeptResults()


async def _per_version(
    name: str, args: tuple[Any, ...], compute: Callable[[], Awaitable[_T]]
) -> _T:
    """`compute()`, once per state of the register: grouping a million public meetings takes
    seconds, and every search page shows these lists."""
    return cast(_T, await _kept.per_version((name, args), compute))


def _sort_key(name: str, identifier: UUID) -> tuple[str, str]:
    return (normalise(name), str(identifier))


# Authorities ---------------------------------------------------------------------------------


async def public_authorities() -> list[RegisterAuthority]:
    """Every authority with a published meeting, by name."""
    return list(await _per_version("authorities", (), _authorities))


async def _authorities() -> list[RegisterAuthority]:
    groups = await _grouped(PublicMeeting.authority)
    bodies = await _bodies(group.last_seq for group in groups)
    found = [
        RegisterAuthority(
            **PublicAuthority.model_validate(bodies[group.last_seq]["authority"]).model_dump(),
            meetings=group.meetings,
            withdrawn=group.withdrawn,
        )
        for group in groups
    ]
    return sorted(found, key=lambda item: _sort_key(item.name, item.id))


# Officials -----------------------------------------------------------------------------------


def _official(body: dict[str, Any], meetings: int, withdrawn: int) -> RegisterOfficial:
    official = body["official"]
    return RegisterOfficial(
        id=official["id"],
        slug=official["slug"],
        name=official["name"],
        role=official["role"],
        kind=official["kind"],
        authority=PublicAuthority.model_validate(body["authority"]),
        meetings=meetings,
        withdrawn=withdrawn,
    )


async def public_officials(*, authority: UUID | None = None) -> list[RegisterOfficial]:
    """Every official whose diary has a published meeting (of `authority` only, if given),
    by name."""
    return list(await _per_version("officials", (authority,), lambda: _officials(authority)))


async def _officials(authority: UUID | None) -> list[RegisterOfficial]:
    conditions = [] if authority is None else [PublicMeeting.authority == authority]
    groups = await _grouped(PublicMeeting.official, *conditions)
    bodies = await _bodies(group.last_seq for group in groups)
    found = [_official(bodies[group.last_seq], group.meetings, group.withdrawn) for group in groups]
    return sorted(found, key=lambda item: _sort_key(item.name, item.id))


async def public_official(official_id: UUID) -> RegisterOfficial | None:
    """One official as the register last published them, or None if no published meeting is
    in their diary."""
    latest = (
        await PublicMeeting.select(PublicMeeting.body)
        .where(PublicMeeting.official == official_id)
        .order_by(PublicMeeting.log_seq, ascending=False)
        .first()
    )
    if latest is None:
        return None
    meetings, withdrawn = await _counts(PublicMeeting.official == official_id)
    return _official(json.loads(latest["body"]), meetings, withdrawn)


# Organisations -------------------------------------------------------------------------------

_ORGANISATIONS_SQL = f"""
SELECT o.organisation AS organisation, o.meetings AS meetings, o.withdrawn AS withdrawn,
       o.last_seq AS last_seq, pmo.name AS name
FROM (
    SELECT pmo.organisation AS organisation,
           COUNT(*) AS meetings,
           SUM(CASE WHEN pm.state = '{_WITHDRAWN}' THEN 1 ELSE 0 END) AS withdrawn,
           MAX(pm.log_seq) AS last_seq
    FROM public_meeting_organisation AS pmo
    JOIN public_meeting AS pm ON pm.id = pmo.meeting
    GROUP BY pmo.organisation
) AS o
JOIN public_meeting AS pm ON pm.log_seq = o.last_seq
JOIN public_meeting_organisation AS pmo
    ON pmo.meeting = pm.id AND pmo.organisation = o.organisation
"""  # noqa: S608 - a constant of this module, no input


def _organisation(
    body: dict[str, Any], organisation_id: UUID, meetings: int, withdrawn: int
) -> RegisterOrganisation:
    for rep in body.get("representatives") or ():
        if as_uuid(rep["id"]) == organisation_id:
            return RegisterOrganisation(
                id=organisation_id,
                name=rep["name"],
                hatvp_id=rep.get("hatvp_id"),
                siren=rep.get("siren"),
                eu_transparency_id=rep.get("eu_transparency_id"),
                hatvp_registered=bool(rep.get("hatvp_registered")),
                meetings=meetings,
                withdrawn=withdrawn,
            )
    raise LookupError(f"organisation {organisation_id} is not in its latest meeting")


def _organisation_cursor(key: tuple[str, str]) -> str:
    document = json.dumps({"n": key[0], "id": key[1]}).encode()
    return base64.urlsafe_b64encode(document).decode().rstrip("=")


def _after_organisation(cursor: str) -> tuple[str, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        document = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return (str(document["n"]), str(UUID(document["id"])))
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise InvalidCursorError("the cursor is not one this register handed out") from error


async def public_organisations(
    *, q: str | None = None, limit: int | None = 50, cursor: str | None = None
) -> OrganisationPage:
    """Organisations named by published meetings, in name order (accents and case ignored,
    then id), one page at a time: `q` keeps those whose name has every word of it at the start
    of a word; `cursor` is a page's `next_cursor`; `limit` None gives every match (exports).
    InvalidCursorError for a cursor this function did not hand out.

    Names are compared in Python: the register names a few thousand organisations at most, and
    only the page's entries read their published payloads.
    """
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
    start = _after_organisation(cursor) if cursor else None
    words = tokens(q or "")[:12]
    if not words and start is None and limit is None:
        # Every organisation (the search form's list, exports): one read per register state.
        found = await _per_version("organisations", (), lambda: _organisation_page([], None, None))
        return found.model_copy(update={"items": list(found.items)})
    return await _organisation_page(words, limit, start)


async def _organisation_rows() -> list[dict[str, Any]]:
    """Every organisation's counts, latest entry and name, in name order, with the name
    normalised for matching words of a query."""
    rows = [
        {
            **row,
            "key": _sort_key(row["name"], as_uuid(row["organisation"])),
            "padded": f" {normalise(row['name'])}",
        }
        for row in await PublicMeetingOrganisation.raw(_ORGANISATIONS_SQL)
    ]
    rows.sort(key=lambda row: row["key"])
    return rows


async def _organisation_page(
    words: list[str], limit: int | None, start: tuple[str, str] | None
) -> OrganisationPage:
    every = await _per_version("organisation rows", (), _organisation_rows)
    rows = [row for row in every if all(f" {word}" in row["padded"] for word in words)]
    following = [row for row in rows if start is None or row["key"] > start]
    page = following if limit is None else following[:limit]
    bodies = await _bodies(row["last_seq"] for row in page)
    more = limit is not None and len(following) > limit
    return OrganisationPage(
        items=[
            _organisation(
                bodies[row["last_seq"]],
                as_uuid(row["organisation"]),
                int(row["meetings"]) - int(row["withdrawn"]),
                int(row["withdrawn"]),
            )
            for row in page
        ],
        total=len(rows),
        next_cursor=_organisation_cursor(page[-1]["key"]) if more and page else None,
    )


async def most_named_organisations(limit: int) -> list[RegisterOrganisation]:
    """The `limit` organisations named by the most published meetings (withdrawn ones
    included), in name order: only their payloads are read."""
    return list(await _per_version("most named", (limit,), lambda: _most_named(limit)))


async def _most_named(limit: int) -> list[RegisterOrganisation]:
    every = await _per_version("organisation rows", (), _organisation_rows)
    top = sorted(nlargest(limit, range(len(every)), key=lambda i: int(every[i]["meetings"])))
    bodies = await _bodies(every[i]["last_seq"] for i in top)
    return [
        _organisation(
            bodies[every[i]["last_seq"]],
            as_uuid(every[i]["organisation"]),
            int(every[i]["meetings"]) - int(every[i]["withdrawn"]),
            int(every[i]["withdrawn"]),
        )
        for i in top
    ]


async def public_organisation(organisation_id: UUID) -> RegisterOrganisation | None:
    """One organisation as the register last published it, or None if no published meeting
    names it."""
    naming = PublicMeeting.id.is_in(
        PublicMeetingOrganisation.select(PublicMeetingOrganisation.meeting).where(
            PublicMeetingOrganisation.organisation == organisation_id
        )
    )
    latest = (
        await PublicMeeting.select(PublicMeeting.body)
        .where(naming)
        .order_by(PublicMeeting.log_seq, ascending=False)
        .first()
    )
    if latest is None:
        return None
    meetings, withdrawn = await _counts(naming)
    return _organisation(json.loads(latest["body"]), organisation_id, meetings, withdrawn)


# Policy areas --------------------------------------------------------------------------------


async def public_policy_areas(*, authority: UUID | None = None) -> list[RegisterPolicyArea]:
    """Every policy area of a published meeting (of `authority` only, if given), by code."""
    return list(await _per_version("areas", (authority,), lambda: _policy_areas(authority)))


async def _policy_areas(authority: UUID | None) -> list[RegisterPolicyArea]:
    conditions = [PublicMeeting.policy_area.is_not_null()]
    if authority is not None:
        conditions.append(PublicMeeting.authority == authority)
    groups = await _grouped(PublicMeeting.policy_area, *conditions)
    bodies = await _bodies(group.last_seq for group in groups)
    found = [
        RegisterPolicyArea(
            code=group.key,
            label=Message.model_validate(bodies[group.last_seq]["policy_area"]["label"]),
            meetings=group.meetings,
            withdrawn=group.withdrawn,
        )
        for group in groups
        if group.key
    ]
    return sorted(found, key=lambda item: item.code)
