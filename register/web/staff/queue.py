"""The review queue: what needs an editor's action, most urgent first."""

from datetime import UTC, date, datetime
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ValidationException
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template

from register.domain.access import Permission, has_permission
from register.domain.kinds import PublicationState
from register.domain.staff import StaffUser
from register.services.review import QueueFilters, QueueReason, review_queue
from register.web.staff.auth import current_staff
from register.web.staff.scope import scope_of

PAGE_SIZE = 50

REASON_LABELS: dict[str, str] = {
    "late": "Délai de publication dépassé",
    "changed": "Modifiée dans l'agenda après publication",
    "cancelled": "Annulée dans l'agenda après publication",
    "incomplete": "Relevé de collégialité incomplet",
    "to_review": "À examiner",
}

STATE_LABELS: dict[str, str] = {
    "draft": "brouillon",
    "ready": "prête",
    "published": "publiée",
    "corrected": "corrigée",
    "withdrawn": "retirée",
}


FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""The dates a period filter may name: beyond them the day boundaries, placed in a time zone,
leave Python's calendar (a 500 found by the back office's fuzz test)."""


def check_period(since: date | None, until: date | None) -> None:
    """Refuse a period filter with dates out of range or ending before it starts."""
    for name, day in (("since", since), ("until", until)):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationException(
                detail=f"{name}: the date must be between {FIRST_DAY} and {LAST_DAY}"
            )
    if since and until and until < since:
        raise ValidationException(detail="until: the end date is before the start date")


class QueueController(Controller):
    path = "/"
    include_in_schema = False
    dependencies = {"staff": Provide(current_staff)}  # noqa: RUF012 - Litestar's declaration

    @get("/", name="staff_queue", cache=False)
    async def queue(
        self,
        staff: NamedDependency[StaffUser],
        *,
        official: FromQuery[UUID | None] = None,
        publication_state: Annotated[PublicationState | None, QueryParameter(name="state")] = None,
        reason: FromQuery[QueueReason | None] = None,
        since: FromQuery[date | None] = None,
        until: FromQuery[date | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
    ) -> Template:
        check_period(since, until)
        scope = await scope_of(staff)
        if official is not None and official not in {o.id for o in scope.officials}:
            raise ValidationException(detail="official: not one of your authorities' officials")
        filters = QueueFilters(
            official_id=official,
            state=publication_state,
            reason=reason,
            since=since,
            until=until,
        )
        result = await review_queue(
            authority_ids=scope.authority_ids,
            official_id=scope.official_id,
            filters=filters,
            now=datetime.now(UTC),
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        return Template(
            template_name="staff/queue.html",
            context={
                "staff": staff,
                "scope": scope,
                "result": result,
                "filters": filters,
                "page": page,
                "pages": max(1, -(-result.total // PAGE_SIZE)),
                "reasons": REASON_LABELS,
                "states": STATE_LABELS,
                "can_edit": has_permission(staff, Permission.EDIT_MEETINGS),
                "query": urlencode(
                    {
                        key: value
                        for key, value in {
                            "official": official or "",
                            "state": publication_state.value if publication_state else "",
                            "reason": reason.value if reason else "",
                            "since": since.isoformat() if since else "",
                            "until": until.isoformat() if until else "",
                        }.items()
                        if value
                    }
                ),
            },
        )
