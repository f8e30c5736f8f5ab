"""Requests refused before a handler reads them (`register.web.limits`): a path or query string
too long (414), a body too large (413), a URL or form body that is not well-formed
percent-encoded UTF-8 (400); problem details on the API, an error page for browsers, on the API,
the public pages and the back office's forms alike. Well-formed input still passes."""

from collections.abc import AsyncIterator

import httpx
import pytest
from piccolo.engine.base import Engine

from register.web.limits import MAX_BODY_BYTES, MAX_QUERY_BYTES, well_formed
from tests.web.staff import PASSWORD, form_token, log_in, store_staff_world

HTML = {"accept": "text/html"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


def assert_problem(answer: httpx.Response, status: int, kind: str, words: str) -> None:
    assert answer.status_code == status, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["type"] == f"/problems/{kind}"
    assert problem["status"] == status
    assert words in problem["detail"]


@pytest.mark.parametrize(
    ("raw", "wrong"),
    [
        (b"q=caf%C3%A9+cr%c3%a8me&page=2", None),
        (b"q=%zz", "a '%' at byte 2 is not followed by two hexadecimal digits"),
        (b"q=100%", "a '%' at byte 5 is not followed by two hexadecimal digits"),
        (b"q=%ff%fe", "the percent-encoded bytes are not UTF-8 (byte 2 after decoding)"),
        (b"q=\xe9t\xe9", "the percent-encoded bytes are not UTF-8 (byte 2 after decoding)"),
        (b"q=%ED%A0%80", "the percent-encoded bytes are not UTF-8 (byte 2 after decoding)"),
        # A NUL in a staff form was a 500 on PostgreSQL (found by tests/web/test_staff_fuzz.py).
        (b"subject=a%00b", "it holds a NUL character (%00), which is not text"),
    ],
)
def test_what_well_formed_percent_encoding_is(raw: bytes, wrong: str | None) -> None:
    assert well_formed(raw) == wrong


async def test_the_api_refuses_long_or_badly_encoded_urls_with_problem_details(
    client: httpx.AsyncClient, db: Engine
) -> None:
    huge = await client.get("/api/v1/meetings", params={"q": "x" * MAX_QUERY_BYTES})
    at_limit = await client.get("/api/v1/meetings", params={"q": "x" * (MAX_QUERY_BYTES - 2)})
    not_utf8 = await client.get("/api/v1/meetings?q=caf%e9")
    bad_escape = await client.get("/api/v1/meetings?q=%zz")
    utf8 = await client.get("/api/v1/meetings?q=caf%C3%A9")
    # A path that no route matches is a 404 whatever it holds; these reach a route.
    bad_path = await client.get("/rencontres/%ff%fe")
    long_path = await client.get("/rencontres/" + "x" * 3000)

    assert_problem(huge, 414, "uri-too-long", "the query string is longer than 4096 bytes")
    assert at_limit.status_code != 414  # the API's own validation answers it
    assert_problem(not_utf8, 400, "bad-request", "the query string is not well-formed")
    assert_problem(bad_escape, 400, "bad-request", "is not followed by two hexadecimal digits")
    assert utf8.status_code == 200
    assert_problem(bad_path, 400, "bad-request", "the path is not well-formed")
    assert_problem(long_path, 414, "uri-too-long", "the path is longer than 2048 bytes")


async def test_a_public_page_refuses_bad_encoding_with_an_error_page(
    client: httpx.AsyncClient, db: Engine
) -> None:
    bad = await client.get("/rencontres?q=%ff", headers=HTML)
    huge = await client.get("/rencontres", params={"q": "é" * 3000}, headers=HTML)
    fine = await client.get("/rencontres?q=%C3%A9lu", headers=HTML)

    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("text/html")
    assert "not well-formed" in bad.text
    assert huge.status_code == 414
    assert huge.headers["content-type"].startswith("text/html")
    assert fine.status_code == 200


async def test_staff_forms_refuse_bad_encoding_and_read_escaped_utf8(
    client: httpx.AsyncClient, db: Engine
) -> None:
    world = await store_staff_world()
    token = await form_token(client, "/staff/login")
    escaped = "".join(f"%{byte:02X}" for byte in PASSWORD.encode())

    refused = await client.post(
        "/staff/login",
        content=f"username=%ff%fe&password=x&_csrf_token={token}",
        headers={**FORM, **HTML},
    )
    logged_in = await client.post(
        "/staff/login",
        content=f"username=editor&password={escaped}&_csrf_token={token}&next=%2Fstaff%2F",
        headers={**FORM, **HTML},
    )
    path = f"/staff/meetings/{world.own_meeting.id}"
    token = await form_token(client, path)
    record = await client.post(
        f"{path}/record",
        content=f"subject=R%e9union&lock_version=0&_csrf_token={token}",
        headers=FORM,
    )
    page = await client.get(path, headers=HTML)

    assert refused.status_code == 400
    assert "form body is not well-formed" in refused.text
    assert logged_in.status_code == 303
    assert_problem(record, 400, "bad-request", "the form body is not well-formed")
    assert "R\ufffdunion" not in page.text


async def test_a_body_too_large_is_refused_declared_or_not(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await store_staff_world()
    await log_in(client, "editor")
    received = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal received
        for _ in range(40):
            received += 1
            yield b"x" * 50_000

    declared = await client.post(
        "/staff/login", content=body(), headers={**FORM, "content-length": str(MAX_BODY_BYTES * 2)}
    )
    read_before_refused = received
    streamed = await client.post("/staff/logout", content=body(), headers=FORM)

    assert_problem(declared, 413, "too-large", "larger than 1000000 bytes")
    assert read_before_refused <= 1, "refused before the body is read"
    assert_problem(streamed, 413, "too-large", "larger than 1000000 bytes")
