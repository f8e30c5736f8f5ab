"""The search page (`/rencontres`): full text and every filter of `MeetingFilter`, sort, pages
by cursor, an address to share, and the same list as iCalendar, RSS, Atom and CSV."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Redirect

from register.domain.kinds import MeetingFormat, PublicationState
from register.public_entities import (
    RegisterAuthority,
    RegisterOfficial,
    RegisterOrganisation,
    RegisterPolicyArea,
    most_named_organisations,
    public_authorities,
    public_officials,
    public_organisation,
    public_policy_areas,
)
from register.queries import InvalidCursorError, MeetingSort, search_meetings
from register.settings import Settings
from register.web.i18n import Ui, both_paths, with_query
from register.web.public.context import base_url, error_page, feed_links, page, ui_for
from register.web.public.params import (
    BAD_CURSOR,
    BadParametersError,
    Problem,
    SearchRequest,
    parse_search,
)

SEARCH_PATH = "/rencontres"


@dataclass(frozen=True, slots=True)
class Choices:
    """What the search form offers in its lists."""

    authorities: list[RegisterAuthority]
    officials: list[RegisterOfficial]
    organisations: list[RegisterOrganisation]
    policy_areas: list[RegisterPolicyArea]
    formats: tuple[MeetingFormat, ...] = tuple(MeetingFormat)
    states: tuple[PublicationState, ...] = (
        PublicationState.PUBLISHED,
        PublicationState.CORRECTED,
        PublicationState.WITHDRAWN,
    )
    sorts: tuple[MeetingSort, ...] = tuple(MeetingSort)


@dataclass(frozen=True, slots=True)
class ActiveFilter:
    """A filter in force, said in words, with the address of the search without it."""

    name: str
    label: str
    value: str
    remove_url: str


ORGANISATION_CHOICES = 200


async def search_choices(organisation: UUID | None = None) -> Choices:
    """Who and what the published meetings name, for the form's lists. A large register names
    tens of thousands of organisations: the list offers the `ORGANISATION_CHOICES` met most
    often (by name), and `organisation` (the one chosen) when it is not among them; any other
    is one link away, from its own page."""
    areas = await public_policy_areas()
    organisations = await most_named_organisations(ORGANISATION_CHOICES)
    if organisation is not None and all(o.id != organisation for o in organisations):
        chosen = await public_organisation(organisation)
        if chosen is not None:
            organisations = [*organisations, chosen]
    return Choices(
        authorities=await public_authorities(),
        officials=await public_officials(),
        organisations=organisations,
        policy_areas=sorted(areas, key=lambda area: area.label.fr.casefold()),
    )


def describe(ui: Ui, problem: Problem) -> str:
    """A refused parameter's message in the reader's language."""
    values = {k: ui.t(v) if k == "expected" else v for k, v in problem.values}
    return ui.t(problem.message, **values)


def bad_parameters(
    request: Request[Any, Any, Any], error: BadParametersError, path: str
) -> Response[Any]:
    ui = ui_for(request)
    return error_page(
        request,
        ui,
        400,
        ui.t("Cette adresse contient des paramètres de recherche qui ne peuvent pas être lus."),
        problems=[describe(ui, problem) for problem in error.problems],
        retry_url=ui.url(path, error.kept),
    )


def active_filters(
    ui: Ui, search: SearchRequest, choices: Choices, path: str = SEARCH_PATH
) -> list[ActiveFilter]:
    """The filters in force, each said in words (names rather than ids), with the address of
    the page at `path` without it."""
    filters = search.filters
    names: dict[str, dict[str, str]] = {
        "authority": {str(a.id): a.name for a in choices.authorities},
        "official": {str(o.id): o.name for o in choices.officials},
        "organisation": {str(o.id): o.name for o in choices.organisations},
        "policy_area": {a.code: ui.message(a.label) for a in choices.policy_areas},
    }
    labels = {
        "q": ui.t("Mots"),
        "authority": ui.t("Collectivité"),
        "official": ui.t("Responsable public"),
        "organisation": ui.t("Organisation"),
        "policy_area": ui.t("Domaine"),
        "format": ui.t("Format"),
        "since": ui.t("Depuis le"),
        "until": ui.t("Jusqu'au"),
        "hatvp_registered": ui.t("Inscrite au répertoire de la HATVP"),
        "state": ui.t("État"),
    }
    found = []
    for name, raw in filters.params().items():
        value = names.get(name, {}).get(raw, raw)
        if name == "format" and filters.format:
            value = ui.label(filters.format)
        elif name == "state" and filters.state:
            value = ui.label(filters.state)
        elif name == "hatvp_registered":
            value = ui.t("oui") if filters.hatvp_registered else ui.t("non")
        elif name in {"since", "until"}:
            day = filters.since if name == "since" else filters.until
            value = ui.date(day) if day else raw
        found.append(
            ActiveFilter(
                name=name,
                label=labels[name],
                value=value,
                remove_url=ui.url(path, search.without(name).params(paging=path == SEARCH_PATH)),
            )
        )
    return found


class SearchPage(Controller):
    include_in_schema = False

    @get(both_paths(SEARCH_PATH), name="search", cache=False)
    async def search(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings]
    ) -> Response[Any]:
        """Published meetings that match the address's parameters, a page at a time."""
        ui = ui_for(request)
        try:
            search = parse_search(request.query_params.multi_items())
        except BadParametersError as error:
            return bad_parameters(request, error, SEARCH_PATH)
        canonical = ui.url(SEARCH_PATH, search.params(cursor=search.cursor))
        if request.url.query and canonical != with_query(request.url.path, request.url.query):
            # A form's empty fields and default choices: the address to share has none.
            return Redirect(canonical)
        try:
            results = await search_meetings(
                search.filters, sort=search.sort, limit=search.limit, cursor=search.cursor
            )
        except InvalidCursorError:
            return bad_parameters(
                request,
                BadParametersError([Problem("cursor", BAD_CURSOR)], search.params()),
                SEARCH_PATH,
            )
        base = base_url(request, settings)
        feeds = feed_links(base, search.filters)
        choices = await search_choices(search.filters.organisation)
        next_url = (
            ui.url(SEARCH_PATH, search.params(cursor=results.next_cursor))
            if results.next_cursor
            else None
        )
        headers = {"Link": feeds.link_header()}
        if next_url:
            headers["Link"] += f', <{next_url}>; rel="next"'
        return page(
            "public/search.html",
            ui,
            {
                "search": search,
                "results": results,
                "choices": choices,
                "active": active_filters(ui, search, choices),
                "feeds": feeds,
                "next_url": next_url,
                "first_url": ui.url(SEARCH_PATH, search.params()) if search.cursor else None,
                "share_url": base + ui.url(SEARCH_PATH, search.params(cursor=search.cursor)),
            },
            headers=headers,
        )
