"""Administrators' pages: staff accounts (create, reset a password, disable) and the audit trail."""

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from register.domain.access import Permission
from register.domain.kinds import StaffRole
from register.domain.staff import AuditEvent, StaffUser
from register.services.accounts import AccountError, create_user, reset_password
from register.store.repositories.audit import recent_events, record_event
from register.store.repositories.authorities import list_authorities
from register.store.repositories.officials import list_officials
from register.store.repositories.sessions import delete_user_sessions
from register.store.repositories.staff import get_staff_user_by_id, list_staff_users, set_active
from register.web.staff.auth import current_staff, ensure

AUDIT_PAGE = 100

ROLE_LABELS = {
    "administrator": "Administrateur",
    "editor": "Éditeur",
    "official": "Responsable public (lecture)",
}


async def _accounts_page(
    staff: NamedDependency[StaffUser],
    *,
    error: str | None = None,
    notice: str | None = None,
    typed: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    authorities = await list_authorities()
    officials = []
    for authority in authorities:
        officials.extend(await list_officials(authority.id))
    return Template(
        template_name="staff/users.html",
        context={
            "staff": staff,
            "accounts": await list_staff_users(),
            "authorities": authorities,
            "authority_names": {a.id: a.name for a in authorities},
            "officials": officials,
            "roles": ROLE_LABELS,
            "error": error,
            "notice": notice,
            "typed": typed or {},
        },
        status_code=status_code,
    )


class AdminController(Controller):
    path = "/"
    include_in_schema = False
    dependencies = {"staff": Provide(current_staff)}  # noqa: RUF012 - Litestar's declaration

    @get("/users", name="staff_users", cache=False)
    async def users(self, staff: NamedDependency[StaffUser]) -> Template:
        ensure(staff, Permission.MANAGE_USERS)
        return await _accounts_page(staff)

    @post("/users", name="staff_users_create", cache=False)
    async def create(
        self, staff: NamedDependency[StaffUser], request: Request[Any, Any, Any]
    ) -> Template:
        ensure(staff, Permission.MANAGE_USERS)
        posted = await request.form()
        username = str(posted.get("username", ""))[:80]
        full_name = str(posted.get("full_name", ""))[:200]
        email = str(posted.get("email", ""))[:320]
        chosen = [str(value) for value in posted.getall("authorities", [])]
        official = str(posted.get("official", ""))
        typed: dict[str, Any] = {
            "username": username,
            "full_name": full_name,
            "email": email,
            "role": str(posted.get("role", "")),
            "authorities": chosen,
            "official": official,
        }
        authorities = {str(a.id): a.slug for a in await list_authorities()}
        try:
            role = StaffRole(str(posted.get("role", "")))
            official_id = UUID(official) if official else None
            if any(a not in authorities for a in chosen):
                raise AccountError("unknown authority")
            user = await create_user(
                username=username,
                password=str(posted.get("password", "")),
                role=role,
                authority_slugs=[authorities[a] for a in chosen],
                email=email,
                full_name=full_name,
                official_id=official_id,
            )
        except (AccountError, ValueError) as error:
            message = str(error).splitlines()[-1].strip() if str(error) else "invalid account"
            return await _accounts_page(staff, error=message, typed=typed, status_code=400)
        await record_event(
            AuditEvent(
                at=datetime.now(UTC),
                actor=staff.username,
                user_id=staff.id,
                action="staff.create_user",
                entity="staff_user",
                entity_id=str(user.id),
                changes={"username": user.username, "role": user.role.value},
            )
        )
        return await _accounts_page(staff, notice=f"Compte {user.username} créé.")

    @post("/users/{user_id:uuid}/password", name="staff_users_reset", cache=False)
    async def reset(self, staff: NamedDependency[StaffUser], user_id: FromPath[UUID]) -> Template:
        ensure(staff, Permission.MANAGE_USERS)
        try:
            password = await reset_password(user_id, by=staff, now=datetime.now(UTC))
        except AccountError as error:
            raise NotFoundException(detail=str(error)) from error
        account = await get_staff_user_by_id(user_id)
        name = account.username if account else str(user_id)
        return await _accounts_page(
            staff,
            notice=f"Mot de passe provisoire de {name} : {password} — transmettez-le par un "
            "canal sûr ; il devra être changé à la prochaine connexion.",
        )

    @post("/users/{user_id:uuid}/active", name="staff_users_active", cache=False)
    async def activate(
        self,
        staff: NamedDependency[StaffUser],
        user_id: FromPath[UUID],
        request: Request[Any, Any, Any],
    ) -> Redirect:
        ensure(staff, Permission.MANAGE_USERS)
        account = await get_staff_user_by_id(user_id)
        if account is None:
            raise NotFoundException(detail="There is no such account.")
        active = str((await request.form()).get("active", "")) == "1"
        await set_active(user_id, active)
        if not active:
            await delete_user_sessions(user_id)
        await record_event(
            AuditEvent(
                at=datetime.now(UTC),
                actor=staff.username,
                user_id=staff.id,
                action="staff.enable_user" if active else "staff.disable_user",
                entity="staff_user",
                entity_id=str(user_id),
                changes={"username": account.username, "active": active},
            )
        )
        return Redirect("/staff/users", status_code=303)

    @get("/audit", name="staff_audit", cache=False)
    async def audit(
        self,
        staff: NamedDependency[StaffUser],
        entity: Annotated[str | None, QueryParameter(max_length=80)] = None,
        actor: Annotated[str | None, QueryParameter(max_length=200)] = None,
        page: Annotated[int, QueryParameter(ge=1, le=100_000)] = 1,
    ) -> Template:
        ensure(staff, Permission.VIEW_AUDIT)
        events, total = await recent_events(
            limit=AUDIT_PAGE, offset=(page - 1) * AUDIT_PAGE, entity_id=entity, actor=actor
        )
        return Template(
            template_name="staff/audit.html",
            context={
                "staff": staff,
                "events": events,
                "total": total,
                "page": page,
                "pages": max(1, -(-total // AUDIT_PAGE)),
                "entity": entity or "",
                "actor": actor or "",
            },
        )
