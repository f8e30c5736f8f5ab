"""`/api/v1/officials`, `/organisations`, `/authorities`, `/policy-areas` and `/statistics`: the
names the register published, and counts that agree with the meetings search."""

import httpx
from piccolo.engine.base import Engine

from register.domain.public_record import PublishedMeeting
from register.public_entities import public_organisation, public_organisations
from register.queries import published_meeting
from register.services.publication import correct
from register.services.record_form import RecordForm
from register.store.repositories import meetings, representatives
from tests.web.api.published import ACTOR, WITHDRAWN_AT, published_register

API = "/api/v1"


async def _total(client: httpx.AsyncClient, query: str) -> int:
    return int((await client.get(f"{API}/meetings?{query}")).json()["total"])


async def test_authorities_with_their_meetings(client: httpx.AsyncClient, db: Engine) -> None:
    register = await published_register()

    body = (await client.get(f"{API}/authorities")).json()

    assert body["total"] == 2
    assert [(a["name"], a["meetings"], a["withdrawn"]) for a in body["items"]] == [
        ("Métropole de Test", 1, 0),
        ("Ville de Test", 3, 1),
    ]
    assert body["items"][1] == {
        "id": str(register.stored.authority.id),
        "slug": "ville-test",
        "name": "Ville de Test",
        "meetings": 3,
        "withdrawn": 1,
    }


async def test_officials_by_name_and_by_authority(client: httpx.AsyncClient, db: Engine) -> None:
    register = await published_register()
    stored = register.stored

    everyone = (await client.get(f"{API}/officials")).json()
    of_the_city = (await client.get(f"{API}/officials?authority={stored.authority.id}")).json()

    assert [o["name"] for o in everyone["items"]] == ["Jeanne Roux", "Marie Durand"]
    assert of_the_city["total"] == 1
    mayor = of_the_city["items"][0]
    assert mayor == {
        "id": str(stored.owner.id),
        "slug": "marie-durand",
        "name": "Marie Durand",
        "role": "Maire",
        "kind": "elected",
        "authority": {
            "id": str(stored.authority.id),
            "slug": "ville-test",
            "name": "Ville de Test",
        },
        "meetings": 3,
        "withdrawn": 1,
    }
    assert mayor["meetings"] + mayor["withdrawn"] == await _total(
        client, f"official={stored.owner.id}"
    )


async def test_one_official_or_a_404(client: httpx.AsyncClient, db: Engine) -> None:
    register = await published_register()

    found = await client.get(f"{API}/officials/{register.other_owner.id}")
    present_only = await client.get(f"{API}/officials/{register.stored.colleague.id}")

    assert found.json()["name"] == "Jeanne Roux"
    assert found.json()["meetings"] == 1
    assert present_only.status_code == 404
    assert present_only.headers["content-type"] == "application/problem+json"


async def test_organisations_with_their_identifiers_and_counts(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()
    federation = register.stored.representative

    body = (await client.get(f"{API}/organisations")).json()

    assert body["total"] == 2
    assert body["next_cursor"] is None
    assert body["items"] == [
        {
            "id": str(register.cyclists.id),
            "name": "Association Vélo en Ville",
            "hatvp_id": None,
            "siren": "552100555",
            "eu_transparency_id": None,
            "hatvp_registered": False,
            "meetings": 1,
            "withdrawn": 0,
        },
        {
            "id": str(federation.id),
            "name": "Fédération des bâtisseurs du Val",
            "hatvp_id": "552100554",
            "siren": "552100554",
            "eu_transparency_id": None,
            "hatvp_registered": True,
            "meetings": 3,
            "withdrawn": 1,
        },
    ]
    assert await _total(client, f"organisation={federation.id}") == 3 + 1
    assert (await client.get(f"{API}/organisations/{federation.id}")).json() == body["items"][1]


async def test_organisations_searched_by_name_a_page_at_a_time(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()

    found = (await client.get(f"{API}/organisations?q=batisseurs+VAL")).json()
    first = (await client.get(f"{API}/organisations?limit=1")).json()
    second = (await client.get(first["links"]["next"])).json()

    assert [o["id"] for o in found["items"]] == [str(register.stored.representative.id)]
    assert found["total"] == 1
    assert (await client.get(f"{API}/organisations?q=bat+velo")).json()["total"] == 0
    assert [o["name"] for o in first["items"] + second["items"]] == [
        "Association Vélo en Ville",
        "Fédération des bâtisseurs du Val",
    ]
    assert first["total"] == second["total"] == 2
    assert second["next_cursor"] is None
    bad = await client.get(f"{API}/organisations?cursor=nonsense")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["parameter"] == "cursor"


async def test_the_latest_published_name_of_an_organisation_wins(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()
    federation = register.stored.representative
    await representatives.save_representative(
        federation.model_copy(update={"name": "Fédération du Val (FBV)"})
    )
    target = register.meetings[0]
    current = await meetings.get_meeting(target.id)
    assert current is not None
    await correct(
        target.id,
        RecordForm.from_meeting(current),
        lock_version=current.lock_version,
        reason="Nom de l'organisation mis à jour.",
        actor=ACTOR,
        now=WITHDRAWN_AT,
    )

    listed = await public_organisations()
    one = await public_organisation(federation.id)

    assert [o.name for o in listed.items] == [
        "Association Vélo en Ville",
        "Fédération du Val (FBV)",
    ]
    assert one is not None
    assert one.name == "Fédération du Val (FBV)"
    corrected = await published_meeting(target.id)
    assert isinstance(corrected, PublishedMeeting)
    assert corrected.publication.version == 2


async def test_an_unknown_organisation_is_a_404(client: httpx.AsyncClient, db: Engine) -> None:
    register = await published_register()

    answer = await client.get(f"{API}/organisations/{register.stored.owner.id}")

    assert answer.status_code == 404
    assert answer.json()["type"] == "/problems/not-found"


async def test_policy_areas_with_labels_and_counts(client: httpx.AsyncClient, db: Engine) -> None:
    register = await published_register()

    everywhere = (await client.get(f"{API}/policy-areas")).json()
    metropolis = (
        await client.get(f"{API}/policy-areas?authority={register.other_owner.authority_id}")
    ).json()

    assert everywhere["items"] == [
        {
            "code": "mobilites",
            "label": {"fr": "Mobilités et transports", "en": "Mobility and transport"},
            "meetings": 1,
            "withdrawn": 0,
        },
        {
            "code": "urbanisme",
            "label": {"fr": "Urbanisme et aménagement", "en": "Urban planning"},
            "meetings": 3,
            "withdrawn": 1,
        },
    ]
    assert [(a["code"], a["meetings"]) for a in metropolis["items"]] == [("urbanisme", 1)]


async def test_statistics_of_a_search(client: httpx.AsyncClient, db: Engine) -> None:
    register = await published_register()
    stored = register.stored

    everything = (await client.get(f"{API}/statistics")).json()
    city = (await client.get(f"{API}/statistics?authority={stored.authority.id}&top=1")).json()

    assert everything["meetings"] == 4  # the withdrawn meeting counts in no figure
    assert everything["organisations"] == 2
    assert everything["officials"] == 2
    assert everything["hatvp_registered_meetings"] == 3
    assert everything["per_month"] == [
        {"month": "2026-03", "meetings": 3},
        {"month": "2026-04", "meetings": 0},
        {"month": "2026-05", "meetings": 1},
    ]
    assert [(o["name"], o["meetings"]) for o in everything["top_organisations"]] == [
        ("Fédération des bâtisseurs du Val", 3),
        ("Association Vélo en Ville", 1),
    ]
    assert [(a["code"], a["meetings"]) for a in everything["top_policy_areas"]] == [
        ("urbanisme", 3),
        ("mobilites", 1),
    ]
    assert everything["publication_delay"]["meetings"] == 4
    assert city["meetings"] == 2 + 1
    assert len(city["top_organisations"]) == 1
    assert city["top_officials"][0]["official"]["name"] == "Marie Durand"
