"""Downloads of the PDFs: who may download, filenames, bad input, the buttons on the meeting page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings import models as m
from tests import factories as f


@pytest.fixture
def paragraph(meeting):
    p = f.paragraph(meeting, title="Ärende", summary="Sammanfattning av ärendet.")
    m.DecisionClause.objects.create(paragraph=p, position=1, text="att godkänna.")
    return p


def _protokoll_url(meeting) -> str:
    return reverse("protokoll_pdf", args=[meeting.pk])


def _utdrag_url(meeting, query: str) -> str:
    return reverse("protokollsutdrag_pdf", args=[meeting.pk]) + query


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_staff_download_the_protokoll(client, request, meeting, paragraph, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_protokoll_url(meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Protokoll KSAU 2026-03-10.pdf\"; filename*=UTF-8''Protokoll%20KSAU%202026-03-10.pdf"
    )
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2


def test_the_extract_has_a_utf8_filename_and_an_ascii_fallback(client, alice, meeting, paragraph):
    client.force_login(alice)
    response = client.get(_utdrag_url(meeting, f"?p={paragraph.number}"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="Protokollsutdrag KSAU 2026-03-10 p 1.pdf"; '
        "filename*=UTF-8''Protokollsutdrag%20KSAU%202026-03-10%20%C2%A7%201.pdf"
    )
    assert "§ 1 Ärende" in PdfReader(io.BytesIO(response.content)).pages[1].extract_text()


def test_an_outsider_gets_404(client, charlie, meeting, paragraph):
    client.force_login(charlie)
    assert client.get(_protokoll_url(meeting)).status_code == 404
    assert client.get(_utdrag_url(meeting, "?p=1")).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, meeting, paragraph):
    for url in (_protokoll_url(meeting), _utdrag_url(meeting, "?p=1")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_unknown_meeting_is_404_for_staff_and_a_login_for_anonymous(client, alice):
    url = reverse("protokoll_pdf", args=[987654])
    assert client.get(url).status_code == 302
    client.force_login(alice)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("query", ["?p=abc", "?p=999", "?p=1&p=", "?p=" + "9" * 5000, "?p=-1"])
def test_bad_paragraph_choices_are_404(client, alice, meeting, paragraph, query):
    client.force_login(alice)
    assert client.get(_utdrag_url(meeting, query)).status_code == 404


def test_no_paragraph_chosen_returns_to_the_meeting_with_a_message(client, alice, meeting, paragraph):
    client.force_login(alice)
    response = client.get(_utdrag_url(meeting, ""), follow=True)
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "Välj minst en paragraf" in response.content.decode()


def test_the_meeting_page_offers_both_downloads(client, alice, meeting, paragraph):
    client.force_login(alice)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{_protokoll_url(meeting)}"' in html
    assert f'action="{reverse("protokollsutdrag_pdf", args=[meeting.pk])}"' in html
    assert f'name="p" value="{paragraph.number}"' in html


def test_the_buttons_also_take_a_document(meeting, paragraph):
    from django.template.loader import render_to_string

    from meetings.export.document import build_document, load_meeting

    html = render_to_string(
        "pdf/_export_buttons.html", {"meeting": meeting, "doc": build_document(load_meeting(meeting.pk))}
    )
    assert f'name="p" value="{paragraph.number}"' in html
    assert "§ 1 Ärende" in html


def test_pdf_response_names_the_file_in_ascii_and_utf8():
    from meetings.export.http import pdf_response

    response = pdf_response("Protokollsutdrag KSAU 2026-03-10 §§ 12–15 publicerad version.pdf", b"%PDF-1.7")
    assert response.content == b"%PDF-1.7"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="Protokollsutdrag KSAU 2026-03-10 p 12-15 publicerad version.pdf"; '
        "filename*=UTF-8''Protokollsutdrag%20KSAU%202026-03-10%20%C2%A7%C2%A7%2012%E2%80%9315"
        "%20publicerad%20version.pdf"
    )


def test_staff_and_public_downloads_share_one_response(client, alice, meeting, paragraph, monkeypatch):
    """The staff PDFs and the anslagstavla's PDF are answered by the same ``pdf_response``."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.http import HttpResponse
    from django.utils import timezone

    from backoffice.views import pdf as pdf_views
    from meetings.export import http

    calls = []

    def spy(filename: str, content: bytes):
        calls.append(filename)
        return HttpResponse(content, content_type="application/pdf")

    monkeypatch.setattr(pdf_views, "pdf_response", spy)
    monkeypatch.setattr(http, "pdf_response", spy)
    justering = m.Justering.objects.create(meeting=meeting, status=m.JusteringStatus.JUSTERAT)
    today = timezone.localdate()
    anslag = m.Anslag.objects.create(
        justering=justering,
        meeting=meeting,
        organ=meeting.organ,
        paragraphs_label="§ 1",
        justerat_on=today,
        posted_on=today,
        appeal_until=today + dt.timedelta(weeks=3),
        take_down_on=today + dt.timedelta(weeks=3, days=1),
        storage_location="Kommunledningsförvaltningen",
        # As the posting task leaves it (meetings.services.documents).
        public_html_name=default_storage.save("public-html/x.html", ContentFile(b"<p>")),
        public_pdf_name=default_storage.save("public-pdf/x.pdf", ContentFile(b"%PDF")),
        rendered_revision=1,
    )
    client.force_login(alice)
    client.get(_protokoll_url(meeting))
    client.get(_utdrag_url(meeting, f"?p={paragraph.number}"))
    client.logout()
    client.get(reverse("public_anslag_pdf", args=[anslag.pk]))
    assert calls == [
        "Protokoll KSAU 2026-03-10.pdf",
        "Protokollsutdrag KSAU 2026-03-10 § 1.pdf",
        "Protokoll KSAU 2026-03-10 publicerad version.pdf",
    ]
