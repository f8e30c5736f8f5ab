"""The front page in a real browser: it renders, reads well on a phone, and works by keyboard."""

from typing import Any

import pytest

# Every browser test runs in one pytest-xdist worker, which starts the demo once.
pytestmark = pytest.mark.xdist_group("browser")


def test_front_page_shows_the_latest_published_meetings(chromium: Any, demo_server: str) -> None:
    page = chromium.new_page()
    page.goto(demo_server + "/")

    assert page.title() == "Registre de transparence des agendas"
    assert page.locator("h1").inner_text() == "Registre de transparence des agendas"
    rows = page.locator("table.meetings tbody tr")
    assert rows.count() == 30
    first_date = rows.first.locator("time").get_attribute("datetime")
    assert first_date is not None
    figures = page.locator(".figures dd").all_inner_texts()
    assert int(figures[0]) >= 150
    page.close()


def test_front_page_fits_a_phone_screen(chromium: Any, demo_server: str) -> None:
    page = chromium.new_page(viewport={"width": 360, "height": 740})
    page.goto(demo_server + "/")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert page.locator("table.meetings thead").is_hidden()
    page.close()


def test_keyboard_users_can_skip_to_the_content(chromium: Any, demo_server: str) -> None:
    page = chromium.new_page()
    page.goto(demo_server + "/")

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Aller au contenu"
    assert page.locator("a.skip").is_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#contenu")
    page.close()
