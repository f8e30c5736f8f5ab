"""HEAD is answered as GET without a body, everywhere: same status, same headers (the length
and the ETag included), so link checkers and feed readers that ask HEAD first get the truth."""

import httpx
import pytest
from piccolo.engine.base import Engine

from tests.web.api.published import published_register

PATHS = [
    "/",
    "/rencontres?q=pistes",
    "/statistiques",
    "/en/rencontres",
    "/api/v1/meetings?limit=2",
    "/api/v1/statistics",
    "/feeds/rencontres.rss",
    "/feeds/rencontres.ics",
    "/donnees",
    "/static/register.css",
    "/staff/login",
    "/rencontres/00000000-0000-4000-8000-000000000000",  # an unknown meeting: 404
    "/api/v1/meetings?limit=0",  # a bad parameter: 400
]

SAME_HEADERS = (
    "content-type",
    "content-length",
    "etag",
    "cache-control",
    "content-security-policy",
)


@pytest.mark.parametrize("path", PATHS)
async def test_head_is_get_without_the_body(
    client: httpx.AsyncClient, db: Engine, path: str
) -> None:
    await published_register()
    got = await client.get(path, headers={"Accept-Encoding": "identity"})
    head = await client.head(path, headers={"Accept-Encoding": "identity"})

    assert head.status_code == got.status_code
    assert head.content == b""
    for name in SAME_HEADERS:
        assert head.headers.get(name) == got.headers.get(name), name
    if "content-length" in got.headers:
        assert int(head.headers["content-length"]) == len(got.content)


async def test_head_of_the_health_check(client: httpx.AsyncClient, db: Engine) -> None:
    """The health check's body changes with each request (the database's latency), so only
    what does not change is compared."""
    got = await client.get("/health")
    head = await client.head("/health")

    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert int(head.headers["content-length"]) > 0


async def test_a_conditional_head_is_not_modified(client: httpx.AsyncClient, db: Engine) -> None:
    await published_register()
    tag = (await client.get("/api/v1/meetings")).headers["etag"]

    head = await client.head("/api/v1/meetings", headers={"If-None-Match": tag})

    assert head.status_code == 304
    assert head.content == b""


async def test_other_methods_are_refused_as_before(client: httpx.AsyncClient, db: Engine) -> None:
    answer = await client.put("/api/v1/meetings")
    assert answer.status_code == 405
