"""An editor's work through HTTP: from the queue to a published record, then a correction and a
withdrawal; refused forms keep what was typed; two editors at once get a conflict."""

import html
import json
import re

import httpx
from piccolo.engine.base import Engine

from register.domain.kinds import PublicationState
from register.store.repositories.audit import events_for
from register.store.repositories.meetings import get_meeting
from register.store.repositories.publication_log import entries_for_meeting, verify_log
from tests.web.staff import StaffWorld, csrf_token, log_in, store_staff_world

HTML = {"accept": "text/html"}


def _text(answer: httpx.Response) -> str:
    """The page's text as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(answer.text)


SUBJECT = "Projet de rénovation du quartier de la gare : calendrier des travaux"


def _record(world: StaffWorld, page: str, **changes: str) -> dict[str, object]:
    """The meeting form as an editor fills it in, with the lock version shown on the page."""
    lock = re.search(r'name="lock_version" value="(\d+)"', page)
    assert lock
    values: dict[str, object] = {
        "_csrf_token": csrf_token(page),
        "lock_version": lock.group(1),
        "officials_present": [str(world.own.owner.id), str(world.own.colleague.id)],
        "other_role_0": "Directrice de l'urbanisme",
        "rep_org_0": f"{world.own.representative.name} · {world.own.representative.id}",
        "rep_people_0": "Jean Martin",
        "subject": SUBJECT,
        "policy_area": "urbanisme",
        "format": "in_person",
        "initiative": "representative",
        "documents": "https://example.org/dossier.pdf",
        "intent": "publish",
    }
    values.update(changes)
    return values


async def test_an_editor_takes_a_meeting_from_the_queue_to_published_and_on(
    client: httpx.AsyncClient, db: Engine
) -> None:
    world = await store_staff_world()
    meeting_id = world.own_meeting.id
    await log_in(client, "editor")

    queue = await client.get("/staff/", headers=HTML)
    assert queue.status_code == 200
    assert f"/staff/meetings/{meeting_id}" in _text(queue)
    screen = await client.get(f"/staff/meetings/{meeting_id}", headers=HTML)
    assert screen.status_code == 200
    assert "Texte privé de l'agenda" in _text(screen)  # staff see the calendar's own text
    assert "Un participant utilise le domaine de" in _text(screen)  # the classification's reason

    # A vague subject: refused, every problem shown, and what was typed is still there.
    vague = await client.post(
        f"/staff/meetings/{meeting_id}/record",
        data=_record(world, screen.text, subject="Point général", rep_people_0="Jeanne Dupuis"),
        headers=HTML,
    )
    assert vague.status_code == 400
    assert "trop vague" in _text(vague)
    assert "Jeanne Dupuis" in _text(vague)
    assert 'value="https://example.org/dossier.pdf"' in _text(vague) or (
        "https://example.org/dossier.pdf" in _text(vague)
    )
    stored = await get_meeting(meeting_id)
    assert stored is not None
    assert stored.publication_state is PublicationState.DRAFT

    fixed = await client.post(
        f"/staff/meetings/{meeting_id}/record", data=_record(world, vague.text), headers=HTML
    )
    assert fixed.status_code == 303
    assert fixed.headers["location"] == f"/staff/meetings/{meeting_id}?done=published"
    published = await client.get(fixed.headers["location"], headers=HTML)
    assert "La rencontre est publiée." in _text(published)
    entries = await entries_for_meeting(meeting_id)
    assert [(e.version, e.action.value) for e in entries] == [(1, "publish")]
    payload = json.loads(entries[0].body)["payload"]
    assert payload["subject"] == SUBJECT
    assert "Texte privé de l'agenda" not in entries[0].body
    assert "jean.martin@fbv.example" not in entries[0].body

    # A correction needs a public reason; with one, it becomes version 2.
    no_reason = await client.post(
        f"/staff/meetings/{meeting_id}/record",
        data=_record(world, published.text, intent="correct", subject=SUBJECT + " (phase 2)"),
        headers=HTML,
    )
    assert no_reason.status_code == 400
    assert "raison publique est obligatoire" in _text(no_reason)
    assert "(phase 2)" in _text(no_reason)
    corrected = await client.post(
        f"/staff/meetings/{meeting_id}/record",
        data=_record(
            world,
            no_reason.text,
            intent="correct",
            subject=SUBJECT + " (phase 2)",
            reason="La phase concernée était mal indiquée.",
        ),
        headers=HTML,
    )
    assert corrected.status_code == 303
    after_correction = await client.get(corrected.headers["location"], headers=HTML)

    # A withdrawal needs a reason and a legal ground, and stays public as version 3.
    lock = re.search(r'name="lock_version" value="(\d+)"', after_correction.text)
    assert lock
    token = csrf_token(after_correction.text)
    missing_ground = await client.post(
        f"/staff/meetings/{meeting_id}/withdraw",
        data={"_csrf_token": token, "lock_version": lock.group(1), "reason": "Erreur"},
        headers=HTML,
    )
    assert missing_ground.status_code == 400
    assert "motif légal du retrait est obligatoire" in _text(missing_ground)
    withdrawn = await client.post(
        f"/staff/meetings/{meeting_id}/withdraw",
        data={
            "_csrf_token": token,
            "lock_version": lock.group(1),
            "reason": "Rencontre saisie dans le mauvais agenda.",
            "legal_ground": "out_of_scope",
        },
        headers=HTML,
    )
    assert withdrawn.status_code == 303
    entries = await entries_for_meeting(meeting_id)
    assert [(e.version, e.action.value) for e in entries] == [
        (1, "publish"),
        (2, "correct"),
        (3, "withdraw"),
    ]
    assert await verify_log() == (3, [])
    actions = [event.action for event in await events_for("meeting", str(meeting_id))]
    assert "meeting.publish" in actions
    assert "meeting.withdraw" in actions


async def test_two_editors_saving_one_meeting_get_a_conflict_not_an_overwrite(
    client: httpx.AsyncClient, db: Engine
) -> None:
    world = await store_staff_world()
    meeting_id = world.own_meeting.id
    await log_in(client, "editor")
    screen = await client.get(f"/staff/meetings/{meeting_id}", headers=HTML)
    first = _record(world, screen.text, intent="save", subject=SUBJECT)
    second = _record(world, screen.text, intent="save", subject="Tarification du stationnement")

    saved = await client.post(f"/staff/meetings/{meeting_id}/record", data=first, headers=HTML)
    conflict = await client.post(f"/staff/meetings/{meeting_id}/record", data=second, headers=HTML)

    assert saved.status_code == 303
    assert conflict.status_code == 409
    assert "Quelqu'un a modifié cette rencontre" in _text(conflict)
    assert "Tarification du stationnement" in _text(conflict)  # what was typed is kept
    stored = await get_meeting(meeting_id)
    assert stored is not None
    assert stored.record.subject == SUBJECT


async def test_a_classification_decided_by_staff_is_shown_as_such(
    client: httpx.AsyncClient, db: Engine
) -> None:
    world = await store_staff_world()
    meeting_id = world.own_meeting.id
    await log_in(client, "editor")
    screen = await client.get(f"/staff/meetings/{meeting_id}", headers=HTML)

    answer = await client.post(
        f"/staff/meetings/{meeting_id}/classification",
        data={"_csrf_token": csrf_token(screen.text), "lock_version": "0", "kind": "internal"},
        headers=HTML,
    )

    assert answer.status_code == 303
    page = await client.get(answer.headers["location"], headers=HTML)
    assert "décidée par le personnel" in _text(page)
    stored = await get_meeting(meeting_id)
    assert stored is not None
    assert stored.classification.kind.value == "internal"
    assert stored.classification.decided_by.value == "staff"


async def test_an_exemption_keeps_a_meeting_out_of_the_queue_until_lifted(
    client: httpx.AsyncClient, db: Engine
) -> None:
    world = await store_staff_world()
    meeting_id = world.own_meeting.id
    await log_in(client, "editor")
    screen = await client.get(f"/staff/meetings/{meeting_id}", headers=HTML)

    exempted = await client.post(
        f"/staff/meetings/{meeting_id}/exemption",
        data={
            "_csrf_token": csrf_token(screen.text),
            "lock_version": "0",
            "legal_ground": "procurement",
        },
        headers=HTML,
    )

    assert exempted.status_code == 303
    queue = await client.get("/staff/", headers=HTML)
    assert f"/staff/meetings/{meeting_id}" not in _text(queue)
    stored = await get_meeting(meeting_id)
    assert stored is not None
    assert stored.exemption_ground is not None
    assert stored.exemption_ground.value == "procurement"
    page = await client.get(f"/staff/meetings/{meeting_id}", headers=HTML)
    lifted = await client.post(
        f"/staff/meetings/{meeting_id}/exemption",
        data={"_csrf_token": csrf_token(page.text), "lock_version": "1", "legal_ground": ""},
        headers=HTML,
    )
    assert lifted.status_code == 303
    assert f"/staff/meetings/{meeting_id}" in _text(await client.get("/staff/", headers=HTML))


async def test_the_organisation_picker_finds_the_directory(
    client: httpx.AsyncClient, db: Engine
) -> None:
    world = await store_staff_world()
    await log_in(client, "editor")

    found = await client.get(
        "/staff/organisations", params={"q": world.own.representative.name[:8].lower()}
    )

    assert found.status_code == 200
    assert str(world.own.representative.id) in [item["id"] for item in found.json()]
