"""Answers for a missing session: browsers go to the log-in page, other clients get a 401."""

from typing import Any

from litestar import Request, Response
from litestar.response import Redirect

from register.web.problems import problem, wants_html
from register.web.staff.auth import (
    PASSWORD_PATH,
    LoginRequiredError,
    PasswordChangeRequiredError,
    login_location,
)


def login_required_handler(
    request: Request[Any, Any, Any], exc: LoginRequiredError
) -> Response[Any]:
    if wants_html(request):
        return Redirect(login_location(exc.next_path), status_code=303)
    return problem(request, 401, str(exc.detail), kind="unauthenticated")


def password_change_handler(
    request: Request[Any, Any, Any], exc: PasswordChangeRequiredError
) -> Response[Any]:
    if wants_html(request):
        return Redirect(PASSWORD_PATH, status_code=303)
    return problem(request, 403, str(exc.detail), kind="password-change-required")
