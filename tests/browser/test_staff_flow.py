"""The back office in a real browser, on the demo: an editor logs in, opens the queue, completes
a collegiality record (a vague subject is refused first and corrected), publishes it, corrects
it, and withdraws it; the public page and the log follow. An official's account only reads."""

import re
from typing import Any

import pytest

from tests.browser.conftest import DEMO_PASSWORD

# Every browser test runs in one pytest-xdist worker, which starts the demo once.
pytestmark = pytest.mark.xdist_group("browser")


def _published_count(chromium: Any, base: str) -> int:
    """The public front page's count of published meetings."""
    public = chromium.new_page()
    public.goto(base + "/")
    count = int(public.locator(".figures dd").first.inner_text())
    public.close()
    return count


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/staff/")
    assert "/staff/login" in page.url  # no session yet: sent to the log-in page
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def _open_a_draft_from_the_queue(page: Any) -> str:
    """Open the most urgent draft of the queue, its classification confirmed; its address."""
    # The queue: most urgent first, with counts per official.
    assert page.locator("h1").inner_text() == "File d'attente"
    rows = page.locator("table.queue tbody tr")
    assert rows.count() > 0
    assert page.locator("#par-responsable").is_visible()
    draft_row = rows.filter(has_text="brouillon").first
    draft_row.locator("a").first.click()
    page.wait_for_load_state()
    assert re.search(r"/staff/meetings/[0-9a-f-]{36}$", page.url)

    # Confirm the classification if the rules were unsure.
    if (
        "Avec des représentants d'intérêts"
        not in page.locator("#classification ~ p").first.inner_text()
    ):
        page.get_by_label("Cette rencontre est").select_option("interest_representative")
        page.get_by_role("button", name="Confirmer la classification").click()
        page.wait_for_load_state()
        assert "La classification est enregistrée" in page.locator("#notice").inner_text()

    return str(page.url)


def _complete_the_record_with_a_vague_subject(page: Any, demo_server: str) -> None:
    """Two officials present, an organisation from the directory, and a vague subject."""
    boxes = page.locator("#field-officials_present input[type=checkbox]")
    assert boxes.count() >= 2
    owner = page.locator("p.meta").inner_text().split(" · ")[0].strip()
    page.get_by_label(owner, exact=False).first.check()
    for index in range(boxes.count()):
        if boxes.nth(index).is_checked():
            continue
        boxes.nth(index).check()
        break
    organisations = page.request.get(demo_server + "/staff/organisations?q=fed").json()
    assert organisations, "the directory search found nothing"
    page.locator("#rep_org_0").fill(organisations[0]["label"])
    page.locator("#rep_people_0").fill("Claire Fontaine")
    page.get_by_label("Objet public", exact=False).fill("Point général")
    page.get_by_label("Domaine d'action publique").select_option("urbanisme")
    page.get_by_label("Format").select_option("in_person")
    page.get_by_label("À l'initiative de").select_option("representative")
    page.get_by_role("button", name="Enregistrer et publier").click()
    page.wait_for_load_state()


def test_an_editor_takes_a_meeting_from_the_queue_to_published_then_corrects_and_withdraws_it(
    chromium: Any, demo_server: str
) -> None:
    published_before = _published_count(chromium, demo_server)
    page = chromium.new_page()
    _log_in(page, demo_server, "editeur")

    meeting_url = _open_a_draft_from_the_queue(page)
    _complete_the_record_with_a_vague_subject(page, demo_server)

    # Refused: the vague subject is named, and what was typed is still in the form.
    warning = page.locator("#violations").inner_text()
    assert "trop vague" in warning
    assert page.locator("#rep_people_0").input_value() == "Claire Fontaine"
    assert page.locator("#state").inner_text() == "brouillon"

    page.get_by_label("Objet public", exact=False).fill(
        "Révision du plan local d'urbanisme : hauteur des immeubles du quartier nord"
    )
    page.get_by_role("button", name="Enregistrer et publier").click()
    page.wait_for_load_state()
    assert page.locator("#notice").inner_text() == "La rencontre est publiée."
    assert page.locator("#state").inner_text() == "publiée"
    assert page.locator("#versions tbody tr").count() == 1

    # The public register counts it at once.
    assert _published_count(chromium, demo_server) == published_before + 1

    # A correction needs a public reason.
    page.get_by_label("Objet public", exact=False).fill(
        "Révision du plan local d'urbanisme : hauteur des immeubles du quartier sud"
    )
    page.get_by_role("button", name="Publier la correction").click()
    page.wait_for_load_state()
    assert "raison publique est obligatoire" in page.locator("#refusals").inner_text()
    assert "quartier sud" in page.get_by_label("Objet public", exact=False).input_value()
    page.get_by_label("Raison publique de la correction").fill("Le quartier était mal indiqué.")
    page.get_by_role("button", name="Publier la correction").click()
    page.wait_for_load_state()
    assert page.locator("#notice").inner_text() == "La correction est publiée."
    assert page.locator("#state").inner_text() == "corrigée"

    # A withdrawal needs a reason and a legal ground; it stays in the history.
    page.get_by_label("Raison publique du retrait").fill("Rencontre saisie dans le mauvais agenda.")
    page.get_by_label("Motif légal").select_option("out_of_scope")
    page.get_by_role("button", name="Retirer la publication").click()
    page.wait_for_load_state()
    assert "La publication est retirée" in page.locator("#notice").inner_text()
    assert page.locator("#state").inner_text() == "retirée"
    history = page.locator("#versions tbody tr").all_inner_texts()
    assert [row.split("\t")[1] for row in history] == ["publish", "correct", "withdraw"]
    assert page.url.startswith(meeting_url)
    page.close()


def test_an_officials_account_reads_but_cannot_act(chromium: Any, demo_server: str) -> None:
    page = chromium.new_page()
    _log_in(page, demo_server, "maire")

    rows = page.locator("table.queue tbody tr")
    assert rows.count() > 0
    rows.first.locator("a").first.click()
    page.wait_for_load_state()

    assert page.get_by_role("button", name="Enregistrer et publier").count() == 0
    assert page.locator("#field-officials_present input").first.is_disabled()
    answer = page.request.get(demo_server + "/staff/users", headers={"accept": "text/html"})
    assert answer.status == 403
    page.close()


def test_logging_out_closes_the_back_office(chromium: Any, demo_server: str) -> None:
    page = chromium.new_page()
    _log_in(page, demo_server, "admin")
    assert page.locator("h1").inner_text() == "File d'attente"

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    assert "/staff/login" in page.url
    page.goto(demo_server + "/staff/audit")
    assert "/staff/login" in page.url
    page.close()
