"""What the public sees of ärenden and documents: the notice of a fullmäktige meeting with its public
handlingar, and a posted protokoll's public bilagor. A handling or bilaga that is not public, or not
published yet, never reaches an anonymous visitor: not by a guessed id, not on any public page, not
in any PDF, not through the staff URLs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings.services import agenda
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from tests import factories as f
from tests.helpers import bilaga, handling, page_texts, sign_all

pytestmark = pytest.mark.django_db

HIDDEN = "Hemligvärdering"


@pytest.fixture
def kf(alice):
    organ = f.organ("KF", name="Kommunfullmäktige", kind=m.OrganKind.FULLMAKTIGE)
    organ.secretaries.add(alice)
    return organ


@pytest.fixture
def announced(kf, alice):
    """A fullmäktige meeting in ten days, announced today: an open ärende with a public and a hidden
    handling, and an ärende handled behind closed doors."""
    today = timezone.localdate()
    meeting = f.meeting(kf, date=today + dt.timedelta(days=10), place="Stadshuset", start_time=dt.time(18, 0))
    plan = f.paper(kf, "Årsredovisning 2025", reference="KS 2026/300")
    open_file = handling(plan, "Årsredovisning")
    hidden = handling(plan, HIDDEN, public=False)
    closed = f.paper(kf, "Förvärv av Hamnen 1:12", reference="KS 2026/301")
    closed_file = handling(closed, "Köpekontrakt")
    agenda.add_paper_item(meeting, plan)
    item = agenda.add_paper_item(meeting, closed)
    item.public = False
    item.save()
    notice = agenda.post_notice(meeting, alice, today, today)
    return {"notice": notice, "open": open_file, "hidden": hidden, "closed": closed_file, "meeting": meeting}


def test_the_board_lists_the_coming_meeting_and_its_notice_shows_time_place_and_arenden(client, announced):
    board = client.get(reverse("public_board")).content.decode()
    assert "Kommande sammanträden med fullmäktige" in board
    assert reverse("public_notice", args=[announced["notice"].pk]) in board
    page = client.get(reverse("public_notice", args=[announced["notice"].pk])).content.decode()
    assert "kl. 18.00" in page and "Stadshuset" in page
    assert "Årsredovisning 2025" in page and "KS 2026/300" in page
    assert reverse("public_file", args=[announced["open"].pk]) in page
    assert "Ärende som behandlas inom stängda dörrar" in page
    for word in (HIDDEN, "Förvärv av Hamnen", "Köpekontrakt", "KS 2026/301"):
        assert word not in page


def test_a_published_handling_is_downloaded_as_an_attachment(client, announced):
    response = client.get(reverse("public_file", args=[announced["open"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hidden_handlingar_are_a_404_by_any_id_and_the_staff_urls_send_to_login(client, announced):
    for file in (announced["hidden"], announced["closed"]):
        assert client.get(reverse("public_file", args=[file.pk])).status_code == 404
        response = client.get(reverse("file_download", args=[file.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    top = m.File.objects.order_by("-pk").first().pk
    for pk in range(1, top + 20):
        if pk != announced["open"].pk:
            assert client.get(reverse("public_file", args=[pk])).status_code == 404


def test_nothing_is_public_before_the_notice_is_up_or_for_a_namnd(client, kf, alice, organ):
    today = timezone.localdate()
    meeting = f.meeting(kf, date=today + dt.timedelta(days=10))
    paper = f.paper(kf, "Budget")
    file = handling(paper)
    agenda.add_paper_item(meeting, paper)
    notice = agenda.post_notice(meeting, alice, today + dt.timedelta(days=1), today)
    assert client.get(reverse("public_notice", args=[notice.pk])).status_code == 404
    assert client.get(reverse("public_file", args=[file.pk])).status_code == 404
    assert "Budget" not in client.get(reverse("public_board")).content.decode()
    ksau = f.meeting(organ, date=today + dt.timedelta(days=3))
    ksau_paper = f.paper(organ, "Nämndärende")
    ksau_file = handling(ksau_paper)
    agenda.add_paper_item(ksau, ksau_paper)
    assert client.get(reverse("public_file", args=[ksau_file.pk])).status_code == 404


def test_a_handling_made_private_after_the_notice_is_gone_at_once(client, announced):
    announced["open"].public = False
    announced["open"].save()
    assert client.get(reverse("public_file", args=[announced["open"].pk])).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Bilagor of a posted protokoll
# ---------------------------------------------------------------------------------------------------


@pytest.fixture
def posted_with_bilagor(ready, alice):
    budget = ready.paragraphs.get(title="Budget")
    karta = bilaga(budget, "Karta över området")
    reservation = bilaga(budget, HIDDEN, public=False)
    secret = f.paragraph(ready, title="Personalärende", secret=True)
    m.DecisionClause.objects.create(paragraph=secret, text="att bevilja")
    intyg = bilaga(secret, "Läkarintyg")
    justering = justering_service.send_to_justering(ready, alice)
    sign_all(justering)
    justering.refresh_from_db()
    return {"justering": justering, "karta": karta, "reservation": reservation, "intyg": intyg}


def test_bilagor_are_hidden_until_the_anslag_is_up(client, posted_with_bilagor):
    for file in ("karta", "reservation", "intyg"):
        assert client.get(reverse("public_file", args=[posted_with_bilagor[file].pk])).status_code == 404


def test_the_public_version_lists_only_public_bilagor(client, posted_with_bilagor, alice):
    anslag = anslag_service.post_anslag(posted_with_bilagor["justering"], alice, timezone.localdate())
    page = client.get(reverse("public_anslag", args=[anslag.pk])).content.decode()
    karta = posted_with_bilagor["karta"]
    assert "Bilaga 1: Karta över området" in page
    assert reverse("public_file", args=[karta.pk]) in page
    assert "Bilaga 2 publiceras inte." in page
    assert HIDDEN not in page and "Läkarintyg" not in page
    pdf_text = " ".join(page_texts(client.get(reverse("public_anslag_pdf", args=[anslag.pk])).content))
    assert "Bilaga 1: Karta över området" in pdf_text and "Bilaga 2 publiceras inte." in pdf_text
    assert HIDDEN not in pdf_text and "Läkarintyg" not in pdf_text
    assert client.get(reverse("public_file", args=[karta.pk])).status_code == 200
    for file in ("reservation", "intyg"):
        assert client.get(reverse("public_file", args=[posted_with_bilagor[file].pk])).status_code == 404


def test_the_staff_pdf_lists_every_bilaga(alice, posted_with_bilagor):
    from tests.helpers import client_for

    meeting = posted_with_bilagor["justering"].meeting
    text = " ".join(page_texts(client_for(alice).get(reverse("protokoll_pdf", args=[meeting.pk])).content))
    assert "Bilaga 1: Karta över området" in text
    assert f"Bilaga 2: {HIDDEN}" in text
    assert "Bilaga 3: Läkarintyg" in text


def test_the_notice_masks_personnummer_in_every_text_it_shows(client, kf, alice):
    """Review A 5 (SKR; Datainspektionen): the notice of a fullmäktige meeting masks personnummer in
    the place, the ärendens rubrik and Dnr and the names of the handlingar, as the board does."""
    from tests.helpers import PERSONNUMMER

    today = timezone.localdate()
    meeting = f.meeting(kf, date=today + dt.timedelta(days=10), place=f"Stadshuset (kontakt {PERSONNUMMER})")
    paper = f.paper(kf, f"Medborgarförslag från {PERSONNUMMER}", reference=f"KS-{PERSONNUMMER}")
    handling(paper, "Förslaget från 198504121234")
    agenda.add_paper_item(meeting, paper)
    notice = agenda.post_notice(meeting, alice, today, today)
    pages = [
        client.get(reverse("public_notice", args=[notice.pk])).content.decode(),
        client.get(reverse("public_board")).content.decode(),
    ]
    for page in pages:
        assert PERSONNUMMER not in page and "198504121234" not in page and "850412-1234" not in page
        assert "ÅÅÅÅMMDD-XXXX" in page
    assert "Medborgarförslag från ÅÅÅÅMMDD-XXXX" in pages[0] and "Förslaget från ÅÅÅÅMMDD-XXXX" in pages[0]


def test_a_bilaga_withdrawn_after_the_anslag_leaves_the_public_page_pdf_and_download(
    client, posted_with_bilagor, alice, django_capture_on_commit_callbacks
):
    """Review A 8: a bilaga made not public after the anslag was posted (personal data found late)
    is gone from the stored public page and PDF and from the download, at once."""
    from tests.helpers import client_for

    anslag = anslag_service.post_anslag(posted_with_bilagor["justering"], alice, timezone.localdate())
    karta = posted_with_bilagor["karta"]
    assert "Karta över området" in client.get(reverse("public_anslag", args=[anslag.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(reverse("file_edit", args=[karta.pk]), {"version": karta.version})
    assert response.status_code == 302
    karta.refresh_from_db()
    assert not karta.public
    page = client.get(reverse("public_anslag", args=[anslag.pk])).content.decode()
    assert "Karta över området" not in page and reverse("public_file", args=[karta.pk]) not in page
    assert "Bilaga 1 publiceras inte." in page
    pdf_text = " ".join(page_texts(client.get(reverse("public_anslag_pdf", args=[anslag.pk])).content))
    assert "Karta över området" not in pdf_text
    assert client.get(reverse("public_file", args=[karta.pk])).status_code == 404
