"""The administrators' pages: accounts (create, reset, disable), the audit trail, compliance."""

import html
import re

import httpx
from piccolo.engine.base import Engine

from register.store.repositories.staff import get_staff_user
from tests.web.staff import csrf_token, form_token, log_in, store_staff_world

HTML = {"accept": "text/html"}


def _text(answer: httpx.Response) -> str:
    return html.unescape(answer.text)


async def test_an_administrator_creates_an_editor_who_can_then_log_in(
    client: httpx.AsyncClient, db: Engine
) -> None:
    world = await store_staff_world()
    await log_in(client, "admin")
    token = await form_token(client, "/staff/users")

    refused = await client.post(
        "/staff/users",
        data={
            "_csrf_token": token,
            "username": "redactrice",
            "role": "editor",
            "password": "too short",
            "authorities": [str(world.own.authority.id)],
        },
        headers=HTML,
    )
    created = await client.post(
        "/staff/users",
        data={
            "_csrf_token": token,
            "username": "redactrice",
            "full_name": "Rédactrice du cabinet",
            "role": "editor",
            "password": "a long enough password",
            "authorities": [str(world.own.authority.id)],
        },
        headers=HTML,
    )

    assert refused.status_code == 400
    assert "12 characters" in _text(refused)
    assert 'value="redactrice"' in refused.text  # what was typed is kept
    assert created.status_code == 200
    assert "Compte redactrice créé." in _text(created)
    found = await get_staff_user("redactrice")
    assert found is not None
    assert found[0].authority_ids == (world.own.authority.id,)
    audit = await client.get("/staff/audit", params={"actor": "admin"}, headers=HTML)
    assert "staff.create_user" in audit.text


async def test_a_reset_from_the_accounts_page_gives_a_working_temporary_password(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await store_staff_world()
    await log_in(client, "admin")
    editor = await get_staff_user("editor")
    assert editor is not None
    token = await form_token(client, "/staff/users")

    answer = await client.post(
        f"/staff/users/{editor[0].id}/password", data={"_csrf_token": token}, headers=HTML
    )

    assert answer.status_code == 200
    found = re.search(r"Mot de passe provisoire de editor : (\S+)", _text(answer))
    assert found
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as other:
        await log_in(other, "editor", found.group(1))
        forced = await other.get("/staff/", headers=HTML)
        assert forced.headers["location"] == "/staff/password"


async def test_a_disabled_account_is_logged_out_and_cannot_log_in(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await store_staff_world()
    editor = await get_staff_user("editor")
    assert editor is not None
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as other:
        await log_in(other, "editor")
        await log_in(client, "admin")
        page = await client.get("/staff/users", headers=HTML)

        disabled = await client.post(
            f"/staff/users/{editor[0].id}/active",
            data={"_csrf_token": csrf_token(page.text), "active": "0"},
            headers=HTML,
        )

        assert disabled.status_code == 303
        kicked = await other.get("/staff/", headers=HTML)
        assert kicked.headers["location"].startswith("/staff/login")
        login_page = await other.get("/staff/login", headers=HTML)
        again = await other.post(
            "/staff/login",
            data={
                "username": "editor",
                "password": "correct horse battery",
                "_csrf_token": csrf_token(login_page.text),
            },
            headers=HTML,
        )
        assert again.status_code == 401


async def test_the_compliance_page_shows_the_figures_of_the_users_authorities(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await store_staff_world()
    await log_in(client, "editor")

    page = await client.get("/staff/compliance", headers=HTML)

    assert page.status_code == 200
    text = _text(page)
    assert "Ville de Test" in text
    assert "Autre-Ville" not in text
    assert "Marie Durand" in text
    bad = await client.get("/staff/compliance?since=2026-05-01&until=2026-01-01", headers=HTML)
    assert bad.status_code == 400
