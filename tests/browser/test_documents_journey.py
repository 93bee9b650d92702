"""A visitor opens an anslag the moment it is posted, before the worker has built its public version:
the anslag's facts are there at once and the page says the protokoll is being prepared; when the
worker is done, the page reloads itself and shows the protokoll and its PDF (static/js/preparing.js:
no timed refresh, which axe rightly refuses, WCAG 2.2.1). The secretary's PDF
download before its task is done gets the same kind of page. Screenshots in artifacts/documents/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import anslag as anslag_service
from tests.browser.helpers import ARTIFACTS, assert_accessible
from tests.helpers import WORKER_TASKS, run_worker

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = ARTIFACTS / "documents"


@pytest.fixture(autouse=True)
def _worker_backend(settings, tmp_path):
    settings.TASKS = WORKER_TASKS
    settings.MEDIA_ROOT = tmp_path


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_public_version_appears_when_the_worker_has_built_it(page, justerat, alice):
    anslag = anslag_service.post_anslag(justerat, alice, timezone.localdate())
    page.goto(anslag.get_absolute_url())
    expect(page.get_by_text("Sista dag för överklagande")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("förbereds")
    expect(page.get_by_role("link", name="Ladda ner protokollet som PDF")).to_have_count(0)
    _shot(page, "anslag-preparing")

    run_worker()
    # The page asks the server, less and less often, and reloads once the protokoll is there.
    expect(page.get_by_role("link", name="Ladda ner protokollet som PDF")).to_be_visible(timeout=45_000)
    expect(page.locator("#paragraf-1")).to_be_visible()
    _shot(page, "anslag-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner protokollet som PDF").click()
    assert download.value.suggested_filename.endswith("publicerad version.pdf")


def test_the_secretarys_download_waits_on_a_page_that_refreshes(page, justerat, alice):
    page.goto(reverse("login"))
    page.get_by_label("Användarnamn").fill("alice")
    page.get_by_label("Lösenord").fill("pw-for-tests")
    page.get_by_role("button", name="Logga in").click()
    page.goto(reverse("protokoll_pdf", args=[justerat.meeting_id]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("förbereds")
    _shot(page, "protokoll-preparing")
    with page.expect_download(timeout=45_000) as download:
        run_worker()  # meanwhile the page asks, and fetches the file once it is stored
    assert download.value.suggested_filename.startswith("Protokoll KSAU")
