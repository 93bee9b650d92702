"""Helpers of the browser journeys: where screenshots go, and the axe-core check of a page."""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def assert_accessible(page) -> None:
    """axe-core on the current page: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}" for v in bad]
    assert not bad, f"axe found serious/critical problems on {page.url}:\n" + "\n".join(details)


def login(page, username: str, password: str = "pw-for-tests") -> None:
    """Log in through the login page and land on the dashboard."""
    from playwright.sync_api import expect

    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Mina sammanträden")).to_be_visible()
