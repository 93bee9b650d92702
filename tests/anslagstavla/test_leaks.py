"""Nothing unpublished reaches an anonymous visitor: not drafts, not justerade protokoll that are not
posted yet, not anslag dated in the future, never a § under sekretess or a personnummer; by any
public URL (pages, PDF, feed, search) and by any guessed id."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings import models as m
from tests.helpers import DRAFT_WORD, FUTURE_WORD, PERSONNUMMER, SECRET_WORDS, UNPOSTED_WORD


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _public_urls() -> list[str]:
    return [
        reverse("public_board"),
        reverse("public_archive"),
        reverse("public_feed"),
        reverse("public_search") + f"?q={DRAFT_WORD}",
        reverse("public_search") + f"?q={UNPOSTED_WORD}",
        reverse("public_search") + f"?q={FUTURE_WORD}",
        reverse("public_search") + "?q=Personalärende",
        reverse("public_search") + "?q=Hemlig",
        reverse("public_search") + "?q=1234",
        reverse("public_search") + f"?q={PERSONNUMMER}",
    ]


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_no_public_list_feed_or_search_shows_unpublished_content(client, world):
    for url in _public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for word in (DRAFT_WORD, UNPOSTED_WORD, FUTURE_WORD, *SECRET_WORDS, PERSONNUMMER):
            if word in url:
                # The search page repeats the visitor's own query; it must find nothing.
                assert "Inga träffar" in body, url
                body = body.replace(word, "")
            assert word not in body, (url, word)
        assert reverse("public_anslag", args=[world["future"].pk]) not in body, url


def test_published_anslag_page_and_pdf_leave_out_sekretess_and_personnummer(client, world):
    anslag = world["posted"]
    page = client.get(reverse("public_anslag", args=[anslag.pk])).content.decode()
    pdf = _pdf_text(client.get(reverse("public_anslag_pdf", args=[anslag.pk])).content)
    for text in (page, pdf):
        for word in (*SECRET_WORDS, PERSONNUMMER, "850412"):
            assert word not in text
        assert "Ärendet omfattas av sekretess" in text
        assert "ÅÅÅÅMMDD-XXXX" in text


def test_future_anslag_is_404_page_and_pdf(client, world):
    future = world["future"]
    assert client.get(reverse("public_anslag", args=[future.pk])).status_code == 404
    assert client.get(reverse("public_anslag_pdf", args=[future.pk])).status_code == 404


def test_every_guessed_id_is_404_unless_published(client, world):
    """Ids of anslag, meetings, justeringar and paragraphs all land on the same public URLs."""
    published = {world["posted"].pk}
    highest = max(
        [m.Anslag.objects.order_by("-pk").first().pk, m.Meeting.objects.order_by("-pk").first().pk]
        + [m.Justering.objects.order_by("-pk").first().pk, m.Paragraph.objects.order_by("-pk").first().pk]
    )
    for pk in range(0, highest + 3):
        for name in ("public_anslag", "public_anslag_pdf"):
            status = client.get(reverse(name, args=[pk])).status_code
            assert status == (200 if pk in published else 404), (name, pk)


def test_staff_urls_of_unposted_protokoll_ask_anonymous_visitors_to_log_in(client, world):
    for meeting in (world["draft"], world["unposted"]):
        for url in (
            reverse("meeting_detail", args=[meeting.pk]),
            reverse("preview", args=[meeting.pk]),
            reverse("protokoll_pdf", args=[meeting.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    response = client.get(reverse("justering_detail", args=[world["unposted_round"].pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_day_it_is_posted_it_appears(client, world, settings):
    """The board reads the date at each request: tomorrow's anslag is there tomorrow."""
    future = world["future"]
    tomorrow = timezone.make_aware(dt.datetime.combine(future.posted_on, dt.time(8)))
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        assert client.get(reverse("public_anslag", args=[future.pk])).status_code == 200
        assert reverse("public_anslag", args=[future.pk]) in client.get(reverse("public_board")).content.decode()


def test_every_public_url_asks_the_one_rule_of_what_is_published(client, posted, monkeypatch):
    """The archive, an anslag's page and PDF, the feed and search all ask ``Anslag.objects.published``:
    with a stricter rule, the anslag posted today is gone from each of them."""
    calls = []
    original = m.AnslagQuerySet.published

    def nothing_yet(self, today):
        calls.append(today)
        return original(self, today - dt.timedelta(days=1))

    monkeypatch.setattr(m.AnslagQuerySet, "published", nothing_yet)
    detail = reverse("public_anslag", args=[posted.pk])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("public_anslag_pdf", args=[posted.pk])).status_code == 404
    assert detail not in client.get(reverse("public_archive")).content.decode()
    assert detail not in client.get(reverse("public_feed")).content.decode()
    assert "Inga träffar" in client.get(reverse("public_search"), {"q": "Budget"}).content.decode()
    assert calls and set(calls) == {timezone.localdate()}
