"""The API writes meetings from their stored payloads without validating them again (issue 7's
profile: the validation round trips were most of a page's time). These tests pin that the
answer is still exactly the documented model's JSON, field order included — on SQLite and
PostgreSQL."""

import json
from typing import Any

import httpx
import pytest
from piccolo.engine.base import Engine
from pydantic import ValidationError

from register.queries import (
    MeetingFilter,
    published,
    search_stored,
    stored_history,
    stored_meeting,
)
from register.web.api.documents import meeting_document
from register.web.api.schemas import Meeting
from tests.web.api.published import published_register

API = "/api/v1/meetings"


def _validated(document: Any) -> str:
    """The JSON the validating path writes (the documented model, dumped)."""
    return Meeting.model_validate(document).model_dump_json()


async def test_a_page_is_the_documented_models_json_field_for_field(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await published_register()
    page = await search_stored(MeetingFilter(), limit=10)

    answer = (await client.get(f"{API}?limit=10")).json()

    assert len(answer["items"]) == 5
    for item, stored in zip(answer["items"], page.items, strict=True):
        expected = Meeting.of(published(stored)).model_dump(mode="json")
        assert item == expected
        assert json.dumps(item) == json.dumps(expected)  # same field order
        assert _validated(item) == json.dumps(item, separators=(",", ":"), ensure_ascii=False)


async def test_one_meeting_and_its_versions_are_the_documented_json(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()
    withdrawn = register.withdrawn.id
    current = await stored_meeting(withdrawn)
    assert current is not None

    answer = (await client.get(f"{API}/{withdrawn}")).json()

    versions = [
        Meeting.of(published(v)).model_dump(mode="json") for v in await stored_history(withdrawn)
    ]
    assert [v["publication"]["state"] for v in versions] == ["published", "withdrawn"]
    assert answer == {
        **Meeting.of(published(current)).model_dump(mode="json"),
        "versions": versions,
    }
    assert list(answer) == [*Meeting.model_fields, "versions"]


async def test_a_payload_that_differs_from_the_model_is_never_written_as_it_is(
    db: Engine,
) -> None:
    await published_register()
    stored = (await search_stored(MeetingFilter(), limit=1)).items[0]
    payload = json.loads(stored.body)
    extra = stored._replace(body=json.dumps({**payload, "private_note": "x"}))
    missing = stored._replace(
        body=json.dumps({k: v for k, v in payload.items() if k != "documents"})
    )

    assert meeting_document(extra) == meeting_document(stored)  # unknown field left out
    with pytest.raises(ValidationError, match="documents"):  # as the validating path refuses it
        meeting_document(missing)
