"""schemathesis against the application's own OpenAPI schema, on a small published register:
no answer is a 5xx, every answer conforms to the schema (status code, content type, headers,
body), and input that breaks the schema is refused with a 4xx.

schemathesis's ASGI runner drives the app from another thread and event loop, which asyncpg
refuses (see LIBRARY-NOTES), so the cases are generated with schemathesis's Hypothesis
strategies and sent here, in the test's loop, through httpx; each answer is then checked with
schemathesis's own checks. The examples per operation are bounded and derandomized, so the run
is short and repeatable.
"""

from collections.abc import AsyncIterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy
from piccolo.engine.base import Engine
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from register.settings import Settings
from register.web import create_app
from tests.web.api.published import published_register

BASE_URL = "http://register.test"
EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 8}
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
async def unlimited_client(db: Engine, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(data_dir=tmp_path, api_rate_limit=0), engine=db)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as http:
        yield http


def _drawn(strategy: SearchStrategy[Case], examples: int) -> list[Case]:
    """Up to `examples` cases drawn from `strategy`, the same ones on every run."""
    found: list[Case] = []

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(case: Case) -> None:
        found.append(case)

    # Unsatisfiable: no invalid request exists for an operation whose only input is an enum.
    with suppress(Unsatisfiable):
        collect()
    return found


async def _send(client: httpx.AsyncClient, case: Case) -> httpx.Response:
    request: dict[str, Any] = case.as_transport_kwargs(base_url=BASE_URL)
    return await client.request(
        request["method"],
        request["url"],
        params=request.get("params"),
        headers=request.get("headers"),
    )


async def test_the_api_conforms_to_its_openapi_schema(
    unlimited_client: httpx.AsyncClient, db: Engine
) -> None:
    register = await published_register()
    document = (await unlimited_client.get("/schema/openapi.json")).json()
    document["paths"] = {
        path: item for path, item in document["paths"].items() if path.startswith("/api/v1/")
    }
    schema = schemathesis.openapi.from_dict(document)
    # A URL too long for the register is refused with 414 (register.web.limits), as documented.
    schema.config.checks.negative_data_rejection.expected_statuses.append("414")
    known_ids = {
        "meeting_id": str(register.meetings[3].id),
        "official_id": str(register.stored.owner.id),
        "organisation_id": str(register.stored.representative.id),
    }

    cases: list[tuple[Case, list[Any]]] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, examples in EXAMPLES.items():
            checks = CONFORMANCE + ([negative_data_rejection] if mode.is_negative else [])
            strategy = operation.as_strategy(generation_mode=mode)
            cases += [(case, checks) for case in _drawn(strategy, examples)]
        path_ids = {k: v for k, v in known_ids.items() if "{" + k + "}" in operation.path}
        if path_ids:
            strategy = operation.as_strategy(path_parameters=path_ids)
            cases += [(case, CONFORMANCE) for case in _drawn(strategy, 3)]

    failures: list[str] = []
    statuses: set[int] = set()
    for case, checks in cases:
        answer = await _send(unlimited_client, case)
        statuses.add(answer.status_code)
        try:
            case.validate_response(answer, checks=checks)
        except Exception as failure:
            failures.append(f"{case.method} {answer.request.url} → {answer.status_code}: {failure}")

    assert not failures, "\n\n".join(failures[:10])
    assert len(cases) > 100
    assert {200, 400, 404} <= statuses
    assert not any(status >= 500 for status in statuses)
