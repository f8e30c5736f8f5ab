"""Compliance figures per authority and per official, for the staff who are accountable."""

from datetime import UTC, date, datetime

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.response import Template

from register.domain.access import Permission, has_permission
from register.domain.kinds import LegalGround
from register.domain.staff import StaffUser
from register.services.compliance import compliance_report
from register.web.staff.auth import current_staff, ensure
from register.web.staff.meetings import GROUND_LABELS
from register.web.staff.queue import check_period
from register.web.staff.scope import scope_of


class ComplianceController(Controller):
    path = "/"
    include_in_schema = False
    dependencies = {"staff": Provide(current_staff)}  # noqa: RUF012 - Litestar's declaration

    @get("/compliance", name="staff_compliance", cache=False)
    async def compliance(
        self,
        staff: NamedDependency[StaffUser],
        since: FromQuery[date | None] = None,
        until: FromQuery[date | None] = None,
    ) -> Template:
        if not has_permission(staff, Permission.VIEW_COMPLIANCE):
            ensure(staff, Permission.VIEW_COMPLIANCE)
        check_period(since, until)
        scope = await scope_of(staff)
        report = await compliance_report(
            authority_ids=scope.authority_ids,
            since=since,
            until=until,
            now=datetime.now(UTC),
        )
        officials = report.officials
        if scope.official_id is not None:
            officials = [row for row in officials if row.id == scope.official_id]
        return Template(
            template_name="staff/compliance.html",
            context={
                "staff": staff,
                "report": report,
                "officials": officials,
                "grounds": [(ground, GROUND_LABELS[ground.value]) for ground in LegalGround],
                "since": since,
                "until": until,
            },
        )
