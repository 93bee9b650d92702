"""Expediering through the e-mail outbox and a real SMTP server started by the test (aiosmtpd): each
justerad § sent as its sealed extract, each send recorded with the SHA-256 of the very file, a
refused first attempt retried and delivered, a failed one tried again on request."""

import hashlib
import io
from email.header import decode_header, make_header

import pytest
from django.utils import timezone
from pypdf import PdfReader

from meetings import models as m
from meetings.services import expediering
from meetings.services.base import WorkflowError
from tests import factories as f
from tests.helpers import WORKER_TASKS, normalise, run_worker


@pytest.fixture
def to_send(justerat):
    """The justerat protokoll with recipients: Budget to Ekonomienheten and the applicant, Taxor (a
    förvaltningsbesvär) to the applicant only; the addresses of Budget's recipients are saved."""
    meeting = justerat.meeting
    budget = meeting.paragraphs.get(title="Budget")
    taxor = meeting.paragraphs.get(title="Taxor")
    m.Paragraph.objects.filter(pk=budget.pk).update(recipients="Ekonomienheten\nSökanden")
    m.Paragraph.objects.filter(pk=taxor.pk).update(
        recipients="Sökanden", appeal_route=m.AppealRoute.FORVALTNINGSBESVAR, appeal_body="Förvaltningsrätten i Växjö"
    )
    f.person("Ekonomienheten", email="ekonomi@example.se")
    expediering.save_addresses(
        meeting, {(budget.pk, "Sökanden"): "sokande@example.se", (budget.pk, "Ekonomienheten"): "ekonomi@example.se"}
    )
    return meeting


def _pdf(message) -> bytes:
    (part,) = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    return part.get_payload(decode=True)


def _body(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode("utf-8")


def _text(pdf: bytes) -> str:
    return normalise(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def test_each_recipient_gets_the_sealed_extract_and_the_send_is_recorded(
    to_send, alice, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = expediering.send_extracts(to_send, alice)
    report.refresh()
    assert (len(report.sent), report.failed, report.missing) == (2, [], ["§ 2 Sökanden"])
    assert report.summary() == "2 av 2 utdrag skickades. Saknar e-postadress: § 2 Sökanden."
    assert sorted(message["To"] for message in smtp_server.messages) == ["ekonomi@example.se", "sokande@example.se"]
    message = next(x for x in smtp_server.messages if x["To"] == "sokande@example.se")
    subject = str(make_header(decode_header(message["Subject"]))).strip()
    assert subject == "Protokollsutdrag: Kommunstyrelsens arbetsutskott 2026-03-10 § 1 Budget"
    assert "bestyrkt genom organisationens elektroniska försegling" in _body(message)
    dispatch = m.Dispatch.objects.get(email="sokande@example.se")
    # The record names the very file sent, and that file is a sealed extract this system issued.
    pdf = _pdf(message)
    assert dispatch.sha256 == hashlib.sha256(pdf).hexdigest()
    assert m.IssuedPdf.objects.get(sha256=dispatch.sha256).variant == m.IssuedPdf.Variant.UTDRAG
    assert (dispatch.mail.status, dispatch.mail.attempts, dispatch.created_by) == (m.MailStatus.SENT, 1, alice)
    assert [a.delivered for a in dispatch.mail.delivery_attempts.all()] == [True]
    assert "Protokollsutdrag" in _text(pdf) and "Bestyrkt genom elektronisk försegling" in _text(pdf)
    # A second press sends nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        assert expediering.send_extracts(to_send, alice).dispatches == []
    assert len(smtp_server.messages) == 2


def test_a_refused_first_attempt_is_retried_and_delivered(
    to_send, alice, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = WORKER_TASKS
    settings.MAIL_RETRY_DELAYS = [1, 60]
    smtp_server.refuse = 1
    with django_capture_on_commit_callbacks(execute=True):
        report = expediering.send_extracts(to_send, alice)
    assert len(report.waiting) == 2  # queued for the worker: nothing is claimed as sent
    assert "0 av 2 utdrag skickades. 2 väntar på att skickas" in report.summary()
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    refused = m.Dispatch.objects.get(mail__attempts=1, mail__status=m.MailStatus.QUEUED)
    assert refused.mail.last_error.startswith("451")
    # The retry's time comes (backoff), and the worker delivers it.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    m.OutgoingMail.objects.filter(pk=refused.mail_id).update(next_attempt_at=timezone.now())
    run_worker()
    refused.mail.refresh_from_db()
    assert refused.mail.status == m.MailStatus.SENT and refused.mail.attempts == 2
    assert [a.delivered for a in refused.mail.delivery_attempts.all()] == [False, True]
    assert len(smtp_server.messages) == 2
    delivered = next(x for x in smtp_server.messages if x["To"] == refused.email)
    assert refused.sha256 == hashlib.sha256(_pdf(delivered)).hexdigest()


def test_a_failed_send_is_tried_again_on_request(
    to_send, alice, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_RETRY_DELAYS = []
    smtp_server.refuse = 99
    with django_capture_on_commit_callbacks(execute=True):
        report = expediering.send_extracts(to_send, alice)
    report.refresh()
    assert report.sent == [] and len(report.failed) == 2
    assert "Misslyckades:" in report.summary() and "451" in report.summary()
    smtp_server.refuse = 0
    # The applicant's address was wrong: corrected, the retry is a new send to the new address.
    budget = to_send.paragraphs.get(title="Budget")
    expediering.save_addresses(to_send, {(budget.pk, "Sökanden"): "ratt@example.se"})
    with django_capture_on_commit_callbacks(execute=True):
        again = expediering.retry(to_send, alice)
    again.refresh()
    assert len(again.sent) == 2 and not again.failed
    assert sorted(x["To"] for x in smtp_server.messages) == ["ekonomi@example.se", "ratt@example.se"]
    # Every send stays on record: the failed one to the wrong address too.
    assert m.Dispatch.objects.count() == 3
    assert m.Dispatch.objects.get(email="sokande@example.se").mail.status == m.MailStatus.FAILED


def test_the_extract_to_a_party_carries_the_besvarshanvisning(
    to_send, alice, smtp_server, django_capture_on_commit_callbacks
):
    taxor = to_send.paragraphs.get(title="Taxor")
    expediering.save_addresses(to_send, {(taxor.pk, "Sökanden"): "part@example.se"})
    with django_capture_on_commit_callbacks(execute=True):
        expediering.send_extracts(to_send, alice, [taxor.pk])
    (message,) = smtp_server.messages
    assert "Hur man överklagar (förvaltningsbesvär)" in _body(message)
    assert "inom tre veckor från den dag då du fick del av beslutet" in _body(message)
    text = _text(_pdf(message))
    assert "Hur man överklagar (förvaltningsbesvär)" in text and "Förvaltningsrätten i Växjö" in text


def test_a_draft_is_not_sent(ready, alice):
    with pytest.raises(WorkflowError, match="Bara justerade paragrafer"):
        expediering.send_extracts(ready, alice)


def test_addresses_are_only_for_printed_recipients(to_send):
    budget = to_send.paragraphs.get(title="Budget")
    with pytest.raises(WorkflowError):
        expediering.save_addresses(to_send, {(budget.pk, "Någon annan"): "x@example.se"})
    assert expediering.save_addresses(to_send, {(budget.pk, "Sökanden"): ""}) == 1
    assert list(m.Recipient.objects.values_list("name", flat=True)) == ["Ekonomienheten"]


def test_a_name_in_the_register_is_a_suggestion_never_an_address_sent_to(to_send, alice):
    """Review A 1: the register's person of the printed name is only shown as a suggestion; a send
    goes to the addresses the secretary saved for the §."""
    budget = to_send.paragraphs.get(title="Budget")
    expediering.save_addresses(to_send, {(budget.pk, "Ekonomienheten"): ""})
    assert expediering.address_book(to_send)[(budget.pk, "Ekonomienheten")] == "ekonomi@example.se"
    report = expediering.send_extracts(to_send, alice, [budget.pk])
    assert [d.email for d in report.dispatches] == ["sokande@example.se"]
    assert report.missing == ["§ 1 Ekonomienheten"]


def test_a_secret_paragraph_gets_no_suggested_address_and_no_title_in_the_mail(
    to_send, alice, smtp_server, django_capture_on_commit_callbacks
):
    """Review A 1 (OSL 2009:400): a § under sekretess goes only to an address saved for it, and the
    e-mail's subject and body do not spell out its title."""
    secret = to_send.paragraphs.get(title="Personalärende")
    m.Paragraph.objects.filter(pk=secret.pk).update(recipients="Jane Justerare")
    assert (secret.pk, "Jane Justerare") not in expediering.address_book(to_send)
    with django_capture_on_commit_callbacks(execute=True):
        report = expediering.send_extracts(to_send, alice, [secret.pk])
    assert report.dispatches == [] and report.missing == ["§ 3 Jane Justerare"]
    expediering.save_addresses(to_send, {(secret.pk, "Jane Justerare"): "jane.privat@example.se"})
    with django_capture_on_commit_callbacks(execute=True):
        expediering.send_extracts(to_send, alice, [secret.pk])
    (message,) = smtp_server.messages
    assert message["To"] == "jane.privat@example.se"
    subject = str(make_header(decode_header(message["Subject"])))
    assert "Personalärende" not in subject and "Personalärende" not in _body(message)
    assert "§ 3" in subject


def test_a_name_two_register_persons_share_gets_no_suggestion(to_send):
    budget = to_send.paragraphs.get(title="Budget")
    expediering.save_addresses(to_send, {(budget.pk, "Ekonomienheten"): ""})
    f.person("Ekonomienheten", email="annan@example.se")
    assert (budget.pk, "Ekonomienheten") not in expediering.address_book(to_send)
