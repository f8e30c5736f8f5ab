"""The bulk downloads over HTTP: made on first request, served with ETag, 304 when unchanged."""

import gzip

import httpx
from piccolo.engine.base import Engine

from tests.published import register_of_five


async def test_a_dump_is_served_with_an_etag_and_a_304_when_unchanged(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await register_of_five()

    first = await client.get("/donnees/registre.csv.gz")
    again = await client.get(
        "/donnees/registre.csv.gz", headers={"if-none-match": first.headers["etag"]}
    )
    package = await client.get("/donnees/datapackage.json")
    unknown = await client.get("/donnees/secret.key")

    assert first.status_code == 200
    assert first.headers["content-type"].startswith("application/gzip")
    assert "attachment" in first.headers["content-disposition"]
    assert gzip.decompress(first.content).decode().count("\r\n") == 6  # header and five rows
    assert again.status_code == 304
    assert package.json()["resources"][0]["path"] == "registre.csv.gz"
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")
