"""Health, OpenAPI, problem details and the home page, on SQLite and PostgreSQL."""

import logging
import sqlite3
from datetime import UTC, datetime

import httpx
import pytest
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine

from register.domain.publication import PublicationAction
from register.services.publication import Actor, apply_action
from register.store.repositories import meetings
from register.web.problems import database_unavailable
from tests import factories
from tests.stored import store_register


async def test_health_is_ok_when_the_database_answers_and_is_migrated(
    client: httpx.AsyncClient, db: Engine
) -> None:
    response = await client.get("/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["reachable"] is True
    assert body["database"]["engine"] == db.engine_type
    assert body["database"]["pending_migrations"] == []
    assert response.headers["cache-control"] == "no-store"


async def test_health_is_unavailable_when_a_migration_is_pending(
    client: httpx.AsyncClient,
) -> None:
    latest = (
        await Migration.select(Migration.name).order_by(Migration.name, ascending=False).first()
    )
    assert latest is not None
    await Migration.delete().where(Migration.name == latest["name"])
    try:
        response = await client.get("/health")
    finally:
        await Migration.insert(Migration(name=latest["name"], app_name="register"))

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"]["pending_migrations"] == [latest["name"]]


async def test_openapi_schema_documents_the_health_endpoint(client: httpx.AsyncClient) -> None:
    response = await client.get("/schema/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert schema["info"]["title"] == "Registre de transparence des agendas"
    assert set(schema["paths"]["/health"]["get"]["responses"]) == {"200", "503"}


async def test_unknown_api_path_is_a_problem_document(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "Not Found",
        "instance": "/api/v1/nothing-here",
    }


async def test_wrong_method_is_a_problem_document(client: httpx.AsyncClient) -> None:
    response = await client.post("/health")

    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/method-not-allowed"


async def test_browser_asking_for_a_missing_page_gets_an_html_error_page(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/nulle-part", headers={"Accept": "text/html"})

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Erreur 404" in response.text


async def test_home_page_lists_published_meetings_only(client: httpx.AsyncClient) -> None:
    authority, owner, colleague, rep = await store_register(name="Ville de Clairval")
    published = await meetings.add_meeting(
        factories.meeting(
            authority.id,
            owner.id,
            record=factories.complete_record(owner, colleague, rep),
            classification=factories.interest_classification(rep),
        )
    )
    draft = factories.complete_record(
        owner, colleague, rep, subject="Sujet encore en brouillon à ne pas montrer"
    )
    await meetings.add_meeting(factories.meeting(authority.id, owner.id, record=draft))
    now = datetime(2026, 3, 12, tzinfo=UTC)
    for action in (PublicationAction.MARK_READY, PublicationAction.PUBLISH):
        await apply_action(published.id, action, actor=Actor("test"), now=now)

    response = await client.get("/")

    assert response.status_code == 200
    page = response.text
    assert "Ville de Clairval" in page
    assert "Projet de rénovation du quartier de la gare : calendrier des travaux" in page
    assert "Fédération des bâtisseurs du Val" in page
    # 13:30 UTC is 14:30 in Paris in March.
    assert "10 mars 2026, 14 h 30" in page
    assert "Sujet encore en brouillon" not in page
    assert "RDV FBV gare" not in page
    assert "jean.martin@fbv.example" not in page


async def test_static_stylesheet_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/register.css")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


async def test_every_answer_is_logged_with_its_status_and_duration(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="register.access")

    await client.get("/health")
    await client.get("/missing")

    entries = [r.msg for r in caplog.records if r.name == "register.access"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [  # type: ignore[index]
        ("GET", "/health", 200),
        ("GET", "/missing", 404),
    ]
    assert all(e["duration_ms"] >= 0 for e in entries)  # type: ignore[index]


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (sqlite3.OperationalError("database is locked"), True),
        (sqlite3.OperationalError("no such column: meeting.subjet"), False),
        (sqlite3.OperationalError('near "FORM": syntax error'), False),
        (ValueError("not a database error"), False),
    ],
)
def test_only_a_database_that_cannot_answer_is_a_503(error: Exception, unavailable: bool) -> None:
    """A locked SQLite file is worth a retry (503); a broken query is a bug (a logged 500)."""
    assert database_unavailable(error) is unavailable
