"""The justerat PDF is the evidence: signers with times, the signed content's hash, rättelser, and the
organisation's seal; the download verifies on the public page, a changed copy does not."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings import models as m
from meetings.export.seal import check_seal
from meetings.services import anslag as anslag_service
from meetings.services import correction as correction_service
from meetings.services import justering as justering_service
from tests.helpers import sign_all


@pytest.fixture
def justerat(ready, alice):
    justering = justering_service.send_to_justering(ready, alice)
    sign_all(justering)
    justering.refresh_from_db()
    return justering


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _download(client, user, meeting, **params):
    client.force_login(user)
    response = client.get(reverse("protokoll_pdf", args=[meeting.pk]), params)
    assert response.status_code == 200
    return response.content


def test_justerat_pdf_carries_signers_hash_and_a_valid_seal(client, alice, justerat):
    data = _download(client, alice, justerat.meeting)
    text = _text(data)
    assert "UTKAST" not in text
    assert "Bob Ordförande" in text and "Signerat" in text
    assert justerat.content_hash[:32] in text.replace("\n", "")
    status = check_seal(data)
    assert status.valid, status
    issued = m.IssuedPdf.objects.get()
    assert (issued.justering, issued.variant) == (justerat, "protokoll")


def test_the_stored_pdf_is_served_again_unchanged(client, alice, justerat):
    assert _download(client, alice, justerat.meeting) == _download(client, alice, justerat.meeting)
    assert m.IssuedPdf.objects.count() == 1


def test_download_verifies_and_a_changed_copy_does_not(client, alice, justerat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _download(client, alice, justerat.meeting)
    client.logout()
    ok = client.post(reverse("verify"), {"pdf": SimpleUploadedFile("p.pdf", data, "application/pdf")})
    assert "Äkta justerat protokoll" in ok.content.decode()
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x20
    bad = client.post(reverse("verify"), {"pdf": SimpleUploadedFile("p.pdf", bytes(changed), "application/pdf")})
    assert "Inte verifierad" in bad.content.decode()


def test_anslag_dates_appear_once_posted(client, alice, justerat):
    anslag = anslag_service.post_anslag(justerat, alice, timezone.localdate())
    text = _text(_download(client, alice, justerat.meeting))
    assert anslag.posted_on.isoformat() in text and anslag.take_down_on.isoformat() in text


def test_a_correction_shows_in_pdf_and_preview_and_gives_a_new_file(client, alice, justerat):
    before = _download(client, alice, justerat.meeting)
    budget = justerat.meeting.paragraphs.get(title="Budget")
    correction_service.correct(budget, "title", "Budget 2027", "Fel årtal i rubriken", alice)
    after = _download(client, alice, justerat.meeting)
    assert before != after
    text = _text(after)
    assert "Rättelser efter justering" in text and "Fel årtal i rubriken" in text
    assert "Före: Budget" in text and "Efter: Budget 2027" in text
    preview = client.get(reverse("preview", args=[justerat.meeting.pk])).content.decode()
    assert "Rättelser efter justering" in preview and "Paragrafen är rättad efter justering" in preview


def test_extract_of_a_justerat_protokoll_is_sealed_too(client, alice, justerat):
    client.force_login(alice)
    number = justerat.meeting.paragraphs.first().number
    response = client.get(reverse("protokollsutdrag_pdf", args=[justerat.meeting.pk]), {"p": number})
    assert check_seal(response.content).valid
    assert m.IssuedPdf.objects.get().numbers == f"§ {number}"


def test_extract_of_omedelbart_justerade_paragraphs_is_justerat_and_sealed(client, ready, alice):
    urgent = ready.paragraphs.get(title="Taxor")
    justering = justering_service.send_immediate_justering(ready, alice, [urgent])
    sign_all(justering)
    client.force_login(alice)
    url = reverse("protokollsutdrag_pdf", args=[ready.pk])
    data = client.get(url, {"p": urgent.number}).content
    assert "UTKAST" not in _text(data) and "Signerat" in _text(data)
    assert check_seal(data).valid
    # The rest of the protokoll is still a draft.
    other = ready.paragraphs.get(title="Budget").number
    draft = client.get(url, {"p": other}).content
    assert "UTKAST – EJ JUSTERAT" in _text(draft) and not check_seal(draft).sealed


def test_public_pdf_of_an_omedelbar_anslag_is_not_a_draft(client, ready, alice):
    urgent = ready.paragraphs.get(title="Taxor")
    justering = justering_service.send_immediate_justering(ready, alice, [urgent])
    sign_all(justering)
    justering.refresh_from_db()
    anslag = anslag_service.post_anslag(justering, alice, timezone.localdate())
    data = client.get(reverse("public_anslag_pdf", args=[anslag.pk])).content
    text = _text(data)
    assert "UTKAST" not in text and "Taxor" in text and "Budget" not in text
    assert check_seal(data).valid
