"""Security headers on every answer of every route (issue 8).

The routes are enumerated from the application itself, so a route added later is checked too
(or fails here until its path parameter gets a value below). Each route is asked with each of
its methods, anonymously and logged in, so that pages, redirects, refusals (403), API problem
details, 404s, feeds, downloads and static files are all covered.
"""

from datetime import UTC, datetime

import httpx
import pytest
from litestar import Litestar
from piccolo.engine.base import Engine
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from register.settings import Settings
from register.web import create_app
from register.web.security_headers import CONTENT_SECURITY_POLICY
from tests.published import publish_meeting
from tests.web.staff import log_in, store_staff_world

EXPECTED = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
}
NOT_FOUND = "00000000-0000-4000-8000-000000000000"
HTML = {"accept": "text/html"}


def _missing(answer: httpx.Response) -> dict[str, str | None]:
    return {
        name: answer.headers.get(name)
        for name, value in EXPECTED.items()
        if answer.headers.get(name) != value
    }


def _app(db: Engine, settings: Settings) -> Litestar:
    return create_app(settings, engine=db)


def test_the_policy_allows_nothing_inline_and_no_framing() -> None:
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)
async def test_every_route_answers_with_the_security_headers(db: Engine, tmp_path: object) -> None:
    world = await store_staff_world()
    stored = world.own
    published = await publish_meeting(stored, datetime(2026, 3, 2, 9, tzinfo=UTC))
    values = {
        "meeting_id": str(published.id),
        "slug": stored.authority.slug,
        "official_id": str(stored.owner.id),
        "organisation_id": str(stored.representative.id),
        "name": "registre.csv.gz",
        "file_path": "register.css",
        "user_id": NOT_FOUND,
        "path": "openapi.json",
    }
    app = _app(db, Settings(data_dir=tmp_path, dumps_interval=0))
    asked: list[tuple[str, str, int]] = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://register.test"
    ) as client:
        for logged_in in (False, True):
            if logged_in:
                await log_in(client, "admin")
            for route in app.routes:
                if logged_in and not route.path.startswith("/staff"):
                    continue  # a session changes only the back office's answers
                path = route.path
                for name in route.path_parameters:
                    assert name in values, f"a new route: give {name} a value ({route.path})"
                    path = path.split("{")[0] + values[name] + path.split("}", 1)[1]
                for method in sorted(route.methods):
                    answer = await client.request(method, path, headers=HTML)
                    assert not _missing(answer), (method, path, answer.status_code)
                    assert "strict-transport-security" not in answer.headers, path
                    asked.append((method, path, answer.status_code))
        # Answers that no route handler writes: unknown paths, wrong methods, bad API input.
        for method, path in (
            ("GET", "/nulle-part"),
            ("GET", "/api/v1/nowhere"),
            ("DELETE", "/"),
            ("GET", "/api/v1/meetings?limit=nope"),
            ("GET", f"/api/v1/meetings/{NOT_FOUND}"),
            ("GET", f"/rencontres/{NOT_FOUND}"),
            ("GET", "/static/absent.js"),
        ):
            answer = await client.request(method, path)
            assert answer.status_code >= 400, path
            assert not _missing(answer), (method, path, answer.status_code)
            asked.append((method, path, answer.status_code))
    statuses = {status for _, _, status in asked}
    # The walk met successes, redirects, refusals and errors, not one kind of answer.
    assert {200, 303, 403, 404, 405}.issubset(statuses), statuses
    assert len(asked) > 2 * len(app.routes)


@pytest.mark.parametrize("migrated_engine", ["sqlite"], indirect=True)
async def test_hsts_only_over_tls_including_behind_a_trusted_proxy(
    db: Engine, tmp_path: object
) -> None:
    app = _app(db, Settings(data_dir=tmp_path))
    # The server's own configuration (register serve): forwarded headers trusted from 127.0.0.1.
    proxied = ProxyHeadersMiddleware(app, trusted_hosts="127.0.0.1")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
        plain = await client.get("http://register.test/health")
        direct_tls = await client.get("https://register.test/health")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=proxied, client=("127.0.0.1", 40000))
    ) as client:
        forwarded = await client.get(
            "http://register.test/health", headers={"x-forwarded-proto": "https"}
        )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=proxied, client=("203.0.113.9", 40000))
    ) as client:
        spoofed = await client.get(
            "http://register.test/health", headers={"x-forwarded-proto": "https"}
        )

    assert "strict-transport-security" not in plain.headers
    assert direct_tls.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert forwarded.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "strict-transport-security" not in spoofed.headers  # an untrusted client's claim
    for answer in (plain, direct_tls, forwarded, spoofed):
        assert not _missing(answer)
