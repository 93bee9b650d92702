"""E-legitimation in a real Chromium against the real OpenID Connect provider: log in and out; an
unknown person is told whom to contact; the chair signs through a step-up and the evidence shows on
/verifiera/; a step-up with the wrong person, a stale authentication, a too-low level and a replayed
answer are each refused in Swedish and sign nothing. axe-core checks our pages."""

import re

import pytest
from playwright.sync_api import expect

from meetings import models as m
from meetings.services import justering as justering_service
from tests import oidc
from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

ROUND = "Kommunstyrelsens arbetsutskott 2026-03-10"


@pytest.fixture
def eid_live(eid, settings, live_server):
    """The live server's client: registered for any port of 127.0.0.1 (tests/oidc.py)."""
    settings.OIDC_RP_CLIENT_ID = oidc.BROWSER_CLIENT_ID
    settings.SITE_URL = live_server.url
    return eid


def _at_provider(page, user: oidc.User = oidc.ANNA, acr: str = oidc.HIGH, backdate: int = 0, shots=None) -> None:
    expect(page.get_by_role("heading", name="Sign in to the test identity provider")).to_be_visible()
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(oidc.PASSWORD)
    page.get_by_label("Authentication level (acr)").select_option(acr)
    page.get_by_label("Backdate authentication time by (seconds)").fill(str(backdate))
    if shots is not None:
        shots("provider-login")
    page.get_by_role("button", name="Sign in").click()


def _log_in(page, user: oidc.User = oidc.ANNA) -> None:
    page.goto("/logga-in/")
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    _at_provider(page, user)


def test_log_in_and_out_with_e_legitimation(page, shots, bob, eid_live):
    oidc.register(bob.person)
    page.goto("/logga-in/")
    expect(page.get_by_role("link", name="Logga in med e-legitimation")).to_be_visible()
    assert_accessible(page)
    shots("login-page")
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    _at_provider(page, shots=shots)
    expect(page.get_by_role("heading", name="Mina sammanträden")).to_be_visible()
    expect(page.get_by_text("Bob Ordförande")).to_be_visible()
    shots("logged-in")

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("button", name="Yes, sign me out")).to_be_visible()
    shots("provider-logout")
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile(r"/logga-in/"))
    shots("logged-out")
    # The provider's session ended too: it asks for a login again.
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    expect(page.get_by_label("Username")).to_be_visible()


def test_an_unknown_person_is_told_whom_to_contact(page, shots, bob, eid_live):
    oidc.register(bob.person)
    _log_in(page, oidc.BERTIL)
    expect(page.get_by_role("heading", name="Du finns inte i Protokoll")).to_be_visible()
    expect(page.get_by_text("Kontakta kommunkansliet, kansliet@exempel.se")).to_be_visible()
    assert oidc.BERTIL.personnummer not in page.content()
    assert_accessible(page)
    shots("unknown-person")


def _open_round(page) -> None:
    page.get_by_role("link", name="Att justera").first.click()
    page.get_by_role("link", name=ROUND).click()
    expect(page.get_by_role("button", name="Signera med e-legitimation")).to_be_visible()


def _flash(page):
    return page.get_by_role("alert").first


def test_the_chair_signs_through_a_step_up(page, shots, bob, justering, eid_live):
    oidc.register(bob.person)
    for person in justering.meeting.justerare:  # the justerare have signed with their passwords
        justering_service.sign(justering, person)
    _log_in(page)
    _open_round(page)
    assert_accessible(page)
    shots("signing-page")
    page.get_by_role("button", name="Signera med e-legitimation").click()
    _at_provider(page)
    expect(_flash(page)).to_contain_text("Du har signerat med e-legitimation. Protokollet är nu justerat av alla.")
    assert_accessible(page)
    shots("signed")
    signature = justering.signatures.get(person=bob.person, status=m.SignatureStatus.SIGNERAT)
    assert signature.with_eid and signature.eid_acr == oidc.HIGH

    justering.refresh_from_db()
    page.goto("/verifiera/")
    page.get_by_label("… eller kontrollsumma (SHA-256)").fill(justering.content_hash)
    page.get_by_role("button", name="Kontrollera").click()
    expect(page.get_by_text("Äkta justerat protokoll")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Bob Ordförande, ordförande, .*e-legitimation: legitimerad"))).to_be_visible()
    expect(page.get_by_text(signature.eid_id_token_sha256)).to_be_visible()
    assert_accessible(page)
    shots("verified-with-evidence")


def test_step_ups_that_do_not_fit_are_refused_and_sign_nothing(page, shots, bob, justering, eid_live):
    oidc.register(bob.person)
    callbacks: list[str] = []
    page.on("request", lambda request: callbacks.append(request.url) if "/oidc/callback/" in request.url else None)
    _log_in(page)

    # Someone else at the provider's login form.
    _open_round(page)
    page.get_by_role("button", name="Signera med e-legitimation").click()
    _at_provider(page, oidc.BERTIL)
    expect(_flash(page)).to_contain_text("Du legitimerade dig som en annan person än Bob Ordförande.")
    expect(_flash(page)).to_contain_text("Ingen underskrift gjordes.")
    assert_accessible(page)
    shots("refused-another-person")

    # The same answer again (a replayed state).
    page.goto(callbacks[-1])
    expect(_flash(page)).to_contain_text("har redan använts en gång och godtas inte igen. Ingen underskrift gjordes.")
    shots("refused-replayed-state")

    # An authentication an hour old.
    page.get_by_role("button", name="Signera med e-legitimation").click()
    _at_provider(page, backdate=3600)
    expect(_flash(page)).to_contain_text("är för gammal")
    expect(_flash(page)).to_contain_text("Ingen underskrift gjordes.")
    shots("refused-stale-authentication")

    # A lower level of assurance than signing needs.
    page.get_by_role("button", name="Signera med e-legitimation").click()
    _at_provider(page, acr=oidc.LOW)
    expect(_flash(page)).to_contain_text(f"tillitsnivån {oidc.LOW}, som inte godtas")
    expect(_flash(page)).to_contain_text("Ingen underskrift gjordes.")
    shots("refused-low-acr")

    mine = justering.signatures.get(person=bob.person, status__in=m.LIVE_SIGNATURE_STATUSES)
    assert mine.status == m.SignatureStatus.PAGAR and not mine.method
    outcomes = list(m.SigningRequest.objects.values_list("outcome", flat=True))
    assert outcomes == [m.SigningRequestOutcome.NEKAT] * 3
