"""A signature given with e-legitimation carries its evidence (issuer, keyed subject hash, auth_time,
acr, the ID token's SHA-256) into the Justering section of the PDF and onto /verifiera/; a password
signature says so too. The identifier itself (it may be a personnummer) is never printed."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings import models as m
from meetings.export.pdf import export_pdf
from meetings.export.public_pdf import public_pdf
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service

ISSUER = "https://idp.exempel.se"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
TOKEN_HASH = "ab" * 32
SUBJECT_HASH = "cd" * 32
AUTH_TIME = dt.datetime(2026, 3, 12, 9, 14, 3, tzinfo=dt.UTC)


@pytest.fixture
def justerat_with_eid(ready, alice):
    """The chair signs with e-legitimation, both justerare with their passwords."""
    justering = justering_service.send_to_justering(ready, alice)
    evidence = justering_service.EidEvidence(ISSUER, SUBJECT_HASH, AUTH_TIME, LOA3, TOKEN_HASH)
    justering_service.sign(justering, ready.chair, eid=evidence)
    for person in ready.justerare:
        justering_service.sign(justering, person)
    justering.refresh_from_db()
    return justering


def _text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_the_signature_records_how_the_signer_authenticated(justerat_with_eid):
    chair, *justerare = justerat_with_eid.signatures.filter(status=m.SignatureStatus.SIGNERAT).order_by("position")
    assert chair.method == m.SignatureMethod.E_LEGITIMATION and chair.with_eid
    assert (chair.eid_issuer, chair.eid_subject_hash, chair.eid_auth_time) == (ISSUER, SUBJECT_HASH, AUTH_TIME)
    assert (chair.eid_acr, chair.eid_id_token_sha256) == (LOA3, TOKEN_HASH)
    assert chair.history.first().history_change_reason == "Signerat med e-legitimation"
    assert all(s.method == m.SignatureMethod.LOSENORD and not s.eid_issuer for s in justerare)


def test_the_pdf_shows_the_evidence_in_its_justering_section(justerat_with_eid):
    text = _text(export_pdf(justerat_with_eid.meeting).content)
    justering_section = text[text.rindex("Justering") :]
    assert "E-legitimation" in justering_section and "Lösenord" in justering_section
    local = timezone.localtime(AUTH_TIME)
    assert f"Bob Ordförande legitimerade sig {local:%Y-%m-%d} kl. {local:%H.%M.%S}" in justering_section
    compact = justering_section.replace(" ", "")  # long URIs and hashes wrap
    assert ISSUER in compact and LOA3 in compact and TOKEN_HASH in compact
    assert SUBJECT_HASH not in text.replace(" ", "")


def test_the_public_pdf_shows_the_evidence_too(justerat_with_eid, alice):
    anslag = anslag_service.post_anslag(justerat_with_eid, alice, timezone.localdate())
    text = _text(public_pdf(anslag).content)
    assert "E-legitimation" in text and LOA3 in text.replace(" ", "")


def test_the_verification_page_shows_the_evidence(client, justerat_with_eid):
    page = client.post(reverse("verify"), {"hash": justerat_with_eid.content_hash}).content.decode()
    assert "Äkta justerat protokoll" in page
    local = timezone.localtime(AUTH_TIME)
    assert "Bob Ordförande, ordförande" in page and "e-legitimation: legitimerad" in page
    assert f"{local:%Y-%m-%d %H:%M:%S}" in page and ISSUER in page and LOA3 in page and TOKEN_HASH in page
    assert "Jane Justerare, justerare" in page and "lösenord" in page
    assert SUBJECT_HASH not in page


def test_the_verification_page_asks_no_more_queries_for_the_evidence(
    client, justerat_with_eid, django_assert_num_queries
):
    client.get(reverse("verify"))
    with django_assert_num_queries(3):
        client.post(reverse("verify"), {"hash": justerat_with_eid.content_hash})
