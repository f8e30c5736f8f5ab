"""What every read of `/api/v1` does: CSV by `format` or `Accept`, conditional GET, caching,
CORS, the rate limit, problem documents for every bad input, and the log as JSON Lines that
the independent script verifies."""

import csv
import io
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from piccolo.engine.base import Engine

from register.domain.collegiality import RepresentativePresence
from register.open_data import MEETING_COLUMNS
from register.settings import Settings
from register.web import create_app
from register.web.api.csv_output import (
    AUTHORITY_COLUMNS,
    OFFICIAL_COLUMNS,
    ORGANISATION_COLUMNS,
    POLICY_AREA_COLUMNS,
)
from tests.web.api.published import (
    WITHDRAWN_AT,
    PublishedRegister,
    publish_meeting,
    published_register,
)

API = "/api/v1"
VERIFY_LOG = Path(__file__).resolve().parents[3] / "scripts" / "verify_log.py"


def _verify(lines: str) -> subprocess.CompletedProcess[str]:
    """`scripts/verify_log.py` run on a copy of the log, as anyone would run it."""
    return subprocess.run(
        [sys.executable, str(VERIFY_LOG)],
        input=lines,
        capture_output=True,
        text=True,
        check=False,
    )


def _rows(answer: httpx.Response) -> list[dict[str, str]]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(answer.text)))


def _header(answer: httpx.Response) -> list[str]:
    return next(csv.reader(io.StringIO(answer.text)))


# CSV ------------------------------------------------------------------------------------------


async def test_meetings_as_csv_by_format_or_by_accept(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()

    by_format = await client.get(f"{API}/meetings?format=csv")
    by_accept = await client.get(f"{API}/meetings", headers={"Accept": "text/csv"})
    json_wins = await client.get(f"{API}/meetings?format=json", headers={"Accept": "text/csv"})

    assert _header(by_format) == [column.name for column in MEETING_COLUMNS]
    assert by_format.text == by_accept.text
    assert by_format.headers["content-disposition"] == 'attachment; filename="meetings.csv"'
    rows = _rows(by_format)
    assert [row["id"] for row in rows] == [str(m.id) for m in reversed(register.meetings)]
    withdrawn = rows[1]
    assert withdrawn["state"] == "withdrawn"
    assert withdrawn["version"] == "2"
    assert withdrawn["legal_ground"] == "out_of_scope"
    assert withdrawn["publication_reason"] == "Saisie dans le mauvais agenda."
    assert withdrawn["starts_at"] == "2026-04-15T09:00:00+00:00"
    assert withdrawn["starts_at_local"] == "2026-04-15T11:00:00+02:00"
    assert withdrawn["officials_present"] == "Marie Durand ; Paul Petit"
    assert withdrawn["hatvp_registered"] == "true"
    assert json_wins.headers["content-type"] == "application/json"


async def test_a_csv_cell_joins_organisations_that_line_up(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()
    stored = register.stored
    both = await publish_meeting(
        stored,
        datetime(2026, 5, 20, 9, tzinfo=UTC),
        representatives=(
            RepresentativePresence(representative_id=register.cyclists.id),
            RepresentativePresence(representative_id=stored.representative.id),
        ),
    )

    rows = _rows(await client.get(f"{API}/meetings?format=csv&limit=1"))

    assert rows[0]["id"] == str(both.id)
    assert rows[0]["organisations"] == (
        "Association Vélo en Ville ; Fédération des bâtisseurs du Val"
    )
    assert rows[0]["organisation_ids"] == f"{register.cyclists.id} ; {stored.representative.id}"
    assert rows[0]["organisation_hatvp_ids"] == " ; 552100554"
    assert rows[0]["organisation_sirens"] == "552100555 ; 552100554"


async def test_a_limited_csv_links_to_its_next_page_and_keeps_the_filters(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await published_register()

    videos = _rows(await client.get(f"{API}/meetings?format=video&format=csv"))
    first = await client.get(f"{API}/meetings?format=csv&limit=2&state=published")
    following = first.headers["link"].removeprefix("<").split(">;")[0]
    second = await client.get(following)

    assert [row["format"] for row in videos] == ["video"]
    assert len(_rows(first)) == 2
    assert first.headers["link"].endswith('; rel="next"')
    assert "format=csv" in following
    assert "state=published" in following
    assert len(_rows(second)) == 2
    assert "link" not in second.headers


async def test_page_links_use_the_public_address(db: Engine, tmp_path: Path) -> None:
    await published_register()
    app = create_app(Settings(data_dir=tmp_path, base_url="https://registre.example/"), engine=db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://10.0.0.7:8000"
    ) as client:
        body = (await client.get(f"{API}/meetings?limit=2&q=durand")).json()

    assert body["links"]["next"].startswith(
        "https://registre.example/api/v1/meetings?limit=2&q=durand&cursor="
    )


@pytest.mark.parametrize(
    ("path", "columns", "count"),
    [
        ("officials", OFFICIAL_COLUMNS, 2),
        ("organisations", ORGANISATION_COLUMNS, 2),
        ("authorities", AUTHORITY_COLUMNS, 2),
        ("policy-areas", POLICY_AREA_COLUMNS, 2),
    ],
)
async def test_every_list_is_also_csv(
    client: httpx.AsyncClient, db: Engine, path: str, columns: tuple, count: int
) -> None:
    await published_register()

    by_format = await client.get(f"{API}/{path}?format=csv")
    by_accept = await client.get(f"{API}/{path}", headers={"Accept": "text/csv"})

    assert _header(by_format) == [column.name for column in columns]
    assert len(_rows(by_format)) == count
    assert by_accept.text == by_format.text


async def test_the_csv_columns_are_documented(client: httpx.AsyncClient, db: Engine) -> None:
    schema = (await client.get("/schema/openapi.json")).json()

    content = schema["paths"][f"{API}/meetings"]["get"]["responses"]["200"]["content"]

    assert set(content) == {"application/json", "text/csv"}
    description = content["text/csv"]["schema"]["description"]
    assert all(f"`{column.name}`" in description for column in MEETING_COLUMNS)


# Conditional GET and caching -----------------------------------------------------------------


async def test_an_unchanged_answer_is_a_304(client: httpx.AsyncClient, db: Engine) -> None:
    await published_register()

    first = await client.get(f"{API}/meetings?limit=2")
    etag = first.headers["etag"]
    again = await client.get(f"{API}/meetings?limit=2", headers={"If-None-Match": etag})
    among = await client.get(
        f"{API}/meetings?limit=2", headers={"If-None-Match": f'W/"other", {etag}'}
    )
    other_url = await client.get(f"{API}/meetings?limit=3", headers={"If-None-Match": etag})

    assert etag.startswith('W/"')
    assert first.headers["cache-control"] == "public, max-age=60"
    assert first.headers["last-modified"] == format_datetime(WITHDRAWN_AT, usegmt=True)
    assert "Accept" in first.headers["vary"]
    assert again.status_code == among.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == "public, max-age=60"
    assert other_url.status_code == 200
    assert other_url.headers["etag"] != etag


async def test_if_modified_since_answers_304_until_the_next_publication(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()
    first = await client.get(f"{API}/officials")
    since = {"If-Modified-Since": first.headers["last-modified"]}

    unchanged = await client.get(f"{API}/officials", headers=since)
    await publish_meeting(register.stored, datetime(2026, 5, 25, 9, tzinfo=UTC))
    changed = await client.get(f"{API}/officials", headers={"If-None-Match": first.headers["etag"]})

    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert changed.headers["etag"] != first.headers["etag"]


async def test_json_and_csv_of_one_url_have_different_etags(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await published_register()

    as_json = await client.get(f"{API}/authorities")
    as_csv = await client.get(
        f"{API}/authorities",
        headers={"Accept": "text/csv", "If-None-Match": as_json.headers["etag"]},
    )

    assert as_csv.status_code == 200
    assert as_csv.headers["etag"] != as_json.headers["etag"]


async def test_errors_carry_no_validator(client: httpx.AsyncClient, db: Engine) -> None:
    answer = await client.get(f"{API}/meetings?limit=0")

    assert answer.status_code == 400
    assert "etag" not in answer.headers


# CORS -----------------------------------------------------------------------------------------


async def test_reads_are_open_to_every_origin(client: httpx.AsyncClient, db: Engine) -> None:
    origin = {"Origin": "https://journal.example"}

    read = await client.get(f"{API}/authorities", headers=origin)
    preflight = await client.options(
        f"{API}/meetings", headers={**origin, "Access-Control-Request-Method": "GET"}
    )
    write = await client.options(
        f"{API}/meetings", headers={**origin, "Access-Control-Request-Method": "POST"}
    )

    assert read.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in read.headers
    assert "ETag" in read.headers["access-control-expose-headers"]
    assert "Retry-After" in read.headers["access-control-expose-headers"]
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert set(preflight.headers["access-control-allow-methods"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    assert write.status_code == 400


# Rate limit -----------------------------------------------------------------------------------


@pytest.fixture
async def limited_client(db: Engine, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(data_dir=tmp_path, api_rate_limit=3), engine=db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://register.test"
    ) as http:
        yield http


async def test_too_many_requests_is_a_429_with_retry_after(
    limited_client: httpx.AsyncClient,
) -> None:
    allowed = [await limited_client.get(f"{API}/authorities") for _ in range(3)]
    refused = await limited_client.get(f"{API}/authorities")
    elsewhere = await limited_client.get("/health")

    assert [answer.status_code for answer in allowed] == [200, 200, 200]
    assert allowed[0].headers["ratelimit-limit"] == "3"
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["type"] == "/problems/rate-limited"
    assert "At most 3 requests a minute" in refused.json()["detail"]
    assert elsewhere.status_code != 429


# Problems -------------------------------------------------------------------------------------

UNKNOWN_ID = "0195a3c4-7e2b-7c1d-9f00-3b5e8a1d2c4f"


@pytest.mark.parametrize(
    ("url", "status", "parameter"),
    [
        ("/meetings?limit=0", 400, "limit"),
        ("/meetings?limit=501", 400, "limit"),
        ("/meetings?limit=many", 400, "limit"),
        ("/meetings?since=2026-13-01", 400, "since"),
        ("/meetings?until=yesterday", 400, "until"),
        ("/meetings?since=2026-03-05&until=2026-03-01", 400, None),
        ("/meetings?authority=ville-test", 400, "authority"),
        ("/meetings?organisation=42", 400, "organisation"),
        ("/meetings?format=pdf", 400, "format"),
        ("/meetings?format=csv&format=json", 400, "format"),
        ("/meetings?state=draft", 400, "state"),
        ("/meetings?sort=random", 400, "sort"),
        ("/meetings?hatvp_registered=maybe", 400, "hatvp_registered"),
        ("/meetings?policy_area=Urban+Planning", 400, "policy_area"),
        ("/meetings?q=" + "x" * 201, 400, "q"),
        ("/meetings?cursor=not-a-cursor", 400, "cursor"),
        ("/meetings?authorty=" + UNKNOWN_ID, 400, "authorty"),
        (f"/meetings/{UNKNOWN_ID}", 404, None),
        (f"/meetings/{UNKNOWN_ID}?format=csv", 400, "format"),
        ("/officials?authority=x", 400, "authority"),
        (f"/officials/{UNKNOWN_ID}", 404, None),
        ("/organisations?limit=0", 400, "limit"),
        ("/organisations?cursor=bad", 400, "cursor"),
        (f"/organisations/{UNKNOWN_ID}", 404, None),
        ("/policy-areas?authority=1", 400, "authority"),
        ("/statistics?top=0", 400, "top"),
        ("/statistics?format=csv", 400, "format"),
        ("/log?after=-1", 400, "after"),
        ("/nothing-here", 404, None),
    ],
)
async def test_every_bad_input_is_a_problem_document(
    client: httpx.AsyncClient, db: Engine, url: str, status: int, parameter: str | None
) -> None:
    answer = await client.get(API + url)

    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == status
    assert {"type", "title", "detail", "instance"} <= set(problem)
    if parameter:
        assert parameter in problem["detail"]


# The publication log --------------------------------------------------------------------------


async def test_the_log_is_json_lines_that_verify_independently(
    client: httpx.AsyncClient, db: Engine
) -> None:
    register: PublishedRegister = await published_register()

    answer = await client.get(f"{API}/log")
    after = await client.get(f"{API}/log?after=4")
    verified = _verify(answer.text)

    assert answer.headers["content-type"] == "application/jsonl"
    assert "etag" in answer.headers
    assert len(answer.text.splitlines()) == len(register.meetings) + 1  # and the withdrawal
    assert verified.returncode == 0, verified.stderr
    assert "The publication log verifies: 6 entries" in verified.stdout
    assert after.text.splitlines() == answer.text.splitlines()[4:]


async def test_a_tampered_copy_of_the_log_fails_verification(
    client: httpx.AsyncClient, db: Engine
) -> None:
    await published_register()
    lines = (await client.get(f"{API}/log")).text.splitlines()
    tampered = "\n".join([lines[0], lines[1].replace("Pistes", "Pistas"), *lines[2:]]) + "\n"

    verified = _verify(tampered)

    assert verified.returncode != 0
    assert "FIRST BROKEN ENTRY: 2" in verified.stderr
