"""``Cache-Control: private, no-store`` on what a login shows (pages, draft PDFs, files); the public
pages keep their own caching (protokoll.caching)."""

from django.urls import reverse

from tests import factories as f
from tests.helpers import client_for


def _private(response) -> bool:
    value = response["Cache-Control"]
    return "private" in value and "no-store" in value and "public" not in value


def test_staff_pages_are_private(alice, meeting):
    client = client_for(alice)
    for url in (reverse("dashboard"), reverse("meeting_detail", args=[meeting.pk]), reverse("att_justera")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _private(response), url


def test_a_draft_pdf_is_private(alice, meeting):
    f.paragraph(meeting, title="Ärende")
    response = client_for(alice).get(reverse("protokoll_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert _private(response)


def test_public_pages_keep_their_caching_for_everyone(client, alice, posted):
    anonymous = client.get(reverse("public_board"))
    assert "public" in anonymous["Cache-Control"] and "no-store" not in anonymous["Cache-Control"]
    staff = client_for(alice).get(reverse("public_board"))
    assert staff["Cache-Control"] == anonymous["Cache-Control"]


def test_an_anonymous_page_gets_no_private_header(client, db):
    assert "Cache-Control" not in client.get(reverse("verify"))
