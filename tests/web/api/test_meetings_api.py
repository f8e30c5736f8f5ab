"""`/api/v1/meetings`: every filter, every sort, cursor pagination end to end, limits, one
meeting with its versions — on SQLite and PostgreSQL."""

from datetime import datetime
from typing import Any

import httpx
import pytest
from piccolo.engine.base import Engine

from register.domain.public_record import PublicRecord, PublishedMeeting
from register.web.api.schemas import Meeting, MeetingRecord
from tests.web.api.published import PUBLISHED_AT, PublishedRegister, published_register

API = "/api/v1/meetings"


async def _ids(client: httpx.AsyncClient, query: str = "") -> list[str]:
    answer = await client.get(f"{API}?{query}")
    assert answer.status_code == 200, answer.text
    return [item["record"]["id"] for item in answer.json()["items"]]


def _id(register: PublishedRegister, *positions: int) -> list[str]:
    return [str(register.meetings[position].id) for position in positions]


async def test_a_page_of_meetings_has_items_total_cursor_and_links(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()

    answer = await client.get(API)
    body = answer.json()

    assert answer.headers["content-type"] == "application/json"
    assert set(body) == {"items", "total", "next_cursor", "links"}
    assert body["total"] == 5
    assert body["next_cursor"] is None
    assert body["links"] == {"next": None}
    latest = body["items"][0]
    assert set(latest) == {"record", "publication", "recorded_at", "log_seq", "first_published_at"}
    assert latest["record"]["id"] == str(register.meetings[4].id)
    assert latest["record"]["authority"]["name"] == "Métropole de Test"
    assert latest["record"]["starts_at"] == "2026-05-05T09:00:00Z"
    assert datetime.fromisoformat(latest["recorded_at"]) == PUBLISHED_AT
    assert latest["publication"] == {
        "version": 1,
        "state": "published",
        "reason": None,
        "legal_ground": None,
    }
    assert latest["record"]["representatives"][0]["name"] == "Fédération des bâtisseurs du Val"


FILTERS = {
    "q=pistes+CYCLABLES": [1],
    "q=velo": [1],  # accents and case ignored
    "q=marie+durand": [3, 2, 1, 0],
    "policy_area=mobilites": [1],
    "format=video": [2],
    "format=in_person": [4, 3, 1, 0],
    "since=2026-03-03&until=2026-03-04": [2, 1],
    "since=2026-04-01": [4, 3],
    "until=2026-03-02": [0],
    "hatvp_registered=false": [1],
    "hatvp_registered=true": [4, 3, 2, 0],
    "state=withdrawn": [3],
    "state=published": [4, 2, 1, 0],
    "state=corrected": [],
}


async def test_each_filter_keeps_only_the_meetings_it_names(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()

    found = {query: await _ids(client, query) for query in FILTERS}

    assert found == {query: _id(register, *expected) for query, expected in FILTERS.items()}


async def test_the_filters_by_id_and_their_combination(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()
    stored = register.stored

    assert await _ids(client, f"authority={stored.authority.id}") == _id(register, 3, 2, 1, 0)
    assert await _ids(client, f"official={register.other_owner.id}") == _id(register, 4)
    assert await _ids(client, f"organisation={register.cyclists.id}") == _id(register, 1)
    assert await _ids(
        client, f"organisation={stored.representative.id}&authority={stored.authority.id}"
    ) == _id(register, 3, 2, 0)
    assert await _ids(client, f"official={stored.colleague.id}") == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("-date", [4, 3, 2, 1, 0]), ("date", [0, 1, 2, 3, 4])],
)
async def test_sorts_by_date_either_way(
    client: httpx.AsyncClient, db: Engine, sort: str, expected: list[int]
) -> None:
    register = await published_register()

    assert await _ids(client, f"sort={sort}") == _id(register, *expected)


async def test_sort_by_publication_puts_the_withdrawal_first(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()

    ids = await _ids(client, "sort=-published")

    assert ids[0] == str(register.withdrawn.id)
    assert sorted(ids) == sorted(_id(register, 0, 1, 2, 3, 4))


@pytest.mark.parametrize("sort", ["-date", "date", "-published"])
async def test_following_the_next_links_lists_every_meeting_once(
    client: httpx.AsyncClient, db: Engine, sort: str
) -> None:
    register = await published_register()

    seen: list[str] = []
    url: str | None = f"{API}?sort={sort}&limit=2&state=published"
    pages = 0
    while url:
        answer = await client.get(url)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["total"] == 4
        seen.extend(item["record"]["id"] for item in body["items"])
        url = body["links"]["next"]
        if url:
            assert answer.headers["link"] == f'<{url}>; rel="next"'
            assert f"sort={sort.replace('-', '%2D')}" in url or f"sort={sort}" in url
            assert "state=published" in url
            assert body["next_cursor"] in url.replace("%3D", "=")
        pages += 1

    assert pages == 2
    assert sorted(seen) == sorted(_id(register, 0, 1, 2, 4))
    assert len(set(seen)) == 4


async def test_the_cursor_alone_continues_the_list(client: httpx.AsyncClient, db: Engine) -> None:
    register = await published_register()

    first = (await client.get(f"{API}?limit=3")).json()
    rest = (await client.get(f"{API}?limit=3&cursor={first['next_cursor']}")).json()

    assert [item["record"]["id"] for item in first["items"] + rest["items"]] == _id(
        register, 4, 3, 2, 1, 0
    )
    assert rest["next_cursor"] is None


@pytest.mark.parametrize("limit", ["1", "500"])
async def test_limit_accepts_one_to_five_hundred(
    client: httpx.AsyncClient, db: Engine, limit: str
) -> None:
    await published_register()

    body = (await client.get(f"{API}?limit={limit}")).json()

    assert len(body["items"]) == min(int(limit), 5)
    assert body["total"] == 5


async def test_a_cursor_from_another_sort_is_refused(client: httpx.AsyncClient, db: Engine) -> None:
    await published_register()
    cursor = (await client.get(f"{API}?limit=1")).json()["next_cursor"]

    answer = await client.get(f"{API}?limit=1&sort=date&cursor={cursor}")

    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"][0]["parameter"] == "cursor"


async def test_one_meeting_with_every_version(client: httpx.AsyncClient, db: Engine) -> None:
    register = await published_register()

    answer = await client.get(f"{API}/{register.withdrawn.id}")
    body = answer.json()

    assert answer.status_code == 200
    assert body["record"]["id"] == str(register.withdrawn.id)
    assert body["publication"]["state"] == "withdrawn"
    assert body["publication"]["reason"] == "Saisie dans le mauvais agenda."
    assert body["publication"]["legal_ground"] == "out_of_scope"
    assert [(v["publication"]["version"], v["publication"]["state"]) for v in body["versions"]] == [
        (1, "published"),
        (2, "withdrawn"),
    ]
    assert [v["recorded_at"] for v in body["versions"]] == [
        "2026-06-01T09:00:00Z",
        "2026-06-02T09:00:00Z",
    ]
    assert body["versions"][0]["log_seq"] < body["versions"][1]["log_seq"] == body["log_seq"]


async def test_an_unknown_meeting_is_a_404_problem(client: httpx.AsyncClient, db: Engine) -> None:
    register = await published_register()

    unknown = await client.get(f"{API}/{register.stored.owner.id}")
    malformed = await client.get(f"{API}/not-an-id")

    for answer in (unknown, malformed):
        assert answer.status_code == 404
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == 404


def _fields(model: Any) -> dict[str, Any]:
    """Field names of a pydantic model, nested models' fields included."""
    found: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        nested = [
            arg
            for arg in (*getattr(annotation, "__args__", ()), annotation)
            if isinstance(arg, type) and hasattr(arg, "model_fields")
        ]
        found[name] = _fields(nested[0]) if nested else None
    return found


def test_the_documented_meeting_has_the_published_meetings_shape() -> None:
    assert _fields(Meeting) == _fields(PublishedMeeting)
    assert _fields(MeetingRecord) == _fields(PublicRecord)
