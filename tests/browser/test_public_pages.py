"""The public register in a real browser, on the demo: searching with filters, opening a meeting
and following its history, switching language, the subscribe links, axe-core on every page
(no serious or critical violation), phone-width layouts, and screenshots of the main pages in
tests/browser/screenshots/ for a person to look at."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Every browser test runs in one pytest-xdist worker, which starts the demo once.
pytestmark = pytest.mark.xdist_group("browser")

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def pages(chromium: Any, demo_server: str) -> dict[str, str]:
    """The address of every kind of public page of the demo, found by browsing it."""
    page = chromium.new_page()
    page.goto(demo_server + "/rencontres?state=corrected")
    corrected = page.locator("table.meetings tbody tr td:nth-child(4) a").first
    corrected_url = demo_server + str(corrected.get_attribute("href"))
    page.goto(demo_server + "/rencontres?state=withdrawn")
    withdrawn = page.locator("table.meetings tbody tr td:nth-child(4) a").first
    withdrawn_url = demo_server + str(withdrawn.get_attribute("href"))
    page.goto(corrected_url)
    official = demo_server + str(
        page.locator("a[href^='/responsables/']").first.get_attribute("href")
    )
    organisation = demo_server + str(
        page.locator("ul.organisations a[href^='/organisations/']").first.get_attribute("href")
    )
    authority = demo_server + str(
        page.locator("a[href^='/collectivites/']").first.get_attribute("href")
    )
    page.close()
    return {
        "accueil": demo_server + "/",
        "recherche": demo_server + "/rencontres",
        "recherche-filtree": demo_server + "/rencontres?hatvp_registered=false&format=in_person",
        "rencontre-corrigee": corrected_url,
        "rencontre-retiree": withdrawn_url,
        "responsable": official,
        "organisation": organisation,
        "collectivite": authority,
        "statistiques": demo_server + "/statistiques",
        "donnees": demo_server + "/donnees",
        "methodologie": demo_server + "/methodologie",
        "en-accueil": demo_server + "/en",
        "en-rencontre": corrected_url.replace(demo_server, demo_server + "/en"),
        "en-statistiques": demo_server + "/en/statistiques",
        "erreur-400": demo_server + "/rencontres?since=2026-13-01",
        "erreur-404": demo_server + "/rencontres/inconnue",
    }


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=DESKTOP)
    tab = context.new_page()
    yield tab
    context.close()


def test_search_with_filters_gives_a_shareable_address(page: Any, demo_server: str) -> None:
    page.goto(demo_server + "/rencontres")
    page.get_by_label("Format").select_option("video")
    page.get_by_label("Répertoire de la HATVP").select_option("true")
    page.get_by_label("Résultats par page").select_option("100")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r".*/rencontres\?format=video&hatvp_registered=true&limit=100$"))

    found = page.locator("#resultats").inner_text()
    rows = page.locator("table.meetings tbody tr")
    assert int(found.split()[0]) == rows.count() > 0
    assert page.locator("#share-url").input_value() == page.url
    filters = page.locator(".active-filters li").all_inner_texts()
    assert any("En visioconférence" in text for text in filters)

    page.get_by_label("Mots recherchés").fill("zzzz-introuvable")
    page.get_by_label("Mots recherchés").press("Enter")
    page.wait_for_url(re.compile(r".*q=zzzz-introuvable.*"))
    assert "0 rencontre trouvée" in page.locator("#resultats").inner_text()


def test_every_result_list_offers_its_calendar_feeds_and_csv(page: Any, demo_server: str) -> None:
    page.goto(demo_server + "/rencontres?policy_area=mobilites")

    subscribe = page.get_by_role("link", name="S'abonner dans un agenda")
    assert str(subscribe.get_attribute("href")).startswith("webcal://")
    assert str(subscribe.get_attribute("href")).endswith(
        "/feeds/rencontres.ics?policy_area=mobilites"
    )
    hrefs = [a.get_attribute("href") for a in page.locator(".feed-links a").all()]
    assert any(str(h).endswith("/feeds/rencontres.rss?policy_area=mobilites") for h in hrefs)
    assert any(str(h).endswith("/feeds/rencontres.atom?policy_area=mobilites") for h in hrefs)
    assert any(str(h).endswith("/api/v1/meetings?policy_area=mobilites&format=csv") for h in hrefs)
    alternates = page.locator("link[rel=alternate][type='application/rss+xml']")
    assert alternates.count() == 1


def test_open_a_meeting_and_follow_its_history(page: Any, pages: dict[str, str]) -> None:
    page.goto(pages["recherche"] + "?state=corrected")
    first = page.locator("table.meetings tbody tr td:nth-child(4) a").first
    subject = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r".*/rencontres/[0-9a-f-]{36}$"))

    assert page.locator("h1").inner_text() == subject
    assert page.locator("#collegialite").is_visible()
    page.get_by_role("link", name="Voir l'historique des versions").click()
    assert page.url.endswith("#historique")
    versions = page.locator("table.history tbody tr")
    assert versions.count() >= 2
    assert "Correction" in versions.first.inner_text()
    assert page.locator("table.history tbody tr#version-1").count() == 1


def test_switching_language_keeps_the_page(page: Any, pages: dict[str, str]) -> None:
    page.goto(pages["rencontre-corrigee"])
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r".*/en/rencontres/[0-9a-f-]{36}$"))

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#historique").inner_text() == "History of versions"
    page.get_by_role("link", name="Meetings", exact=True).first.click()
    page.wait_for_url(re.compile(r".*/en/rencontres$"))
    page.get_by_role("link", name="Version française").click()
    page.wait_for_url(re.compile(r".*[0-9]/rencontres$"))
    assert page.locator("html").get_attribute("lang") == "fr"


def test_official_and_organisation_pages_offer_subscriptions(
    page: Any, pages: dict[str, str]
) -> None:
    for name, parameter in (("responsable", "official="), ("organisation", "organisation=")):
        page.goto(pages[name])
        subscribe = page.get_by_role("link", name="S'abonner dans un agenda")
        href = str(subscribe.get_attribute("href"))
        assert href.startswith("webcal://")
        assert parameter in href
        assert page.locator("svg.chart[role=img]").count() >= 2


def test_no_page_has_a_serious_or_critical_accessibility_violation(
    page: Any, pages: dict[str, str]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found: dict[str, list[str]] = {}
    for name, url in pages.items():
        page.goto(url)
        results = axe.run(page)
        blocking = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in results.response["violations"]
            if v["impact"] in BLOCKING
        ]
        if blocking:
            found[name] = blocking

    assert found == {}


def test_pages_fit_a_phone_screen(chromium: Any, pages: dict[str, str]) -> None:
    context = chromium.new_context(viewport=PHONE, is_mobile=True)
    phone = context.new_page()
    overflowing = {}
    for name, url in pages.items():
        phone.goto(url)
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            overflowing[name] = overflow
    context.close()

    assert overflowing == {}


def test_screenshots_of_the_main_pages(chromium: Any, pages: dict[str, str]) -> None:
    """Written to tests/browser/screenshots/ (not committed) for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    main = [
        "accueil",
        "recherche-filtree",
        "rencontre-corrigee",
        "rencontre-retiree",
        "responsable",
        "organisation",
        "collectivite",
        "statistiques",
        "donnees",
        "methodologie",
        "en-rencontre",
        "erreur-400",
    ]
    for viewport, suffix in ((DESKTOP, "ordinateur"), (PHONE, "telephone")):
        context = chromium.new_context(viewport=viewport)
        tab = context.new_page()
        for name in main:
            tab.goto(pages[name])
            path = SCREENSHOTS / f"{name}-{suffix}.png"
            tab.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 10_000
        context.close()
