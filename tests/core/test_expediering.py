"""Expediering through a real SMTP server started by the test (aiosmtpd): each justerad § sent as its
sealed extract, each send and attempt recorded with the file's SHA-256, a refused first attempt
retried, a server that keeps refusing recorded as failed and retried later."""

import email
import email.policy
import hashlib
import io

import pytest
from pypdf import PdfReader

from meetings import models as m
from meetings.services import expediering
from meetings.services.base import WorkflowError
from tests import factories as f
from tests.helpers import normalise


@pytest.fixture
def to_send(justerat):
    """The justerat protokoll with recipients: Budget to Ekonomienheten and the applicant, Taxor (a
    förvaltningsbesvär) to the applicant only; the applicant's address is saved, Ekonomi's from the
    register."""
    meeting = justerat.meeting
    budget = meeting.paragraphs.get(title="Budget")
    taxor = meeting.paragraphs.get(title="Taxor")
    m.Paragraph.objects.filter(pk=budget.pk).update(recipients="Ekonomienheten\nSökanden")
    m.Paragraph.objects.filter(pk=taxor.pk).update(
        recipients="Sökanden", appeal_route=m.AppealRoute.FORVALTNINGSBESVAR, appeal_body="Förvaltningsrätten i Växjö"
    )
    f.person("Ekonomienheten", email="ekonomi@example.se")
    expediering.save_addresses(meeting, {(budget.pk, "Sökanden"): "sokande@example.se"})
    return meeting


def _parts(envelope):
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    attachments = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
    return message, body.decode("utf-8"), [a.get_payload(decode=True) for a in attachments]


def test_each_recipient_gets_the_sealed_extract_and_the_send_is_recorded(to_send, alice, smtp_server):
    report = expediering.send_extracts(to_send, alice)
    assert (len(report.sent), report.failed, report.missing) == (2, [], ["§ 2 Sökanden"])
    assert report.summary() == "2 av 2 utdrag skickades. Saknar e-postadress: § 2 Sökanden."
    assert sorted(e.rcpt_tos[0] for e in smtp_server.messages) == ["ekonomi@example.se", "sokande@example.se"]
    message, body, (pdf,) = _parts(smtp_server.messages[0])
    assert message["Subject"].strip().startswith("Protokollsutdrag: Kommunstyrelsens arbetsutskott 2026-03-10 § 1")
    assert "bestyrkt genom organisationens elektroniska försegling" in body
    dispatch = m.Dispatch.objects.get(email=smtp_server.messages[0].rcpt_tos[0])
    # The record names the very file sent, and that file is a sealed extract this system issued.
    assert dispatch.sha256 == hashlib.sha256(pdf).hexdigest()
    assert m.IssuedPdf.objects.get(sha256=dispatch.sha256).variant == m.IssuedPdf.Variant.UTDRAG
    assert (dispatch.status, dispatch.attempt_count, dispatch.created_by) == ("skickad", 1, alice)
    assert [a.delivered for a in dispatch.attempts.all()] == [True]
    text = normalise(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "Protokollsutdrag" in text and "Bestyrkt genom elektronisk försegling" in text
    # A second press sends nothing again.
    assert expediering.send_extracts(to_send, alice).sent == []
    assert len(smtp_server.messages) == 2


def test_a_refused_first_attempt_is_retried_and_recorded(to_send, alice, smtp_server):
    smtp_server.refuse = 1
    report = expediering.send_extracts(to_send, alice)
    assert len(report.sent) == 2 and not report.failed
    first = m.Dispatch.objects.order_by("id").first()
    attempts = list(first.attempts.all())
    assert [a.delivered for a in attempts] == [False, True]
    assert "451" in attempts[0].error
    assert first.attempt_count == 2 and first.status == m.DispatchStatus.SENT


def test_a_server_that_keeps_refusing_is_recorded_and_retried_later(to_send, alice, smtp_server):
    smtp_server.refuse = 99
    report = expediering.send_extracts(to_send, alice)
    assert report.sent == [] and len(report.failed) == 2
    assert "Misslyckades:" in report.summary() and "451" in report.summary()
    assert set(m.Dispatch.objects.values_list("status", "attempt_count")) == {("misslyckad", expediering.MAX_ATTEMPTS)}
    smtp_server.refuse = 0
    again = expediering.retry(to_send, alice)
    assert len(again.sent) == 2 and not again.failed
    assert set(m.Dispatch.objects.values_list("status", flat=True)) == {"skickad"}
    assert len(smtp_server.messages) == 2


def test_the_extract_to_a_party_carries_the_besvarshanvisning(to_send, alice, smtp_server):
    taxor = to_send.paragraphs.get(title="Taxor")
    expediering.save_addresses(to_send, {(taxor.pk, "Sökanden"): "part@example.se"})
    expediering.send_extracts(to_send, alice, [taxor.pk])
    (envelope,) = smtp_server.messages
    _message, body, (pdf,) = _parts(envelope)
    assert "Hur man överklagar (förvaltningsbesvär)" in body
    assert "inom tre veckor från den dag då du fick del av beslutet" in body
    text = normalise(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "Hur man överklagar (förvaltningsbesvär)" in text and "Förvaltningsrätten i Växjö" in text


def test_a_draft_is_not_sent(ready, alice):
    with pytest.raises(WorkflowError, match="Bara justerade paragrafer"):
        expediering.send_extracts(ready, alice)


def test_addresses_are_only_for_printed_recipients(to_send):
    budget = to_send.paragraphs.get(title="Budget")
    with pytest.raises(WorkflowError):
        expediering.save_addresses(to_send, {(budget.pk, "Någon annan"): "x@example.se"})
    assert expediering.save_addresses(to_send, {(budget.pk, "Sökanden"): ""}) == 1
    assert not m.Recipient.objects.exists()
