"""The public PDF: the public version with the filled-in ANSLAG/BEVIS block, rendered once and stored."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meetings import models as m
from meetings.export import public_pdf


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_it_downloads_the_public_version_with_the_anslag_dates(client, posted):
    response = client.get(reverse("public_anslag_pdf", args=[posted.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "publicerad%20version.pdf" in response["Content-Disposition"]
    text = _text(response.content)
    assert posted.posted_on.isoformat() in text
    assert posted.appeal_until.isoformat() in text
    assert posted.take_down_on.isoformat() in text
    assert "Signerat" in text  # the signers' lines carry the time they signed


def test_it_is_rendered_once_and_registered(client, posted):
    url = reverse("public_anslag_pdf", args=[posted.pk])
    first = client.get(url).content
    with mock.patch.object(public_pdf, "html_to_pdf", side_effect=AssertionError("rendered again")):
        assert client.get(url).content == first
    issued = m.IssuedPdf.objects.get(variant="public")
    assert issued.justering_id == posted.justering_id
    # The same task sealed the staff PDFs with the anslag's dates: the Protokoll and an extract per §.
    variants = sorted(m.IssuedPdf.objects.values_list("variant", flat=True))
    assert variants == ["protokoll", "public", "utdrag", "utdrag", "utdrag"]
