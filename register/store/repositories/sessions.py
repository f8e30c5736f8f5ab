"""Staff sessions and failed log-ins. Tokens are stored only as hashes."""

from datetime import datetime
from uuid import UUID

from register.store.tables import LoginFailure, StaffSession
from register.store.transaction import writing


async def add_session(
    *, token_hash: str, user_id: UUID, created_at: datetime, expires_at: datetime, client: str
) -> None:
    await StaffSession.insert(
        StaffSession(
            token_hash=token_hash,
            user=user_id,
            created_at=created_at,
            expires_at=expires_at,
            client=client[:100],
        )
    )


async def session_user(token_hash: str, now: datetime) -> UUID | None:
    """The user of a live session, or None when it does not exist or has expired."""
    row = (
        await StaffSession.select(StaffSession.user)
        .where(StaffSession.token_hash == token_hash, StaffSession.expires_at > now)
        .first()
    )
    return None if row is None else row["user"]


async def delete_session(token_hash: str) -> None:
    await StaffSession.delete().where(StaffSession.token_hash == token_hash)


async def delete_user_sessions(user_id: UUID) -> None:
    """End every session of a user (password reset, account disabled)."""
    await StaffSession.delete().where(StaffSession.user == user_id)


async def delete_expired_sessions(now: datetime) -> None:
    await StaffSession.delete().where(StaffSession.expires_at <= now)


async def record_login_failure(
    *, username: str, client: str, at: datetime, forget_before: datetime
) -> None:
    """Count a failure, and forget those too old to count, so guessing cannot fill the table."""
    async with writing():
        await LoginFailure.delete().where(LoginFailure.at < forget_before)
        await LoginFailure.insert(LoginFailure(at=at, username=username[:200], client=client[:100]))


async def login_failures(
    *, username: str, client: str, since: datetime
) -> tuple[list[datetime], list[datetime]]:
    """Recent failures for this user name and for this client address."""
    by_user = await LoginFailure.select(LoginFailure.at).where(
        LoginFailure.username == username[:200], LoginFailure.at > since
    )
    by_client = await LoginFailure.select(LoginFailure.at).where(
        LoginFailure.client == client[:100], LoginFailure.at > since
    )
    return [row["at"] for row in by_user], [row["at"] for row in by_client]


async def forget_login_failures(*, username: str, before: datetime) -> None:
    """A successful log-in clears the user name's failures; old ones expire for everybody."""
    async with writing():
        await LoginFailure.delete().where(LoginFailure.username == username[:200])
        await LoginFailure.delete().where(LoginFailure.at < before)
