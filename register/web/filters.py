"""The query parameters of a search, read the same way by pages, API and feeds.

Litestar parses each parameter's type (a bad date or id is a 400 problem naming it); the
combination is then checked by `MeetingFilter` (e.g. `until` before `since`).
"""

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from litestar.exceptions import ValidationException
from litestar.params import QueryParameter
from pydantic import ValidationError

from register.domain.kinds import MeetingFormat, PublicationState
from register.queries import MeetingFilter


def meeting_filter(
    *,
    q: Annotated[
        str | None,
        QueryParameter(
            max_length=200,
            description="Words to find in the subject, the organisations, the official and the "
            "authority: every word must start a word there (accents and case ignored).",
        ),
    ] = None,
    authority: Annotated[
        UUID | None, QueryParameter(description="An authority's id (`/authorities`).")
    ] = None,
    official: Annotated[
        UUID | None,
        QueryParameter(description="The id of the official whose diary holds the meeting."),
    ] = None,
    organisation: Annotated[
        UUID | None, QueryParameter(description="An organisation's id (`/organisations`).")
    ] = None,
    policy_area: Annotated[
        str | None,
        QueryParameter(
            pattern=r"^[a-z0-9][a-z0-9-]*$",
            max_length=60,
            description="A policy area's code (`/policy-areas`).",
        ),
    ] = None,
    format: Annotated[
        MeetingFormat | None, QueryParameter(description="in_person, video or phone.")
    ] = None,
    since: Annotated[
        date | None,
        QueryParameter(description="First day, inclusive (YYYY-MM-DD, Paris time)."),
    ] = None,
    until: Annotated[
        date | None,
        QueryParameter(description="Last day, inclusive (YYYY-MM-DD, Paris time)."),
    ] = None,
    hatvp_registered: Annotated[
        bool | None,
        QueryParameter(
            description="true: at least one organisation is registered with the HATVP; "
            "false: none is."
        ),
    ] = None,
    publication_state: Annotated[
        Literal["published", "corrected", "withdrawn"] | None,
        QueryParameter(
            name="state",
            description="published (never corrected), corrected, or withdrawn (a withdrawal "
            "stays public, with its reason).",
        ),
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
            state=PublicationState(publication_state) if publication_state else None,
        )
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or 'query'}: "
            f"{str(item['msg']).removeprefix('Value error, ')}"
            for item in error.errors()
        )
        raise ValidationException(detail=problems) from error
