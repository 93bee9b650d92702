"""A re-signer, in a real Chromium: the chair signs, a justerare sends the protokoll back, the
secretary changes the decision and sends it again; the chair sees "Att justera (1)", the send-back
comment and exactly what changed since the signature, and signs again. axe-core checks each page."""

import pytest
from playwright.sync_api import expect

from meetings import models as m
from meetings.services import justering as justering_service
from tests.browser.helpers import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_chair_sees_what_changed_since_signing(page, shots, ready, alice, bob):
    justering = justering_service.send_to_justering(ready, alice)
    justering_service.sign(justering, bob.person)
    joe = m.Person.objects.get(name="Joe Justerare")
    justering_service.send_back(justering, joe, "Beslutet ska gälla budgeten för 2027.")

    # The secretary changes the att-sats and sends the protokoll again.
    login(page, "alice")
    page.get_by_role("link", name="Kommunstyrelsens arbetsutskott 2026-03-10").click()
    expect(page.get_by_text("Beslutet ska gälla budgeten för 2027.")).to_be_visible()
    page.get_by_role("link", name="Budget", exact=True).click()
    page.locator("[data-formset=clauses] textarea").first.fill("att anta budgeten för 2027")
    page.get_by_role("button", name="Spara paragrafen").first.click()
    expect(page.get_by_text("§ 1 är sparad.")).to_be_visible()
    page.get_by_role("link", name="Översikt").click()
    page.get_by_role("button", name="Skicka till justering").click()
    expect(page.get_by_text("Protokollet är skickat till justering.")).to_be_visible()
    assert_accessible(page)
    shots("sent-again")
    page.get_by_role("button", name="Logga ut").click()

    # The chair: what waits, the comment, the change since the signature.
    login(page, "bob")
    expect(page.get_by_role("link", name="Att justera (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Väntar på din underskrift (1)")).to_be_visible()
    assert_accessible(page)
    shots("waiting")
    page.get_by_role("link", name="Kommunstyrelsens arbetsutskott 2026-03-10").first.click()
    expect(page.locator("#forra-omgangen")).to_contain_text("Beslutet ska gälla budgeten för 2027.")
    changes = page.locator("#andringar")
    expect(changes.get_by_role("heading", name="§ 1, Beslut")).to_be_visible()
    expect(changes.locator("ins")).to_contain_text("för 2027")
    assert_accessible(page)
    shots("changes-since-signed")
    page.get_by_label("Ditt lösenord").fill("pw-for-tests")
    page.get_by_role("button", name="Signera protokollet").click()
    expect(page.get_by_text("Du har signerat.")).to_be_visible()
    expect(page.locator("#andringar")).to_have_count(0)
    shots("signed-again")
    assert ready.justeringar.filter(status=m.JusteringStatus.PAGAR).get().signatures.get(person=bob.person).status == (
        m.SignatureStatus.SIGNERAT
    )
