"""The query parameters of a search, read the same way by pages, API and feeds.

Litestar parses each parameter's type (a bad date or id is a 400 problem naming it); the
combination is then checked by `MeetingFilter` (e.g. `until` before `since`).
"""

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar.exceptions import ValidationException
from litestar.params import QueryParameter
from pydantic import ValidationError

from register.domain.kinds import MeetingFormat, PublicationState
from register.queries import MeetingFilter


def meeting_filter(
    *,
    q: Annotated[str | None, QueryParameter(max_length=200, description="Words to find.")] = None,
    authority: Annotated[UUID | None, QueryParameter(description="An authority's id.")] = None,
    official: Annotated[UUID | None, QueryParameter(description="An official's id.")] = None,
    organisation: Annotated[
        UUID | None, QueryParameter(description="An organisation's id.")
    ] = None,
    policy_area: Annotated[
        str | None,
        QueryParameter(
            pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60, description="A policy area's code."
        ),
    ] = None,
    format: Annotated[
        MeetingFormat | None, QueryParameter(description="in_person, video or phone.")
    ] = None,
    since: Annotated[
        date | None, QueryParameter(description="First day (YYYY-MM-DD, Paris time).")
    ] = None,
    until: Annotated[
        date | None, QueryParameter(description="Last day (YYYY-MM-DD, Paris time).")
    ] = None,
    hatvp_registered: Annotated[
        bool | None, QueryParameter(description="Whether an organisation is in the HATVP register.")
    ] = None,
    publication_state: Annotated[
        PublicationState | None,
        QueryParameter(name="state", description="published, corrected or withdrawn."),
    ] = None,
) -> MeetingFilter:
    """A Litestar dependency: the search the request's query string describes."""
    try:
        return MeetingFilter(
            q=q.strip() or None if q else None,
            authority=authority,
            official=official,
            organisation=organisation,
            policy_area=policy_area,
            format=format,
            since=since,
            until=until,
            hatvp_registered=hatvp_registered,
            state=publication_state,
        )
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or 'query'}: "
            f"{str(item['msg']).removeprefix('Value error, ')}"
            for item in error.errors()
        )
        raise ValidationException(detail=problems) from error
