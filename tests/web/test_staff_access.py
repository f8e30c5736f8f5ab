"""The role matrix: every staff route, for every role, on its own authority and on another.

Administrators may do everything; editors act on their own authority's meetings only; an
official's account reads only the meetings of its own diary. A refused request is a 403 that
changes nothing; a request without a session never reaches a route.
"""

from dataclasses import dataclass

import httpx
import pytest
from piccolo.engine.base import Engine

from register.store.repositories.meetings import get_meeting
from register.store.repositories.publication_log import verify_log
from register.store.repositories.staff import get_staff_user
from tests.web.staff import StaffWorld, form_token, log_in, store_staff_world

HTML = {"accept": "text/html"}
ROLES = ["anonymous", "admin", "editor", "official", "colleague"]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    """With {meeting} (own or other authority's meeting) or {account} (the colleague's account)."""
    allowed: frozenset[tuple[str, str]]
    """(role, "own" | "other") pairs allowed; routes without a meeting use "own" only."""
    form: tuple[tuple[str, str], ...] = ()


def _pairs(*roles: str, other: bool = False) -> frozenset[tuple[str, str]]:
    found = {(role, "own") for role in roles}
    if other:
        found |= {(role, "other") for role in roles if role == "admin"}
    return frozenset(found)


EVERYONE = ("admin", "editor", "official", "colleague")
EDITORS = ("admin", "editor")
MEETING_ROUTES = [
    Route("GET", "/staff/meetings/{meeting}", _pairs("admin", "editor", "official", other=True)),
    Route(
        "POST",
        "/staff/meetings/{meeting}/record",
        _pairs(*EDITORS, other=True),
        (("intent", "save"), ("subject", "Projet de rénovation du quartier de la gare")),
    ),
    Route(
        "POST",
        "/staff/meetings/{meeting}/classification",
        _pairs(*EDITORS, other=True),
        (("kind", "interest_representative"),),
    ),
    Route(
        "POST",
        "/staff/meetings/{meeting}/exemption",
        _pairs(*EDITORS, other=True),
        (("legal_ground", "security"),),
    ),
    Route("POST", "/staff/meetings/{meeting}/publish", _pairs(*EDITORS, other=True)),
    Route(
        "POST",
        "/staff/meetings/{meeting}/withdraw",
        _pairs(*EDITORS, other=True),
        (("reason", "Erreur de saisie"), ("legal_ground", "privacy")),
    ),
    Route(
        "POST",
        "/staff/meetings/{meeting}/record",
        _pairs(*EDITORS, other=True),
        (("intent", "publish"),),
    ),
]
GENERAL_ROUTES = [
    Route("GET", "/staff/", _pairs(*EVERYONE)),
    Route("GET", "/staff/compliance", _pairs(*EVERYONE)),
    Route("GET", "/staff/organisations?q=fed", _pairs(*EVERYONE)),
    Route("GET", "/staff/audit", _pairs("admin")),
    Route("GET", "/staff/users", _pairs("admin")),
    Route(
        "POST",
        "/staff/users",
        _pairs("admin"),
        (("username", "newcomer"), ("role", "administrator"), ("password", "long enough secret")),
    ),
    Route("POST", "/staff/users/{account}/password", _pairs("admin")),
    Route("POST", "/staff/users/{account}/active", _pairs("admin"), (("active", "0"),)),
]


async def _request(
    client: httpx.AsyncClient, route: Route, path: str, token: str | None
) -> httpx.Response:
    if route.method == "GET":
        return await client.get(path, headers=HTML)
    data = dict(route.form)
    data["lock_version"] = "0"
    if token:
        data["_csrf_token"] = token
    return await client.post(path, data=data, headers=HTML)


def _refused(answer: httpx.Response, role: str) -> bool:
    if role == "anonymous":
        return answer.status_code == 303 and answer.headers["location"].startswith("/staff/login")
    return answer.status_code == 403


@pytest.mark.parametrize("role", ROLES)
async def test_each_route_is_open_exactly_to_the_roles_that_may_use_it(
    client: httpx.AsyncClient, db: Engine, role: str
) -> None:
    world = await store_staff_world()
    token = None
    if role == "anonymous":
        await client.get("/staff/login", headers=HTML)  # a CSRF cookie, but no session
        token = await form_token(client, "/staff/login")
    else:
        await log_in(client, role)
        token = await form_token(client, "/staff/compliance")
    colleague = await get_staff_user("colleague")
    assert colleague is not None
    checked = 0
    for where, meeting_id in (("own", world.own_meeting.id), ("other", world.other_meeting.id)):
        before = await get_meeting(meeting_id)
        for route in MEETING_ROUTES:
            answer = await _request(client, route, route.path.format(meeting=meeting_id), token)
            allowed = (role, where) in route.allowed
            assert _refused(answer, role) is not allowed, (
                f"{role} {route.method} {route.path} on the {where} authority's meeting: "
                f"{answer.status_code}"
            )
            checked += 1
        after = await get_meeting(meeting_id)
        assert before is not None
        assert after is not None
        if not any((role, where) in route.allowed for route in MEETING_ROUTES[1:]):
            assert after == before, f"a refused {role} changed the {where} meeting"
    for route in GENERAL_ROUTES:
        path = route.path.format(account=colleague[0].id)
        answer = await _request(client, route, path, token)
        allowed = (role, "own") in route.allowed
        assert _refused(answer, role) is not allowed, (
            f"{role} {route.method} {route.path}: {answer.status_code}"
        )
        checked += 1
    assert checked == 2 * len(MEETING_ROUTES) + len(GENERAL_ROUTES)
    # Whatever was allowed went through the services: the log still verifies.
    assert (await verify_log())[1] == []
    if role != "admin":
        assert await get_staff_user("newcomer") is None


async def test_an_official_sees_only_their_own_meetings_in_the_queue(
    client: httpx.AsyncClient, db: Engine
) -> None:
    world = await _world_with_colleague_meeting()
    await log_in(client, "official")

    queue = await client.get("/staff/", headers=HTML)

    assert queue.status_code == 200
    assert f"/staff/meetings/{world.own_meeting.id}" in queue.text
    assert f"/staff/meetings/{world.other_meeting.id}" not in queue.text
    assert "Paul Petit" not in queue.text  # the colleague's meeting is not listed


async def test_an_editor_queue_holds_only_their_authority(
    client: httpx.AsyncClient, db: Engine
) -> None:
    world = await store_staff_world()
    await log_in(client, "editor")

    queue = await client.get("/staff/", headers=HTML)

    assert f"/staff/meetings/{world.own_meeting.id}" in queue.text
    assert f"/staff/meetings/{world.other_meeting.id}" not in queue.text
    foreign_filter = await client.get(f"/staff/?official={world.other.owner.id}", headers=HTML)
    assert foreign_filter.status_code == 400


async def _world_with_colleague_meeting() -> StaffWorld:
    from register.store.repositories.meetings import add_meeting
    from tests import factories

    world = await store_staff_world()
    await add_meeting(
        factories.meeting(
            world.own.authority.id,
            world.own.colleague.id,
            classification=factories.interest_classification(world.own.representative),
        )
    )
    return world


API_EXTRA = (
    "/api/v1/meetings?format=csv",
    "/api/v1/officials?format=csv",
    "/api/v1/organisations?format=csv",
    f"/api/v1/meetings/{'0' * 8}-0000-4000-8000-{'0' * 12}",  # a problem-details 404
    "/api/v1/meetings?since=not-a-date",  # a problem-details 400
)
STAFF_ONLY = (
    "RDV FBV gare",  # calendar titles, descriptions and addresses stay in the back office
    "Texte privé de l'agenda",
    "@ville-test.example",
    "@fbv.example",
    "$argon2",
    "lock_version",
)


@pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)
async def test_a_staff_session_changes_nothing_on_the_public_api(
    db: Engine, tmp_path: object
) -> None:
    """The API under /api/v1 is public: every role's session cookie gets the anonymous answers,
    byte for byte, and no answer holds staff-only data (drafts, calendar text, accounts)."""
    from datetime import UTC, datetime
    from pathlib import Path

    from register.settings import Settings
    from register.web import create_app
    from tests.published import publish_meeting

    world = await store_staff_world()
    await publish_meeting(world.own, datetime(2026, 3, 2, 9, tzinfo=UTC))
    app = create_app(Settings(data_dir=Path(str(tmp_path))), engine=db)
    values = {
        "meeting_id": str(world.own_meeting.id),  # a draft: not found, for everyone
        "official_id": str(world.own.owner.id),
        "organisation_id": str(world.own.representative.id),
    }
    paths = list(API_EXTRA)
    for route in app.routes:
        if route.path.startswith("/api/v1"):
            path = route.path
            for name in route.path_parameters:
                assert name in values, f"a new API route: give {name} a value ({route.path})"
                path = path.split("{")[0] + values[name] + path.split("}", 1)[1]
            paths.append(path)

    answers: dict[str, dict[str, tuple[int, str, bytes]]] = {}
    for role in ("anonymous", "admin", "editor", "official"):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://register.test"
        ) as client:
            if role != "anonymous":
                await log_in(client, role)
                assert client.cookies, "logged in, with a session cookie"
            answers[role] = {}
            for path in paths:
                answer = await client.get(path)
                assert "set-cookie" not in answer.headers, (role, path)
                answers[role][path] = (
                    answer.status_code,
                    answer.headers["content-type"],
                    answer.content,
                )

    anonymous = answers["anonymous"]
    assert {status for status, _, _ in anonymous.values()} == {200, 400, 404}
    assert anonymous[f"/api/v1/meetings/{world.own_meeting.id}"][0] == 404  # drafts stay out
    for role, seen in answers.items():
        assert seen == anonymous, f"a {role} session changed an API answer"
    everything = b"\n".join(body for _, _, body in anonymous.values()).decode()
    assert str(world.own.owner.id) in everything  # the published meeting is there
    for text in (*STAFF_ONLY, str(world.other_meeting.id)):
        assert text not in everything, text
    for username in ("admin", "editor", "colleague"):
        assert f'"{username}"' not in everything
