"""Log-in, log-out and the password page."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from register.domain.staff import StaffUser
from register.services.accounts import AccountError, change_password
from register.services.sessions import (
    LoginRefusedError,
    LoginThrottledError,
    log_in,
    log_out,
)
from register.settings import Settings
from register.web.staff.auth import (
    PASSWORD_PATH,
    SESSION_COOKIE,
    client_address,
    current_staff,
    expired_session_cookie,
    session_cookie,
)

HOME = "/staff/"


def safe_next(value: str | None) -> str:
    """Where to go after logging in: only a back-office path, never another site."""
    if (
        value
        and (value == "/staff" or value.startswith(("/staff/", "/staff?")))
        and "\\" not in value
    ):
        return value
    return HOME


class LoginController(Controller):
    path = "/"
    include_in_schema = False

    @get("/login", name="staff_login", cache=False)
    async def login_page(
        self, next_path: Annotated[str | None, QueryParameter(name="next")] = None
    ) -> Template:
        return Template(
            template_name="staff/login.html",
            context={"next": safe_next(next_path), "error": None, "username": ""},
        )

    @post("/login", name="staff_login_submit", cache=False)
    async def login(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings]
    ) -> Any:
        form = await request.form()
        username = str(form.get("username", ""))[:200]
        password = str(form.get("password", ""))[:1000]
        target = safe_next(str(form.get("next", "")))
        now = datetime.now(UTC)
        lifetime = timedelta(hours=settings.session_hours)
        try:
            session = await log_in(
                username, password, client=client_address(request), now=now, lifetime=lifetime
            )
        except LoginThrottledError as error:
            minutes = max(1, round(error.retry_after / 60))
            return Template(
                template_name="staff/login.html",
                context={
                    "next": target,
                    "username": username,
                    "error": "Trop de tentatives de connexion ont échoué. Réessayez dans "
                    f"{minutes} minute(s).",
                },
                status_code=429,
                headers={"Retry-After": str(error.retry_after)},
            )
        except LoginRefusedError:
            return Template(
                template_name="staff/login.html",
                context={
                    "next": target,
                    "username": username,
                    "error": "Identifiant ou mot de passe incorrect.",
                },
                status_code=401,
            )
        # A previous session's token (perhaps planted by someone else) is ended, never reused.
        old = request.cookies.get(SESSION_COOKIE)
        if old:
            await log_out(old)
        destination = PASSWORD_PATH if session.user.must_change_password else target
        return Redirect(
            destination,
            status_code=303,
            cookies=[
                session_cookie(settings, session.token, max_age=int(lifetime.total_seconds()))
            ],
        )

    @post("/logout", name="staff_logout", cache=False)
    async def logout(
        self, request: Request[Any, Any, Any], settings: NamedDependency[Settings]
    ) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await log_out(token)
        return Redirect("/staff/login", status_code=303, cookies=[expired_session_cookie(settings)])

    @get(
        "/password",
        name="staff_password",
        cache=False,
        dependencies={"staff": Provide(current_staff)},
    )
    async def password_page(self, staff: NamedDependency[StaffUser]) -> Template:
        return Template(
            template_name="staff/password.html",
            context={"staff": staff, "error": None, "done": False},
        )

    @post(
        "/password",
        name="staff_password_submit",
        cache=False,
        dependencies={"staff": Provide(current_staff)},
    )
    async def change(
        self, request: Request[Any, Any, Any], staff: NamedDependency[StaffUser]
    ) -> Template:
        form = await request.form()
        current = str(form.get("current", ""))
        new = str(form.get("new", ""))
        error = None
        if new != str(form.get("confirm", "")):
            error = "Les deux saisies du nouveau mot de passe diffèrent."
        else:
            try:
                await change_password(staff, current, new, now=datetime.now(UTC))
            except AccountError as refused:
                error = _ACCOUNT_ERRORS.get(str(refused), str(refused))
        return Template(
            template_name="staff/password.html",
            context={
                "staff": staff.model_copy(update={"must_change_password": bool(error)})
                if staff.must_change_password
                else staff,
                "error": error,
                "done": error is None,
            },
            status_code=400 if error else 200,
        )


_ACCOUNT_ERRORS = {
    "the current password is wrong": "Le mot de passe actuel est incorrect.",
    "the new password must differ from the current one": "Le nouveau mot de passe doit "
    "différer de l'actuel.",
    "the password must have at least 12 characters": "Le mot de passe doit compter au moins "
    "12 caractères.",
}
