"""`/api/v1/officials`, `/organisations`, `/authorities`, `/policy-areas`: who and what the
published meetings name (`register.public_entities`), each with its number of meetings."""

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter

from register.public_entities import (
    RegisterOfficial,
    RegisterOrganisation,
    public_authorities,
    public_official,
    public_officials,
    public_organisation,
    public_organisations,
    public_policy_areas,
)
from register.queries import InvalidCursorError
from register.settings import Settings
from register.web.api.conventions import CSV_OPT, Negotiated, Representation
from register.web.api.csv_output import (
    AUTHORITY_COLUMNS,
    OFFICIAL_COLUMNS,
    ORGANISATION_COLUMNS,
    POLICY_AREA_COLUMNS,
    authority_row,
    csv_response,
    official_row,
    organisation_row,
    policy_area_row,
)
from register.web.api.openapi import LIST_HEADERS, READ_HEADERS, list_operation, responses
from register.web.api.pagination import (
    DEFAULT_LIMIT,
    Cursor,
    Limit,
    bad_cursor,
    next_link,
    page_url,
)
from register.web.api.schemas import (
    AuthorityList,
    Links,
    OfficialList,
    OrganisationList,
    PolicyAreaList,
)

AuthorityFilter = Annotated[
    UUID | None, QueryParameter(description="Only those of this authority (its id).")
]


def _csv(negotiated: Negotiated) -> bool:
    return negotiated.representation is Representation.CSV


class OfficialsController(Controller):
    path = "/officials"
    tags = ("officials",)

    @get(
        "/",
        summary="Officials with published meetings",
        description="Every official whose diary has a published meeting, by name, with how "
        "many (the `total` of `/meetings?official=<id>`).",
        opt={CSV_OPT: True},
        operation_class=list_operation(OFFICIAL_COLUMNS),
        responses=responses(),
        response_headers=READ_HEADERS,
    )
    async def list_officials(
        self, negotiated: NamedDependency[Negotiated], authority: AuthorityFilter = None
    ) -> Response[OfficialList]:
        officials = await public_officials(authority=authority)
        if _csv(negotiated):
            return csv_response("officials", OFFICIAL_COLUMNS, officials, official_row)
        return Response(OfficialList(items=officials, total=len(officials)))

    @get(
        "/{official_id:uuid}",
        summary="One official",
        responses=responses(404),
        response_headers=READ_HEADERS,
    )
    async def get_official(self, official_id: FromPath[UUID]) -> RegisterOfficial:
        official = await public_official(official_id)
        if official is None:
            raise NotFoundException(
                detail=f"no official with published meetings has the id {official_id}"
            )
        return official


class OrganisationsController(Controller):
    path = "/organisations"
    tags = ("organisations",)

    @get(
        "/",
        summary="Organisations named by published meetings",
        description="The interest representatives that published meetings name, by name "
        "(accents and case ignored), one page at a time, with how many meetings name each "
        "(the `total` of `/meetings?organisation=<id>`).",
        opt={CSV_OPT: True},
        operation_class=list_operation(ORGANISATION_COLUMNS),
        responses=responses(),
        response_headers=LIST_HEADERS,
    )
    async def list_organisations(
        self,
        *,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        negotiated: NamedDependency[Negotiated],
        q: Annotated[
            str | None,
            QueryParameter(
                max_length=200,
                description="Words of the name (each must start a word of it; accents and "
                "case ignored).",
            ),
        ] = None,
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> Response[OrganisationList]:
        as_csv = _csv(negotiated)
        try:
            page = await public_organisations(
                q=q,
                limit=limit if limit or as_csv else DEFAULT_LIMIT,
                cursor=cursor,
            )
        except InvalidCursorError as error:
            raise bad_cursor(error) from error
        following = (
            page_url(request, settings, negotiated, page.next_cursor) if page.next_cursor else None
        )
        if as_csv:
            return csv_response(
                "organisations",
                ORGANISATION_COLUMNS,
                page.items,
                organisation_row,
                headers=next_link(following),
            )
        return Response(
            OrganisationList(
                items=page.items,
                total=page.total,
                next_cursor=page.next_cursor,
                links=Links(next=following),
            ),
            headers=next_link(following),
        )

    @get(
        "/{organisation_id:uuid}",
        summary="One organisation",
        responses=responses(404),
        response_headers=READ_HEADERS,
    )
    async def get_organisation(self, organisation_id: FromPath[UUID]) -> RegisterOrganisation:
        organisation = await public_organisation(organisation_id)
        if organisation is None:
            raise NotFoundException(
                detail=f"no published meeting names an organisation with the id {organisation_id}"
            )
        return organisation


class AuthoritiesController(Controller):
    path = "/authorities"
    tags = ("authorities",)

    @get(
        "/",
        summary="Authorities with published meetings",
        opt={CSV_OPT: True},
        operation_class=list_operation(AUTHORITY_COLUMNS),
        responses=responses(),
        response_headers=READ_HEADERS,
    )
    async def list_authorities(
        self, negotiated: NamedDependency[Negotiated]
    ) -> Response[AuthorityList]:
        authorities = await public_authorities()
        if _csv(negotiated):
            return csv_response("authorities", AUTHORITY_COLUMNS, authorities, authority_row)
        return Response(AuthorityList(items=authorities, total=len(authorities)))


class PolicyAreasController(Controller):
    path = "/policy-areas"
    tags = ("policy areas",)

    @get(
        "/",
        summary="Policy areas of published meetings",
        description="Every policy area of a published meeting, by code, with how many (the "
        "`total` of `/meetings?policy_area=<code>`).",
        opt={CSV_OPT: True},
        operation_class=list_operation(POLICY_AREA_COLUMNS),
        responses=responses(),
        response_headers=READ_HEADERS,
    )
    async def list_policy_areas(
        self, negotiated: NamedDependency[Negotiated], authority: AuthorityFilter = None
    ) -> Response[PolicyAreaList]:
        areas = await public_policy_areas(authority=authority)
        if _csv(negotiated):
            return csv_response("policy-areas", POLICY_AREA_COLUMNS, areas, policy_area_row)
        return Response(PolicyAreaList(items=areas, total=len(areas)))
