"""Someone who forgot their password, in a real Chromium: wrong passwords until the login is locked
(the Swedish lockout page in the site's layout), then "Glömt lösenordet?", a link by e-mail and a new
password that logs them in. axe-core finds no serious violation on any of these pages. Screenshots
land in artifacts/login_safety_journey/."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_locked_out_then_a_new_password_by_email(page, shots, settings, live_server):
    settings.SITE_URL = live_server.url
    f.user("erik", email="erik@example.se")
    page.goto("/logga-in/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Användarnamn").fill("erik")
        page.get_by_label("Lösenord").fill("fel-lösenord")
        page.get_by_role("button", name="Logga in").click()
        if page.get_by_role("heading", name="Inloggningen är tillfälligt spärrad").is_visible():
            break
    expect(page.get_by_role("heading", name="Inloggningen är tillfälligt spärrad")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("spärrad i 15 minuter")
    expect(page.get_by_role("link", name="Anslagstavlan")).to_be_visible()  # the site's navigation
    assert_accessible(page)
    shots("lockout")

    page.get_by_role("link", name="Återställ lösenordet").click()
    expect(page.get_by_role("heading", name="Återställ lösenord")).to_be_visible()
    assert_accessible(page)
    shots("reset-form")
    page.get_by_label("E-postadress").fill("erik@example.se")
    page.get_by_role("button", name="Skicka länk").click()
    expect(page.get_by_role("heading", name="Kontrollera din e-post")).to_be_visible()
    assert_accessible(page)
    shots("reset-sent")

    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Välj nytt lösenord")).to_be_visible()
    assert_accessible(page)
    shots("new-password")
    page.locator("#id_new_password1").fill("Nytt-lösen-2026")
    page.get_by_label("Bekräfta nytt lösenord").fill("Nytt-lösen-2026")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_role("heading", name="Lösenordet är bytt")).to_be_visible()
    shots("reset-complete")

    page.get_by_role("link", name="Logga in").last.click()
    page.get_by_label("Användarnamn").fill("erik")
    page.get_by_label("Lösenord").fill("Nytt-lösen-2026")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Mina sammanträden")).to_be_visible()
