"""The register's Content-Security-Policy as Chromium enforces it: an injected inline script
does not run and is reported, which is what makes every other browser test fail on a
violation (tests/browser/conftest.py)."""

from typing import Any

import pytest

from tests.browser.conftest import CSP_VIOLATIONS

pytestmark = pytest.mark.xdist_group("browser")

INJECTED = """
const script = document.createElement("script");
script.textContent = "document.body.dataset.injected = 'ran';";
document.body.appendChild(script);
const image = document.createElement("img");
image.setAttribute("src", "/nulle-part.png");
image.setAttribute("onerror", "document.body.dataset.handler = 'ran';");
document.body.appendChild(image);
"""


def test_inline_script_is_blocked_and_reported(chromium: Any, demo_server: str) -> None:
    page = chromium.new_page()
    page.goto(demo_server + "/")
    already = len(CSP_VIOLATIONS)

    page.evaluate(INJECTED)
    page.wait_for_timeout(300)

    assert page.evaluate("document.body.dataset.injected") is None
    assert page.evaluate("document.body.dataset.handler") is None
    reported = CSP_VIOLATIONS[already:]
    assert any("script-src" in text for text in reported), reported
    del CSP_VIOLATIONS[already:]  # expected here; any other test fails on one
    page.close()
