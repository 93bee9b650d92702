"""Ärenden with their handlingar, a §'s bilagor, and who may read or change them. Uploads are checked
from their content, and downloads are never shown inline as a page."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import models as m
from meetings.services import agenda
from meetings.services import justering as justering_service
from tests import factories as f
from tests.helpers import PERSONNUMMER, bilaga, client_for, handling, pdf_upload, sign_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(organ):
    return f.paper(organ, "Detaljplan för Norra hamnen", reference="KS 2026/512")


@pytest.fixture
def dana(db):
    """The secretary of another organ."""
    other = f.organ("MN", name="Miljönämnden")
    user = f.user("dana")
    other.secretaries.add(user)
    return user


def _upload(client, paper, name="Tjänsteskrivelse", upload=None, public=True):
    data = {"action": "upload", "file-name": name, "file-file": upload or pdf_upload()}
    if public:
        data["file-public"] = "on"
    return client.post(reverse("paper_detail", args=[paper.pk]), data, follow=True)


def test_a_secretary_creates_an_arende_for_her_organ_only(organ, alice, dana):
    client = client_for(alice)
    response = client.post(
        reverse("paper_create"),
        {"organ": organ.pk, "reference": "KS 2026/77", "name": "Budget 2027", "date": "2026-04-01"},
    )
    paper = m.Paper.objects.get()
    assert response.url == reverse("paper_detail", args=[paper.pk])
    other = m.Organ.objects.get(short_name="MN")
    response = client.post(reverse("paper_create"), {"organ": other.pk, "name": "Fel organ", "date": "2026-04-01"})
    assert response.status_code == 400
    assert m.Paper.objects.count() == 1


def test_the_same_dnr_twice_in_an_organ_is_refused(organ, alice, paper):
    response = client_for(alice).post(
        reverse("paper_create"), {"organ": organ.pk, "reference": "KS 2026/512", "name": "Igen", "date": "2026-04-01"}
    )
    assert response.status_code == 400
    assert "Det finns redan ett ärende med det diarienumret." in response.content.decode()


def test_editing_an_arende_keeps_someone_elses_save(alice, paper):
    client = client_for(alice)
    data = {"action": "save", "reference": "KS 2026/512", "name": "Ny rubrik", "date": "2026-04-01", "version": 1}
    assert client.post(reverse("paper_detail", args=[paper.pk]), data).status_code == 302
    response = client.post(reverse("paper_detail", args=[paper.pk]), {**data, "name": "Gammal flik"})
    assert response.status_code == 409
    paper.refresh_from_db()
    assert (paper.name, paper.version) == ("Ny rubrik", 2)


@pytest.mark.parametrize(
    ("url", "method"),
    [
        (lambda p: reverse("paper_detail", args=[p.pk]), "get"),
        (lambda p: reverse("paper_delete", args=[p.pk]), "post"),
    ],
)
def test_an_arende_is_the_organs_secretaries(client, alice, bob, charlie, dana, paper, url, method):
    target = url(paper)
    assert getattr(client, method)(target).status_code == 302  # anonymous: login
    for user in (bob, charlie, dana):
        assert getattr(client_for(user), method)(target).status_code == 404
    assert m.Paper.objects.filter(pk=paper.pk).exists()


def test_a_handling_is_uploaded_stored_by_its_hash_and_downloaded_as_an_attachment(alice, paper):
    client = client_for(alice)
    response = _upload(client, paper, upload=pdf_upload("Tjänsteskrivelse <2026>.pdf"))
    assert "Handlingen ”Tjänsteskrivelse” är tillagd." in response.content.decode()
    file = paper.files.get()
    assert (file.mime_type, file.public, file.personnummer_scan) == ("application/pdf", True, "none")
    assert file.content.name == f"handlingar/{file.sha256[:2]}/{file.sha256}.pdf"
    assert default_storage.exists(file.content.name)
    download = client.get(reverse("file_download", args=[file.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Tj%C3%A4nsteskrivelse%20%3C2026%3E.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_file_that_lies_about_its_type_is_refused_and_nothing_is_stored(alice, paper):
    html = SimpleUploadedFile("beslut.pdf", b"<html><script>alert(document.cookie)</script></html>", "application/pdf")
    response = _upload(client_for(alice), paper, upload=html)
    assert response.status_code == 400
    assert "Filens innehåll är inte en filtyp som tas emot." in response.content.decode()
    assert not m.File.objects.exists()


def test_an_oversize_file_is_refused(alice, paper, settings):
    settings.HANDLING_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("stor.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), "application/pdf")
    response = _upload(client_for(alice), paper, upload=big)
    assert response.status_code == 400
    assert "Filen är för stor. Den får vara högst 1 MB." in response.content.decode()
    assert not m.File.objects.exists()


def test_a_public_pdf_with_a_personnummer_is_stored_with_a_warning(alice, paper):
    upload = pdf_upload("ansokan.pdf", ["Ansökan om bidrag", f"Sökande: {PERSONNUMMER}"])
    page = _upload(client_for(alice), paper, name="Ansökan", upload=upload).content.decode()
    assert "innehåller något som ser ut som ett personnummer och är markerad som offentlig" in page
    assert "Innehåller personnummer" in page
    file = paper.files.get()
    assert file.personnummer_found and file.warns_personnummer


def test_no_warning_for_a_handling_that_is_not_public(alice, paper):
    upload = pdf_upload("ansokan.pdf", [f"Sökande: {PERSONNUMMER}"])
    page = _upload(client_for(alice), paper, name="Ansökan", upload=upload, public=False).content.decode()
    assert "markerad som offentlig" not in page
    assert not paper.files.get().warns_personnummer


def test_renaming_publishing_and_removing_a_handling(alice, paper, django_capture_on_commit_callbacks):
    file = handling(paper, "Tjänsteskrivelse", public=False)
    other = handling(f.paper(paper.organ, "Annat"), "Samma fil", public=False)  # the same bytes
    client = client_for(alice)
    client.post(
        reverse("file_edit", args=[file.pk]), {"name": "Tjänsteskrivelse 2026-04-01", "public": "on", "version": 1}
    )
    file.refresh_from_db()
    assert (file.name, file.public, file.version) == ("Tjänsteskrivelse 2026-04-01", True, 2)
    response = client.post(reverse("file_edit", args=[file.pk]), {"name": "Gammal", "version": 1}, follow=True)
    assert "Någon annan har sparat ändringar" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("file_delete", args=[file.pk]))
    assert not m.File.objects.filter(pk=file.pk).exists()
    assert default_storage.exists(other.content.name)  # still named by the other row
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("file_delete", args=[other.pk]))
    assert not default_storage.exists(other.content.name)


def test_an_arende_on_an_agenda_cannot_be_removed(alice, paper, meeting):
    agenda.add_paper_item(meeting, paper)
    response = client_for(alice).post(reverse("paper_delete", args=[paper.pk]), follow=True)
    assert "finns på en föredragningslista" in response.content.decode()
    assert m.Paper.objects.filter(pk=paper.pk).exists()


# ---------------------------------------------------------------------------------------------------
# Who may read a handling
# ---------------------------------------------------------------------------------------------------


def test_members_read_the_handlingar_of_a_meeting_they_are_called_to(client, alice, bob, charlie, dana, paper, meeting):
    secret = handling(paper, "Värdering", public=False)
    url = reverse("file_download", args=[secret.pk])
    assert client_for(alice).get(url).status_code == 200
    assert client_for(bob).get(url).status_code == 404  # not on an agenda of his yet
    agenda.add_paper_item(meeting, paper)
    assert client_for(bob).get(url).status_code == 200  # a member, called to the meeting
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(dana).get(url).status_code == 404
    assert client.get(url).status_code == 302  # anonymous: to the login page, for any id alike
    assert client.get(reverse("file_download", args=[secret.pk + 999])).status_code == 302


def test_only_the_organs_secretaries_change_a_handling(bob, paper, meeting):
    file = handling(paper, public=False)
    agenda.add_paper_item(meeting, paper)
    client = client_for(bob)
    assert (
        client.post(reverse("file_edit", args=[file.pk]), {"name": "x", "public": "on", "version": 1}).status_code
        == 404
    )
    assert client.post(reverse("file_delete", args=[file.pk])).status_code == 404
    file.refresh_from_db()
    assert (file.name, file.public) == ("Tjänsteskrivelse", False)


# ---------------------------------------------------------------------------------------------------
# Bilagor of a §
# ---------------------------------------------------------------------------------------------------


def test_a_bilaga_is_added_to_a_paragraph_and_shown_in_the_preview(alice, ready):
    budget = ready.paragraphs.get(title="Budget")
    client = client_for(alice)
    url = reverse("paragraph_attachments", args=[ready.pk, budget.pk])
    response = client.post(url, {"file-name": "Karta", "file-public": "on", "file-file": pdf_upload("karta.pdf")})
    assert response.status_code == 302
    assert "Bilagor (1)" in client.get(reverse("paragraph_edit", args=[ready.pk, budget.pk])).content.decode()
    preview = client.get(reverse("preview", args=[ready.pk])).content.decode()
    assert "Bilaga 1: Karta" in preview
    assert reverse("file_download", args=[budget.attachments.get().pk]) in preview


def test_bilagor_of_a_justerat_protokoll_only_change_whether_public(alice, bob, ready, charlie):
    budget = ready.paragraphs.get(title="Budget")
    file = bilaga(budget, "Reservation (S)")
    sign_all(justering_service.send_to_justering(ready, alice))
    client = client_for(alice)
    url = reverse("paragraph_attachments", args=[ready.pk, budget.pk])
    page = client.get(url).content.decode()
    assert "Lägg till bilaga" not in page
    assert client.post(url, {"file-name": "Sen", "file-file": pdf_upload()}).status_code == 403
    client.post(reverse("file_edit", args=[file.pk]), {"name": "Annat namn", "version": 1})
    file.refresh_from_db()
    assert (file.name, file.public) == ("Reservation (S)", False)
    response = client.post(reverse("file_delete", args=[file.pk]), follow=True)
    assert "justerat" in response.content.decode()
    assert m.File.objects.filter(pk=file.pk).exists()
    # Those who may read the protokoll read its bilagor; others do not.
    assert client_for(bob).get(reverse("file_download", args=[file.pk])).status_code == 200
    assert client_for(charlie).get(reverse("file_download", args=[file.pk])).status_code == 404
    assert client_for(bob).get(url).status_code == 403
