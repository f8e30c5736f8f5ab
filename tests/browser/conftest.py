"""A real server with the demo data, and Debian's Chromium driven by Playwright.

Browser tests skip with a reason where Chromium or Playwright is missing, unless
REGISTER_REQUIRE_BROWSER=1 (set by .ci/run), which makes that a failure. Playwright never
downloads a browser here: it drives /usr/bin/chromium.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = os.environ.get("REGISTER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

DEMO_PASSWORD = "browser-demo-password"

CSP_VIOLATIONS: list[str] = []
"""Content-Security-Policy violations that Chromium reported in any tab, in order."""

# Chromium reports a violation on the console ("Refused to execute inline script because it
# violates the following Content Security Policy directive…"); this script, which Playwright
# injects outside the page's policy, also reports the DOM's securitypolicyviolation events.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("Content Security Policy violation: " + event.violatedDirective
    + " blocked " + event.blockedURI + " in " + event.documentURI);
});
"""


def _record_violation(message: Any) -> None:
    text = str(message.text)
    if "Content Security Policy" in text:
        CSP_VIOLATIONS.append(text)


class WatchedBrowser:
    """The browser, with every page and context it opens watched for CSP violations: the
    pages must work under the register's policy, which forbids inline script and style."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

    def new_context(self, **options: Any) -> Any:
        context = self._browser.new_context(**options)
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on("console", _record_violation)
        return context

    def new_page(self, **options: Any) -> Any:
        page = self._browser.new_page(**options)
        page.add_init_script(_REPORT_VIOLATIONS)
        page.on("console", _record_violation)
        return page


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    return None


def _required() -> bool:
    return os.environ.get("REGISTER_REQUIRE_BROWSER", "") not in {"", "0", "false", "no"}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Chromium for one test module: Playwright's synchronous API runs an event loop
    of its own, which must be gone before the asynchronous tests of other modules run."""
    reason = _browser_missing()
    if reason:
        if _required():
            pytest.fail(f"REGISTER_REQUIRE_BROWSER is set but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def no_csp_violation() -> Iterator[None]:
    """Every browser test fails if any page it opened broke the Content-Security-Policy."""
    already = len(CSP_VIOLATIONS)
    yield
    found = CSP_VIOLATIONS[already:]
    assert found == [], f"Content-Security-Policy violations: {found}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`register demo` on a fresh SQLite directory, as the quick start runs it; yields its URL."""
    port, caldav_port = _free_port(), _free_port()
    data = tmp_path_factory.mktemp("browser-demo")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("REGISTER_")}
    environment.pop("DATABASE_URL", None)
    environment["REGISTER_DEMO_PASSWORD"] = DEMO_PASSWORD
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "register", "demo", "--data-dir", str(data)),
            *("--port", str(port), "--caldav-port", str(caldav_port)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the demo server did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
