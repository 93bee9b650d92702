"""The secretary's evening, in a real Chromium: log in, create a meeting, record attendance with a
serving deputy and a guest for one §, write two paragraphs with att-satser, a yrkande, a roll-call
vote and a reservation, reorder them and read the result in the preview. axe-core checks every
drafting page on the way."""

import re

import pytest
from playwright.sync_api import expect

from meetings import models as m
from tests import factories as f
from tests.browser.helpers import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(alice, bob, organ):
    f.member(organ, "Mia Ledamot", "S")
    f.member(organ, "Ola Ledamot", "KD")
    f.member(organ, "Erik Ersättare", "S", m.MembershipRole.ERSATTARE)
    return organ


def test_secretary_drafts_a_whole_protokoll(page, shots, cast):
    # Log in.
    page.goto("/")
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    assert_accessible(page)
    shots("login")
    page.get_by_label("Användarnamn").fill("alice")
    page.get_by_label("Lösenord").fill("pw-for-tests")
    page.get_by_role("button", name="Logga in").click()

    # Dashboard, then a new meeting.
    expect(page.get_by_role("heading", name="Mina sammanträden")).to_be_visible()
    assert_accessible(page)
    shots("dashboard")
    page.get_by_role("link", name="Nytt sammanträde", exact=True).click()
    page.get_by_label("Datum").fill("2026-04-14")
    page.get_by_label("Starttid").fill("13:30")
    page.get_by_label("Sluttid").fill("15:00")
    page.get_by_label("Plats").fill("Sessionssalen")
    page.get_by_label("Mötets diarienummer").fill("KS 2026/140")
    assert_accessible(page)
    shots("create-meeting")
    page.get_by_role("button", name="Skapa sammanträdet").click()

    # Attendance: Mia is absent, Erik serves for her.
    expect(page.get_by_role("heading", name="Närvaro", exact=True)).to_be_visible()
    meeting = m.Meeting.objects.get(diarienummer="KS 2026/140")
    mia_row = page.locator(".attendance-row", has_text="Mia Ledamot")
    mia_row.get_by_label("Frånvarande").check()
    page.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_text("Närvaron är sparad.")).to_be_visible()
    deputy = page.locator("section[aria-labelledby=deputy-h]")
    deputy.get_by_label("Ersättare").select_option(label="Erik Ersättare (S)")
    deputy.get_by_label("Tjänstgör för").select_option(label="Mia Ledamot (S)")
    deputy.get_by_role("button", name="Lägg till tjänstgörande ersättare").click()
    expect(page.get_by_text("Erik Ersättare tjänstgör för Mia Ledamot.")).to_be_visible()
    assert_accessible(page)
    shots("attendance-deputy")

    # The meeting's justerare, picked among those present.
    page.get_by_role("link", name="Uppgifter").click()
    page.get_by_label("Första justerare").select_option(label="Ola Ledamot (KD)")
    page.get_by_label("Justeringens plats").fill("Kommunhuset")
    assert_accessible(page)
    shots("meeting-details")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Sammanträdet är sparat.")).to_be_visible()
    assert_accessible(page)
    shots("meeting-page")

    # First paragraph: att-satser copied from the proposal, a yrkande, a roll-call vote, a reservation.
    page.get_by_role("link", name="Paragrafer", exact=True).click()
    page.get_by_role("link", name="Ny paragraf").click()
    page.get_by_label("Rubrik").fill("Budget 2027")
    page.get_by_label("Dnr").fill("KS 2026/77")
    proposal = "att anta budgeten för 2027,\natt uppdra åt kommundirektören att verkställa."
    page.get_by_label("Förslag till beslut").fill(proposal)
    assert_accessible(page)
    shots("new-paragraph")
    page.get_by_role("button", name="Skapa paragrafen").click()
    expect(page.get_by_role("heading", name=re.compile(r"§ 1 Budget 2027"))).to_be_visible()
    page.get_by_role("button", name="Kopiera förslaget till beslut").click()
    clauses = page.locator("[data-formset=clauses] textarea")
    expect(clauses.nth(0)).to_have_value("att anta budgeten för 2027,")
    expect(clauses.nth(1)).to_have_value("att uppdra åt kommundirektören att verkställa.")
    motions = page.locator("#sektion-motions")
    motions.get_by_label("Ledamot").select_option(label="Ola Ledamot (KD)")
    motions.get_by_label("Typ av yrkande").select_option(label="avslag")
    motions.get_by_label("Yrkande", exact=True).fill("till förslaget")
    # The propositionsordning proposed from the yrkanden: the proposal against Ola's avslag.
    page.get_by_role("button", name="Föreslå propositionsordning från yrkandena").click()
    expect(page.get_by_text("§ 1 är sparad.")).to_be_visible()
    steps = page.locator(".decision-step")
    expect(steps.first).to_contain_text(
        "Ordföranden ställer proposition på förslaget till beslut och Ola Ledamots (KD) avslagsyrkande och finner "
        "att kommunstyrelsens arbetsutskott beslutar enligt förslaget till beslut."
    )
    assert_accessible(page)
    shots("propositions")

    # A vote is asked for: the roll call, Ola votes Nej and "Resten Ja" marks the others.
    page.get_by_role("link", name="Votering begärd: registrera namnupprop").click()
    expect(
        page.get_by_text("Ja-röst för förslaget till beslut, Nej-röst för Ola Ledamots (KD) avslagsyrkande.")
    ).to_be_visible()
    page.get_by_role("radio", name="Ola Ledamot (KD) Nej").check()
    page.get_by_role("button", name="Resten ja").click()
    expect(page.get_by_role("radio", name="Bob Ordförande (M) Ja")).to_be_checked()
    expect(page.locator("[data-count=ja]")).to_have_text("2")
    expect(page.locator("[data-count=nej]")).to_have_text("1")
    assert_accessible(page)
    shots("roll-call")
    page.get_by_role("button", name="Spara omröstningen").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Med 2 ja-röster mot 1 nej-röst beslutar kommunstyrelsens arbetsutskott enligt förslaget till beslut."
    )

    reservations = page.locator("#sektion-reservations")
    reservations.get_by_label("Ola Ledamot (KD)").check()
    reservations.get_by_label("Skriftlig motivering").fill("Budgeten är underfinansierad.")
    page.get_by_role("button", name="Spara paragrafen").first.click()
    expect(page.get_by_text("§ 1 är sparad.")).to_be_visible()
    shots("paragraph-1")

    # Second paragraph, att-sats typed by hand.
    page.get_by_role("link", name="Till paragraflistan").click()
    page.get_by_role("link", name="Ny paragraf").click()
    page.get_by_label("Rubrik").fill("Motion om cykelbanor")
    page.get_by_role("button", name="Skapa paragrafen").click()
    clauses = page.locator("[data-formset=clauses] textarea")
    clauses.nth(0).fill("att bifalla motionen,")
    clauses.nth(1).fill("att uppdra åt tekniska nämnden att planera cykelbanor,")
    page.get_by_role("button", name="Lägg till att-sats").click()
    clauses.nth(2).fill("att avsätta 2 miljoner kronor.")
    page.get_by_role("button", name="Spara paragrafen").first.click()
    expect(page.get_by_text("§ 2 är sparad.")).to_be_visible()
    assert_accessible(page)
    shots("paragraph-2")

    # A guest present at § 2 only.
    page.get_by_role("link", name="Närvaro", exact=True).click()
    guest = page.locator("section[aria-labelledby=guest-h]")
    guest.get_by_label("Namn").fill("Greta Gäst")
    guest.get_by_label("Titel").fill("Ekonomichef")
    guest.get_by_label("Organisation").fill("Kommunledningsförvaltningen")
    guest.get_by_label("Närvarande vid §§").fill("2")
    guest.get_by_role("button", name="Lägg till övrig").click()
    expect(page.get_by_text("Greta Gäst är tillagd bland övriga.")).to_be_visible()
    assert_accessible(page)
    shots("attendance-guest")

    # Reorder: § 2 first. Numbers stay.
    page.get_by_role("link", name="Paragrafer", exact=True).click()
    page.get_by_role("button", name="Flytta § 2 uppåt").click()
    rows = page.locator(".paragraph-table tbody tr")
    expect(rows.nth(0)).to_contain_text("Motion om cykelbanor")
    expect(rows.nth(1)).to_contain_text("Budget 2027")
    assert_accessible(page)
    shots("reordered")
    page.get_by_role("link", name="Ta bort § 1").click()
    assert_accessible(page)
    page.get_by_role("link", name="Avbryt").click()

    # Preview: content and order.
    page.get_by_role("link", name="Förhandsgranskning").click()
    doc = page.locator(".protokoll-doc")
    expect(doc).to_contain_text("Erik Ersättare (S) ersätter Mia Ledamot (S)")
    expect(doc).to_contain_text("Greta Gäst, Ekonomichef, Kommunledningsförvaltningen, § 2")
    expect(doc).to_contain_text("att anta budgeten för 2027,")
    expect(doc).to_contain_text("att uppdra åt kommundirektören att verkställa.")
    expect(doc).to_contain_text("Ola Ledamot (KD) yrkar avslag: till förslaget")
    expect(doc).to_contain_text("att avsätta 2 miljoner kronor.")
    expect(doc).to_contain_text("Med 2 ja-röster mot 1 nej-röst")
    expect(doc).to_contain_text("Ola Ledamot (KD) reserverar sig mot beslutet. Budgeten är underfinansierad.")
    headings = doc.locator("section.paragraph h3").all_inner_texts()
    assert headings == ["§ 2 Motion om cykelbanor", "§ 1 Budget 2027"]
    assert "Mia Ledamot" not in doc.locator("dd").nth(1).inner_text()  # absent, not among beslutande
    assert_accessible(page)
    shots("preview")
    assert meeting.paragraphs.count() == 2
