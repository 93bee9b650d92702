"""Justering online, in a real Chromium: the secretary sends the protokoll, a justerare sends it back
with a comment, the secretary fixes the text and sends it again, then the chair and both justerare
sign in turn with their passwords. axe-core checks each signing page."""

import pytest
from playwright.sync_api import expect

from meetings import models as m
from tests.browser.helpers import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


def _logout(page) -> None:
    page.get_by_role("button", name="Logga ut").click()


def _open_round_to_sign(page) -> None:
    page.get_by_role("link", name="Att justera").first.click()
    expect(page.get_by_role("heading", name="Att justera")).to_be_visible()
    page.get_by_role("link", name="Kommunstyrelsens arbetsutskott 2026-03-10").click()
    expect(page.get_by_role("button", name="Signera protokollet")).to_be_visible()


def _sign(page, shots, who: str) -> None:
    login(page, who)
    _open_round_to_sign(page)
    assert_accessible(page)
    page.get_by_label("Ditt lösenord").fill("pw-for-tests")
    page.get_by_role("button", name="Signera protokollet").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text("Du har signerat")
    shots(f"signed-{who}")
    _logout(page)


def test_sent_back_fixed_and_signed_by_all_three(page, shots, ready):
    for person in (ready.chair, ready.justerare_1, ready.justerare_2):
        person.user.set_password("pw-for-tests")
        person.user.save()

    # The secretary sends the finished protokoll to justering.
    login(page, "alice")
    page.get_by_role("link", name="Kommunstyrelsens arbetsutskott 2026-03-10").click()
    page.get_by_role("button", name="Skicka till justering").click()
    expect(page.get_by_text("Protokollet är skickat till justering.")).to_be_visible()
    assert_accessible(page)
    shots("sent-to-justering")
    _logout(page)

    # Jane reads it and sends it back with a comment.
    login(page, "jane")
    _open_round_to_sign(page)
    shots("justerare-reads")
    page.get_by_label("Kommentar till sekreteraren").fill("§ 1 ska heta Budget 2027.")
    page.get_by_role("button", name="Skicka tillbaka").click()
    expect(page.get_by_text("Protokollet är skickat tillbaka")).to_be_visible()
    shots("sent-back")
    _logout(page)

    # The secretary sees the comment, fixes the text and sends it again.
    login(page, "alice")
    page.get_by_role("link", name="Kommunstyrelsens arbetsutskott 2026-03-10").click()
    expect(page.get_by_text("§ 1 ska heta Budget 2027.")).to_be_visible()
    shots("secretary-sees-comment")
    page.get_by_role("link", name="Budget", exact=True).click()
    page.get_by_label("Rubrik").fill("Budget 2027")
    page.get_by_role("button", name="Spara paragrafen").first.click()
    page.get_by_role("link", name="Översikt").click()
    page.get_by_role("button", name="Skicka till justering").click()
    expect(page.get_by_text("Protokollet är skickat till justering.")).to_be_visible()
    shots("sent-again")
    _logout(page)

    # The chair and both justerare sign in turn.
    _sign(page, shots, "bob")
    _sign(page, shots, "jane")
    _sign(page, shots, "joe")

    ready.refresh_from_db()
    assert ready.status == m.MeetingStatus.JUSTERAT
    assert ready.paragraphs.get(number=1).title == "Budget 2027"
    login(page, "alice")
    page.get_by_role("link", name="Kommunstyrelsens arbetsutskott 2026-03-10").click()
    expect(page.locator(".badge", has_text="Justerat")).to_be_visible()
    shots("justerat")

    # The secretary posts the anslag: today is proposed, the legal dates are shown.
    page.get_by_role("link", name="Sätt upp anslag").click()
    assert_accessible(page)
    shots("post-anslag")
    page.get_by_role("button", name="Sätt upp anslaget").click()
    ready.refresh_from_db()
    assert ready.status == m.MeetingStatus.ANSLAGET
    assert_accessible(page)
    shots("anslag-posted")
