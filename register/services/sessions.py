"""Logging staff in and out: throttled password checks and server-side sessions.

The session cookie holds a random token; the database holds only its SHA-256, so sessions can be
ended (log-out, password reset) and shared by several server processes. Every log-in creates a
new token, so a token planted before log-in (session fixation) is worthless.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from register.domain.access import LoginThrottle
from register.domain.staff import AuditEvent, StaffUser
from register.services.accounts import authenticate
from register.store.repositories import sessions
from register.store.repositories.audit import record_event
from register.store.repositories.staff import get_staff_user_by_id, note_login
from register.store.transaction import writing

THROTTLE = LoginThrottle()


class LoginRefusedError(Exception):
    """Wrong user name or password (one message for both, so names cannot be probed)."""


class LoginThrottledError(Exception):
    """Too many recent failures: the caller must wait `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed log-ins; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class NewSession:
    token: str
    user: StaffUser
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def log_in(
    username: str, password: str, *, client: str, now: datetime, lifetime: timedelta
) -> NewSession:
    """A new session for these credentials, or LoginRefusedError / LoginThrottledError."""
    username = username.strip()
    by_user, by_client = await sessions.login_failures(
        username=username, client=client, since=now - THROTTLE.window
    )
    wait = THROTTLE.retry_after(username_failures=by_user, client_failures=by_client, now=now)
    if wait is not None:
        raise LoginThrottledError(wait)
    user = await authenticate(username, password)
    if user is None:
        await sessions.record_login_failure(
            username=username, client=client, at=now, forget_before=now - THROTTLE.window
        )
        raise LoginRefusedError("wrong user name or password")
    token = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    async with writing():
        await sessions.add_session(
            token_hash=token_hash(token),
            user_id=user.id,
            created_at=now,
            expires_at=expires_at,
            client=client,
        )
        await note_login(user.id, now)
        await record_event(
            AuditEvent(
                at=now,
                actor=user.username,
                user_id=user.id,
                action="staff.login",
                entity="staff_user",
                entity_id=str(user.id),
                changes={"client": client},
            )
        )
    await sessions.forget_login_failures(username=username, before=now - THROTTLE.window)
    await sessions.delete_expired_sessions(now)
    return NewSession(token=token, user=user, expires_at=expires_at)


async def user_for_token(token: str, now: datetime) -> StaffUser | None:
    """The active user a session cookie belongs to, or None."""
    user_id = await sessions.session_user(token_hash(token), now)
    if user_id is None:
        return None
    user = await get_staff_user_by_id(user_id)
    return user if user is not None and user.active else None


async def log_out(token: str) -> None:
    await sessions.delete_session(token_hash(token))
