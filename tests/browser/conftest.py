"""Chromium for the browser journeys (Playwright for Python, sync API, Debian's /usr/bin/chromium).

Outside CI a missing Chromium skips these tests with a reason; in CI (CI=true) it fails them, so a
broken image can never pass silently. Screenshots go to artifacts/<journey>/ (git-ignored).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import ARTIFACTS

# Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _chromium_missing_reason() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


# Module scope, not session: while Playwright's sync API is running it keeps an asyncio loop
# current in this thread, and later tests that call asyncio.run() (e.g. PDF sealing) would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    reason = _chromium_missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _is_error(msg, page) -> bool:
    """A console error, except the one Chromium logs for a page whose own status is an error (a
    journey may expect a 404 or a 429 page); a failed script, style or image still counts."""
    if msg.type != "error":
        return False
    own_status = msg.text.startswith("Failed to load resource") and msg.location.get("url") == page.url
    return not own_status


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 900})
    # A click that ends a justering renders and seals the PDFs inside the request here (the tests' tasks
    # run in-process); on a busy 2-core machine that took over 10 s. A limit on waiting, not an assertion.
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if _is_error(msg, page) else None)
    yield page
    context.close()
    assert not errors, f"JavaScript or CSP errors in the browser: {errors}"


class Shots:
    """Numbered full-page screenshots of one journey: artifacts/<journey>/01-login.png, …"""

    def __init__(self, page, journey: str) -> None:
        self.page = page
        self.folder = ARTIFACTS / journey
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def __call__(self, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(page, request) -> Shots:
    journey = request.node.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    return Shots(page, journey)
