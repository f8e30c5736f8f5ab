"""A search's query parameters read from a page's address, with a clear message for each one
that cannot mean anything (never a 500).

The parameters are those of the API and the feeds (`MeetingFilter`'s fields, `sort`, `cursor`,
`limit`), so that a page's address, its feeds and its CSV export name the same meetings. Empty
values (a form's untouched fields) mean "no filter"; unknown parameters are ignored, as a page
should be reachable with a tracking parameter stuck to its address.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from pydantic import ValidationError

from register.queries import MeetingFilter, MeetingSort

DEFAULT_LIMIT = 25
MAX_PAGE_LIMIT = 100
FILTER_FIELDS: tuple[str, ...] = tuple(MeetingFilter.model_fields)
PAGING_FIELDS = ("sort", "cursor", "limit")

EXPECTED: dict[str, str] = {
    "q": "200 caractères au plus",
    "authority": "l'identifiant (UUID) d'une collectivité est attendu",
    "official": "l'identifiant (UUID) d'un responsable public est attendu",
    "organisation": "l'identifiant (UUID) d'une organisation est attendu",
    "policy_area": "le code d'un domaine est attendu (lettres minuscules, chiffres et tirets)",
    "format": "valeurs possibles : in_person, video, phone",
    "since": "une date au format AAAA-MM-JJ est attendue",
    "until": "une date au format AAAA-MM-JJ est attendue",
    "hatvp_registered": "valeurs possibles : true, false",
    "state": "valeurs possibles : published, corrected, withdrawn",
    "sort": "valeurs possibles : -date, date, -published",
    "limit": "un nombre entier de 1 à 100 est attendu",
}
"""What each parameter accepts, said in the message of a refusal (French; English in the
catalogue)."""

BAD_VALUE = "Le paramètre « {name} » ne peut pas valoir « {value} » : {expected}."
REPEATED = "Le paramètre « {name} » est donné plusieurs fois."
PERIOD_REVERSED = "La date de fin « until » ({until}) précède la date de début « since » ({since})."
BAD_CURSOR = (
    "Le lien vers la page suivante n'est pas valide ou a été fait pour un autre tri : "
    "revenez à la première page des résultats."
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One refused parameter: a French message (the catalogue's key) and its values."""

    parameter: str
    message: str
    values: tuple[tuple[str, str], ...] = ()


class BadParametersError(ValueError):
    def __init__(self, problems: list[Problem], kept: dict[str, str]) -> None:
        super().__init__("; ".join(p.parameter for p in problems))
        self.problems = problems
        self.kept = kept
        """The parameters that were fine, for a link to try again without the others."""


def _shown(value: str) -> str:
    return value if len(value) <= 60 else value[:59] + "…"


def bad_value(name: str, value: str) -> Problem:
    return Problem(
        name, BAD_VALUE, (("name", name), ("value", _shown(value)), ("expected", EXPECTED[name]))
    )


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What a page was asked for: which meetings, in which order, which page of them."""

    filters: MeetingFilter
    sort: MeetingSort = MeetingSort.NEWEST
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT

    def params(self, *, cursor: str | None = None, paging: bool = True) -> dict[str, str]:
        """The canonical query parameters: the filter's, then the sort and page size when they
        are not the defaults, then `cursor` (this request's own is dropped)."""
        found = self.filters.params()
        if paging and self.sort is not MeetingSort.NEWEST:
            found["sort"] = self.sort.value
        if paging and self.limit != DEFAULT_LIMIT:
            found["limit"] = str(self.limit)
        if cursor:
            found["cursor"] = cursor
        return found

    def without(self, name: str) -> "SearchRequest":
        """The same search without the filter `name` (for "remove this filter" links)."""
        return replace(self, filters=self.filters.model_copy(update={name: None}), cursor=None)


def parse_search(items: Iterable[tuple[str, str]], *, paging: bool = True) -> SearchRequest:
    """The search that query parameters `items` ask for; BadParametersError lists every
    parameter that cannot be read, all at once."""
    known = FILTER_FIELDS + (PAGING_FIELDS if paging else ())
    given: dict[str, str] = {}
    problems: list[Problem] = []
    for name, value in items:
        if name not in known or not value.strip():
            continue
        if name in given:
            if Problem(name, REPEATED, (("name", name),)) not in problems:
                problems.append(Problem(name, REPEATED, (("name", name),)))
            continue
        given[name] = value.strip()
    filters = _filters({k: v for k, v in given.items() if k in FILTER_FIELDS}, problems)
    sort = MeetingSort.NEWEST
    if "sort" in given:
        try:
            sort = MeetingSort(given["sort"])
        except ValueError:
            problems.append(bad_value("sort", given["sort"]))
    limit = DEFAULT_LIMIT
    if "limit" in given:
        text = given["limit"]
        if text.isdigit() and 1 <= int(text) <= MAX_PAGE_LIMIT:
            limit = int(text)
        else:
            problems.append(bad_value("limit", text))
    if problems or filters is None:
        refused = {problem.parameter for problem in problems}
        kept = {k: v for k, v in given.items() if k not in refused and k != "cursor"}
        raise BadParametersError(problems, kept)
    return SearchRequest(filters=filters, sort=sort, cursor=given.get("cursor"), limit=limit)


def _filters(given: dict[str, str], problems: list[Problem]) -> MeetingFilter | None:
    """The filter, or None after adding to `problems` what is wrong with it."""
    try:
        return MeetingFilter.model_validate(given)
    except ValidationError as error:
        for item in error.errors():
            location = item["loc"][0] if item["loc"] else None
            if isinstance(location, str) and location in given:
                problem = bad_value(location, given[location])
                if problem not in problems:
                    problems.append(problem)
            elif "until is before since" in item["msg"]:
                problems.append(
                    Problem(
                        "until",
                        PERIOD_REVERSED,
                        (("since", given["since"]), ("until", given["until"])),
                    )
                )
            else:  # a state that the public register never shows (draft, ready)
                problems.append(bad_value("state", given.get("state", "")))
        return None
