"""The public verification page answers for a sealed PDF or a pasted hash, and refuses bad input."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from weasyprint import HTML

from meetings import models as m
from meetings.export.seal import seal_pdf
from meetings.services import justering as justering_service
from tests.helpers import sign_all


@pytest.fixture
def issued(ready, alice):
    justering = justering_service.send_to_justering(ready, alice)
    sign_all(justering)
    justering.refresh_from_db()
    data = seal_pdf(HTML(string="<p>Protokoll</p>").write_pdf())
    m.IssuedPdf.objects.create(
        justering=justering, variant="protokoll", sha256=hashlib.sha256(data).hexdigest(), storage_name="x.pdf"
    )
    return justering, data


def _upload(client, data: bytes):
    return client.post(reverse("verify"), {"pdf": SimpleUploadedFile("p.pdf", data, "application/pdf")})


def test_authentic_pdf_is_recognised_with_signers(client, issued):
    justering, data = issued
    page = _upload(client, data).content.decode()
    assert "Äkta justerat protokoll" in page
    assert "Bob Ordförande, ordförande" in page and "Jane Justerare, justerare" in page
    assert "Sigill: giltigt" in page


def test_changed_pdf_is_not_verified(client, issued):
    _justering, data = issued
    changed = bytearray(data)
    changed[len(changed) // 3] ^= 0x01
    page = _upload(client, bytes(changed)).content.decode()
    assert "Inte verifierad" in page and "Äkta" not in page


def test_pasted_content_hash(client, issued):
    justering, _data = issued
    page = client.post(reverse("verify"), {"hash": justering.content_hash.upper()}).content.decode()
    assert "Äkta justerat protokoll" in page


def test_hash_of_a_round_not_yet_justerat_is_unknown(client, ready, alice):
    justering = justering_service.send_to_justering(ready, alice)
    page = client.post(reverse("verify"), {"hash": justering.content_hash}).content.decode()
    assert "Inte verifierad" in page


@pytest.mark.parametrize("value", ["", "abc", "z" * 64, "<script>alert(1)</script>", "1" * 5000])
def test_bad_input_gets_a_message_not_a_500(client, db, value):
    response = client.post(reverse("verify"), {"hash": value})
    assert response.status_code == 400
    assert "Välj en PDF-fil" in response.content.decode()


def test_too_large_upload_is_refused(client, db, monkeypatch):
    from anslagstavla import views as verify

    monkeypatch.setattr(verify, "MAX_UPLOAD", 10)
    response = _upload(client, b"%PDF-1.7 more than ten bytes")
    assert response.status_code == 400
    assert "för stor" in response.content.decode()


def test_garbage_upload_is_not_verified(client, db):
    response = _upload(client, b"garbage")
    assert response.status_code == 200
    assert "Inte verifierad" in response.content.decode()
