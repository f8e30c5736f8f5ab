"""Logging in and out: sessions, cookies, throttling, CSRF, and password resets."""

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from piccolo.engine.base import Engine

from register.services.accounts import reset_password
from register.settings import Settings
from register.store.repositories.staff import get_staff_user
from register.web import create_app
from tests.web.staff import PASSWORD, csrf_token, form_token, log_in, store_staff_world

HTML = {"accept": "text/html"}


async def test_a_browser_without_a_session_is_sent_to_the_login_page(
    client: httpx.AsyncClient, db: Engine
) -> None:
    answer = await client.get("/staff/?state=draft", headers=HTML)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/staff/login?next=/staff%3Fstate%3Ddraft"


async def test_other_clients_without_a_session_get_a_problem(
    client: httpx.AsyncClient, db: Engine
) -> None:
    answer = await client.get("/staff/", headers={"accept": "application/json"})

    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["type"] == "/problems/unauthenticated"


async def test_logging_in_sets_a_strict_http_only_session_cookie(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await store_staff_world()
    token = await form_token(client, "/staff/login")

    answer = await client.post(
        "/staff/login",
        data={
            "username": "editor",
            "password": PASSWORD,
            "_csrf_token": token,
            "next": "/staff/compliance",
        },
        headers=HTML,
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == "/staff/compliance"
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith("register_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Path=/staff" in cookie
    assert "Secure" not in cookie  # plain-HTTP trial: no base URL
    assert (await client.get("/staff/", headers=HTML)).status_code == 200


async def test_cookies_are_secure_when_the_register_is_served_over_https(
    db: Engine, tmp_path: Path
) -> None:
    await store_staff_world()
    app = create_app(Settings(data_dir=tmp_path, base_url="https://register.example"), engine=db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://register.test"
    ) as https:
        page = await https.get("/staff/login", headers=HTML)
        csrf_cookie = page.headers["set-cookie"]
        answer = await https.post(
            "/staff/login",
            data={"username": "editor", "password": PASSWORD, "_csrf_token": csrf_token(page.text)},
            headers=HTML,
        )
    assert "Secure" in csrf_cookie
    assert answer.status_code == 303
    assert "Secure" in answer.headers["set-cookie"]


async def test_an_outside_next_address_is_ignored(client: httpx.AsyncClient, db: Engine) -> None:
    await store_staff_world()
    token = await form_token(client, "/staff/login")

    answer = await client.post(
        "/staff/login",
        data={
            "username": "editor",
            "password": PASSWORD,
            "_csrf_token": token,
            "next": "//evil.example/staff/",
        },
        headers=HTML,
    )

    assert answer.headers["location"] == "/staff/"


async def test_a_wrong_password_is_refused_with_the_same_message_as_an_unknown_name(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await store_staff_world()
    token = await form_token(client, "/staff/login")

    wrong = await client.post(
        "/staff/login",
        data={"username": "editor", "password": "not the password", "_csrf_token": token},
        headers=HTML,
    )
    unknown = await client.post(
        "/staff/login",
        data={"username": "nobody", "password": "not the password", "_csrf_token": token},
        headers=HTML,
    )

    assert wrong.status_code == unknown.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in wrong.text
    assert "Identifiant ou mot de passe incorrect." in unknown.text
    assert "register_session" not in wrong.headers.get("set-cookie", "")


async def test_repeated_failures_are_throttled_even_with_the_right_password(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await store_staff_world()
    token = await form_token(client, "/staff/login")
    for _ in range(5):
        failed = await client.post(
            "/staff/login",
            data={"username": "editor", "password": "guess guess guess", "_csrf_token": token},
            headers=HTML,
        )
        assert failed.status_code == 401

    throttled = await client.post(
        "/staff/login",
        data={"username": "editor", "password": PASSWORD, "_csrf_token": token},
        headers=HTML,
    )

    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["retry-after"]) <= 15 * 60
    assert "Trop de tentatives" in throttled.text
    # Another account from the same address is not locked by this one's failures.
    other = await client.post(
        "/staff/login",
        data={"username": "admin", "password": PASSWORD, "_csrf_token": token},
        headers=HTML,
    )
    assert other.status_code == 303


async def test_a_form_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await store_staff_world()
    await client.get("/staff/login", headers=HTML)  # the CSRF cookie is set

    answer = await client.post(
        "/staff/login", data={"username": "editor", "password": PASSWORD}, headers=HTML
    )

    assert answer.status_code == 403
    assert "register_session" not in answer.headers.get("set-cookie", "")


async def test_a_token_from_another_session_is_refused(
    client: httpx.AsyncClient, db: Engine, tmp_path: Path
) -> None:
    await store_staff_world()
    await log_in(client, "editor")
    # An attacker's own token, valid for the attacker's cookie but not for the victim's.
    app = create_app(Settings(data_dir=tmp_path), engine=db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://register.test"
    ) as attacker:
        foreign = await form_token(attacker, "/staff/login")

    answer = await client.post("/staff/logout", data={"_csrf_token": foreign}, headers=HTML)

    assert answer.status_code == 403
    assert (await client.get("/staff/", headers=HTML)).status_code == 200  # still logged in


async def test_logging_out_ends_the_session_on_the_server(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await store_staff_world()
    await log_in(client, "editor")
    session = client.cookies.get("register_session")
    token = await form_token(client, "/staff/")

    answer = await client.post("/staff/logout", data={"_csrf_token": token}, headers=HTML)

    assert answer.status_code == 303
    client.cookies.set("register_session", session or "", domain="register.test", path="/staff")
    replay = await client.get("/staff/", headers=HTML)
    assert replay.status_code == 303
    assert replay.headers["location"].startswith("/staff/login")


async def test_logging_in_replaces_a_planted_session_token(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await store_staff_world()
    client.cookies.set(
        "register_session", "planted-by-someone", domain="register.test", path="/staff"
    )

    await log_in(client, "editor")

    assert client.cookies.get("register_session") not in {None, "planted-by-someone"}


@pytest.mark.parametrize("with_session", [True, False])
async def test_a_password_reset_ends_sessions_and_forces_a_new_password(
    client: httpx.AsyncClient, db: Engine, with_session: bool
) -> None:
    await store_staff_world()
    if with_session:
        await log_in(client, "editor")
    found = await get_staff_user("editor")
    assert found is not None

    temporary = await reset_password(found[0].id, by=None, now=datetime.now(UTC))

    if with_session:
        ended = await client.get("/staff/", headers=HTML)
        assert ended.status_code == 303
        assert ended.headers["location"].startswith("/staff/login")
    await log_in(client, "editor", temporary)
    forced = await client.get("/staff/", headers=HTML)
    assert forced.status_code == 303
    assert forced.headers["location"] == "/staff/password"
    token = await form_token(client, "/staff/password")
    mismatch = await client.post(
        "/staff/password",
        data={
            "current": temporary,
            "new": "a brand new secret",
            "confirm": "typo",
            "_csrf_token": token,
        },
        headers=HTML,
    )
    assert mismatch.status_code == 400
    changed = await client.post(
        "/staff/password",
        data={
            "current": temporary,
            "new": "a brand new secret",
            "confirm": "a brand new secret",
            "_csrf_token": token,
        },
        headers=HTML,
    )
    assert changed.status_code == 200
    assert (await client.get("/staff/", headers=HTML)).status_code == 200
