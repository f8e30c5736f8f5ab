"""Who is asking: the session cookie, the logged-in user, and the checks every staff route makes.

A browser without a session is sent to the log-in page; any other client gets a 401 problem.
A user whose password was reset is sent to the password page until they choose a new one.
"""

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID

from litestar import Request
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from register.domain.access import Permission, may
from register.domain.staff import StaffUser
from register.services.sessions import user_for_token
from register.settings import Settings

SESSION_COOKIE = "register_session"
CSRF_COOKIE = "register_csrf"
PASSWORD_PATH = "/staff/password"  # noqa: S105 - a path, not a password


class LoginRequiredError(NotAuthorizedException):
    """No valid session: browsers are redirected to the log-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(detail="Log in to use the back office.")
        self.next_path = next_path


class PasswordChangeRequiredError(NotAuthorizedException):
    """The password was reset by an administrator and must be replaced first."""

    def __init__(self) -> None:
        super().__init__(detail="Choose a new password before going on.")


def login_location(next_path: str) -> str:
    return f"/staff/login?next={quote(next_path, safe='/')}"


def session_cookie(settings: Settings, token: str, *, max_age: int) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        path="/staff",
        max_age=max_age,
        secure=settings.cookies_secure,
        httponly=True,
        samesite="strict",
    )


def expired_session_cookie(settings: Settings) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value="",
        path="/staff",
        max_age=0,
        secure=settings.cookies_secure,
        httponly=True,
        samesite="strict",
    )


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


async def current_staff(request: Request[Any, Any, Any]) -> StaffUser:
    """The logged-in user (a Litestar dependency of every staff route)."""
    token = request.cookies.get(SESSION_COOKIE)
    user = await user_for_token(token, datetime.now(UTC)) if token else None
    if user is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequiredError(path)
    if user.must_change_password and request.url.path not in {PASSWORD_PATH, "/staff/logout"}:
        raise PasswordChangeRequiredError
    return user


def ensure(
    user: StaffUser,
    permission: Permission,
    *,
    authority_id: UUID | None = None,
    official_id: UUID | None = None,
) -> None:
    """Refuse with a 403 unless `user` may exercise `permission` there."""
    if not may(user, permission, authority_id=authority_id, official_id=official_id):
        raise PermissionDeniedException(
            detail=f"Your account does not allow this here ({permission.value.replace('_', ' ')})."
        )
