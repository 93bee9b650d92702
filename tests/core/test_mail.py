"""The e-mail outbox: each message and each delivery attempt recorded, retries with backoff, through
a real SMTP server (aiosmtpd) started by the test."""

import datetime

import pytest
from django.utils import timezone

from meetings import models as m
from meetings.services import justering as justering_service
from meetings.services import mail as mail_service
from meetings.services import notifications
from tests.helpers import WORKER_TASKS, run_worker


def test_a_queued_message_is_delivered_and_recorded(db, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_service.queue_mail("anna@example.se", "Att justera: KSAU", "Läs och signera.")
    queued.refresh_from_db()
    assert queued.status == m.MailStatus.SENT and queued.sent_at is not None and queued.attempts == 1
    assert [(a.delivered, a.error) for a in queued.delivery_attempts.all()] == [(True, "")]
    [received] = smtp_server.messages
    assert received["To"] == "anna@example.se" and received["Subject"] == "Att justera: KSAU"
    assert "Läs och signera." in received.get_payload(decode=True).decode()


def test_nothing_is_sent_for_a_change_that_was_rolled_back(db, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mail_service.queue_mail("anna@example.se", "Ämne", "Text")
    # The transaction never commits: its callbacks never run.
    assert len(callbacks) == 1 and smtp_server.messages == []


def test_a_refused_first_attempt_is_retried_after_the_backoff_and_delivered(
    db, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = WORKER_TASKS
    settings.MAIL_RETRY_DELAYS = [1, 60]
    smtp_server.refuse = 1
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_service.queue_mail("anna@example.se", "Justerat: KSAU", "Protokollet är justerat.")
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    queued.refresh_from_db()
    assert queued.status == m.MailStatus.QUEUED and queued.attempts == 1
    assert queued.last_error.startswith("451") and smtp_server.messages == []
    # The retry waits for its time (run_after): a worker that comes earlier leaves it.
    retry = m.OutgoingMail.objects.get(pk=queued.pk).next_attempt_at
    assert retry > timezone.now()
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status="READY").get()
    assert waiting.run_after == retry
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    m.OutgoingMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())
    run_worker()
    queued.refresh_from_db()
    assert queued.status == m.MailStatus.SENT and queued.attempts == 2
    attempts = list(queued.delivery_attempts.all())
    assert [a.delivered for a in attempts] == [False, True]
    assert "451 4.3.0" in attempts[0].error
    assert len(smtp_server.messages) == 1


def test_the_last_retry_marks_the_message_failed_with_the_reason(
    db, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_RETRY_DELAYS = []
    smtp_server.refuse = 5
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_service.queue_mail("anna@example.se", "Ämne", "Text")
    queued.refresh_from_db()
    assert queued.status == m.MailStatus.FAILED and queued.next_attempt_at is None
    assert "451" in queued.last_error and queued.delivery_attempts.get().delivered is False


def test_an_unreachable_server_is_a_temporary_failure(db, settings, django_capture_on_commit_callbacks):
    from tests.helpers import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_service.queue_mail("anna@example.se", "Ämne", "Text")
    queued.refresh_from_db()
    # The in-process backend cannot defer the retry: the periodic run sends it when it is due.
    assert queued.status == m.MailStatus.QUEUED and queued.attempts == 1
    assert "ConnectionRefusedError" in queued.last_error


def test_the_periodic_run_retries_what_is_due(db, smtp_server, django_capture_on_commit_callbacks):
    queued = m.OutgoingMail.objects.create(
        to="anna@example.se",
        subject="Ämne",
        body="Text",
        from_email="protokoll@localhost",
        attempts=1,
        next_attempt_at=timezone.now() - datetime.timedelta(hours=1),
    )
    fresh = m.OutgoingMail.objects.create(
        to="bo@example.se", subject="Ämne", body="Text", from_email="x@localhost", next_attempt_at=timezone.now()
    )
    assert mail_service.retry_due_mail() == 1
    queued.refresh_from_db()
    fresh.refresh_from_db()
    assert queued.status == m.MailStatus.SENT and queued.attempts == 2
    # Queued a moment ago: its own task is still on its way, so it is left alone.
    assert fresh.status == m.MailStatus.QUEUED and fresh.attempts == 0
    assert [msg["To"] for msg in smtp_server.messages] == ["anna@example.se"]


def test_delivering_twice_sends_once(db, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_service.queue_mail("anna@example.se", "Ämne", "Text")
    assert mail_service.deliver(queued.pk) == m.MailStatus.SENT
    assert len(smtp_server.messages) == 1 and queued.delivery_attempts.count() == 1


def test_a_key_queues_a_message_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = mail_service.queue_mail("anna@example.se", "Påminnelse", "Text", key="reminder:1:2")
        second = mail_service.queue_mail("anna@example.se", "Påminnelse", "Text", key="reminder:1:2")
    assert first.pk == second.pk and m.OutgoingMail.objects.count() == 1


def test_a_permanent_refusal_is_not_retried(db, settings, django_capture_on_commit_callbacks):
    from aiosmtpd.controller import Controller

    from tests.helpers import free_port

    class NoSuchMailbox:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "550 5.1.1 Mottagaren finns inte"

    controller = Controller(NoSuchMailbox(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        with django_capture_on_commit_callbacks(execute=True):
            queued = mail_service.queue_mail("ingen@example.se", "Ämne", "Text")
    finally:
        controller.stop()
    queued.refresh_from_db()
    assert queued.status == m.MailStatus.FAILED and queued.attempts == 1
    assert "550" in queued.last_error


def test_workflow_notifications_go_through_the_outbox(ready, alice, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        justering_service.send_to_justering(ready, alice)
    sent = m.OutgoingMail.objects.filter(meeting=ready).order_by("to")
    assert [(x.to, x.status) for x in sent] == [
        ("bob@example.se", "sent"),
        ("jane@example.se", "sent"),
        ("joe@example.se", "sent"),
    ]
    assert sorted(msg["To"] for msg in smtp_server.messages) == ["bob@example.se", "jane@example.se", "joe@example.se"]
    assert all(x.subject.startswith("Att justera:") for x in sent)
    assert notifications.secretary_emails(ready) == ["alice@example.se"]


@pytest.mark.parametrize("delays", [[60, 300]])
def test_retry_delays_grow(db, settings, delays, django_capture_on_commit_callbacks):
    """Each new attempt waits the next delay of MAIL_RETRY_DELAYS."""
    from tests.helpers import free_port

    settings.MAIL_RETRY_DELAYS = delays
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_service.queue_mail("anna@example.se", "Ämne", "Text")
    waits = []
    for _ in delays:
        queued.refresh_from_db()
        waits.append(round((queued.next_attempt_at - queued.delivery_attempts.last().at).total_seconds()))
        m.OutgoingMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())
        mail_service.deliver(queued.pk)
    queued.refresh_from_db()
    assert waits == delays and queued.status == m.MailStatus.FAILED and queued.attempts == 3


@pytest.fixture
def probe_mail(settings):
    from tests.helpers import ProbeMailBackend

    settings.EMAIL_BACKEND = "tests.helpers.ProbeMailBackend"
    ProbeMailBackend.reset()
    yield ProbeMailBackend
    ProbeMailBackend.reset()


def test_a_timeout_bounds_every_exchange_with_the_mail_server(settings):
    assert isinstance(settings.EMAIL_TIMEOUT, int) and 0 < settings.EMAIL_TIMEOUT <= 60


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_while_a_transaction_holds_the_message(probe_mail):
    queued = mail_service.queue_mail("anna@example.se", "Ämne", "Text")  # autocommit: delivered at once
    queued.refresh_from_db()
    assert queued.status == m.MailStatus.SENT
    assert probe_mail.in_transaction == [False]


def test_any_failure_of_the_backend_is_a_recorded_attempt(db, probe_mail, settings, django_capture_on_commit_callbacks):
    settings.MAIL_RETRY_DELAYS = [60]
    probe_mail.fail = UnicodeEncodeError("ascii", "å", 0, 1, "ordinal not in range")
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_service.queue_mail("anna@example.se", "Ämne", "Text")
    queued.refresh_from_db()
    assert queued.status == m.MailStatus.QUEUED and queued.attempts == 1
    assert queued.last_error.startswith("UnicodeEncodeError")
    assert [(a.delivered, a.error[:18]) for a in queued.delivery_attempts.all()] == [(False, "UnicodeEncodeError")]
    m.OutgoingMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())
    assert mail_service.deliver(queued.pk) == m.MailStatus.SENT


def test_every_attempt_carries_the_same_message_id(db, probe_mail, settings, django_capture_on_commit_callbacks):
    settings.MAIL_RETRY_DELAYS = [60]
    probe_mail.fail = TimeoutError("the server accepted, then the answer was lost")
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_service.queue_mail("anna@example.se", "Ämne", "Text")
    m.OutgoingMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())
    mail_service.deliver(queued.pk)
    assert len(probe_mail.sent) == 1
    assert probe_mail.message_ids == [mail_service.message_id(queued)] * 2
