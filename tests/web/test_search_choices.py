"""The search form's list of organisations on a register that names many: the ones met most
often, and the one chosen even when it is not among them."""

import re

import httpx
import pytest

from register.web.public import search as search_module
from tests.published import register_of_five

HTML = {"Accept": "text/html"}


def _offered(page: str) -> list[str]:
    select = re.search(r'<select id="organisation".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="[0-9a-f-]{36}"[^>]*>([^<]+)</option>', select.group(0))


async def test_the_list_offers_the_organisations_met_most_and_the_one_chosen(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored, _ = await register_of_five()
    response = await client.get("/rencontres", headers=HTML)
    both = _offered(response.text)
    assert len(both) == 2

    monkeypatch.setattr(search_module, "ORGANISATION_CHOICES", 1)
    response = await client.get("/rencontres", headers=HTML)
    # The federation is in four of the five meetings, the association in one.
    assert _offered(response.text) == [stored.representative.name]

    association = next(name for name in both if name != stored.representative.name)
    every = (await client.get("/api/v1/organisations?q=velo")).json()["items"]
    chosen = await client.get(f"/rencontres?organisation={every[0]['id']}", headers=HTML)
    assert chosen.status_code == 200
    assert _offered(chosen.text) == [stored.representative.name, association]
    assert f'<option value="{every[0]["id"]}" selected>{association}</option>' in chosen.text
