"""A visitor on the public anslagstavla, in a real Chromium: opens the board, opens an anslag, reads
the last appeal day, downloads the PDF, searches for a word in a decision and finds it, and follows
the feed link. axe-core reports no violation at all (WCAG 2.1 AA and best practices) on every public
page, at 1280 and 375 px wide; the pages reflow without sideways scrolling at 320 px (200 % zoom of
640 px and beyond). Screenshots land in artifacts/public/."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings import models as m
from tests.browser.helpers import ARTIFACTS
from tests.helpers import make_anslag, sign_all

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = ARTIFACTS / "public"
WIDTHS = (1280, 375)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def assert_no_axe_violations(page) -> None:
    """Stricter than the drafting journey's check: any violation of any impact fails."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    details = [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}" for v in violations]
    assert not violations, f"axe found problems on {page.url}:\n" + "\n".join(details)


def check_page(page, name: str) -> None:
    """axe and a screenshot at each width, and no sideways scrolling at 320 px (reflow, WCAG 1.4.10)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_axe_violations(page)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_visitor_reads_an_anslag_downloads_searches_and_follows_the_feed(page, posted, alice):
    older = make_anslag_taken_down(alice)
    budget = posted.public_paragraphs.get(title="Budget")

    # The board.
    page.goto(reverse("public_board"))
    expect(page.get_by_role("heading", level=1, name="Aktuella anslag")).to_be_visible()
    check_page(page, "01-board")

    # The skip link is the first thing a keyboard reaches, and it moves focus to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # One anslag and its last appeal day.
    page.get_by_role("link", name=re.compile(r"Kommunstyrelsens arbetsutskott 2026-03-10")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anslag: Kommunstyrelsens arbetsutskott")
    last_day = page.locator("#sista-dag")
    expect(last_day).to_have_attribute("datetime", posted.appeal_until.isoformat())
    expect(page.get_by_role("heading", name="Så överklagar du")).to_be_visible()
    expect(page.locator(".appeal-deadline")).to_contain_text("senast")
    check_page(page, "02-anslag")

    # The PDF.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner protokollet som PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith("publicerad version.pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # Search for a word in a decision and find the §.
    page.get_by_role("navigation", name="Anslagstavlan").get_by_role("link", name="Sök i protokoll").click()
    expect(page.get_by_role("heading", level=1, name="Sök i publicerade protokoll")).to_be_visible()
    check_page(page, "03-search")
    page.get_by_label("Sökord").fill("budgeten")
    page.get_by_role("button", name="Sök").click()
    hit = page.get_by_role("link", name=f"§ {budget.number} Budget")
    expect(hit).to_be_visible()
    check_page(page, "04-search-results")
    hit.click()
    expect(page).to_have_url(re.compile(rf"/anslagstavla/{posted.pk}/#paragraf-{budget.number}$"))
    expect(page.locator(f"#paragraf-{budget.number}")).to_contain_text("att anta budgeten")

    # The archive, with the anslag already taken down.
    page.get_by_role("link", name="Arkiv", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Arkiv")
    older_name = f"{older.organ.name} {older.meeting.date:%Y-%m-%d}, {older.paragraphs_label}"
    older_link = page.get_by_role("link", name=older_name)
    expect(older_link).to_have_count(1)
    check_page(page, "05-archive")
    older_link.click()
    expect(page.get_by_text("Anslaget är nedtaget.")).to_be_visible()
    check_page(page, "06-archived-anslag")

    # The feed link leads to an Atom feed that names the anslag.
    page.goto(reverse("public_board"))
    href = page.get_by_role("link", name="Prenumerera (Atom-flöde)").get_attribute("href")
    feed = page.request.get(href)
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    assert reverse("public_anslag", args=[posted.pk]) in feed.text()


def test_a_search_with_bad_input_is_answered_accessibly(page, db):
    page.goto(reverse("public_search") + "?q=" + "x" * 300)
    expect(page.get_by_role("alert")).to_contain_text("för lång")
    check_page(page, "07-search-error")


def make_anslag_taken_down(alice) -> m.Anslag:
    """A second protokoll of the same organ, posted in January and so off the board by now."""
    from meetings.services import justering as justering_service
    from tests import factories as f

    first = m.Meeting.objects.get()
    meeting = f.meeting(
        first.organ,
        date=dt.date(2026, 1, 2),
        chair=first.chair,
        justerare_1=first.justerare_1,
        justerare_2=first.justerare_2,
    )
    for person in (first.chair, first.justerare_1, first.justerare_2):
        f.attend(meeting, person)
    f.paragraph(meeting, title="Taxa för bygglov")
    justering = justering_service.send_to_justering(meeting, alice)
    sign_all(justering)
    anslag = make_anslag(justering, alice, dt.date(2026, 1, 5))
    assert anslag.take_down_on <= timezone.localdate()
    return anslag
