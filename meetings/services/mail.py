"""The e-mail outbox: queue a message, deliver it from a task, retry with backoff, keep the record.

Every e-mail the system sends goes through ``queue_mail``: it stores an ``OutgoingMail`` and, once the
transaction commits, queues ``meetings.tasks.deliver_mail``. Delivery records each attempt
(``MailAttempt``). A temporary failure (the server answers 4xx, or cannot be reached) is tried again
after ``settings.MAIL_RETRY_DELAYS``; a permanent one (5xx: no such mailbox) and the last retry mark
the message failed, with the server's answer as the reason.

A backend that cannot defer a task (the in-process default) leaves the next attempt to
``retry_due_mail``, which the daily run calls; so does a worker that died holding a message.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import models as m

logger = logging.getLogger(__name__)

# A message still queued this long after its last planned attempt was lost by a worker.
STALE_AFTER = datetime.timedelta(minutes=30)
# How long one attempt keeps a message from other workers: well beyond EMAIL_TIMEOUT for each of
# the exchanges of one SMTP session.
CLAIM_FOR = datetime.timedelta(minutes=10)


def queue_mail(
    to: str,
    subject: str,
    body: str,
    *,
    meeting: m.Meeting | None = None,
    key: str | None = None,
    attachment: tuple[str, str] | None = None,
) -> m.OutgoingMail:
    """Record a message to ``to`` and deliver it once the current transaction commits.

    With a ``key``, a second call returns the message queued first and sends nothing more. An
    ``attachment`` is (the file's name in the e-mail, its name in the default storage): a PDF.
    """
    if key is not None:
        existing = m.OutgoingMail.objects.filter(key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            mail = m.OutgoingMail.objects.create(
                to=to,
                subject=subject[:300],
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                meeting=meeting,
                key=key,
                next_attempt_at=timezone.now(),
                attachment_filename=attachment[0] if attachment else "",
                attachment_name=attachment[1] if attachment else "",
            )
    except IntegrityError:
        # Queued by a concurrent run with the same key.
        return m.OutgoingMail.objects.get(key=key)
    transaction.on_commit(lambda: _enqueue(mail.pk), robust=True)
    return mail


def queue_mails(
    recipients: Iterable[str], subject: str, body: str, *, meeting: m.Meeting | None = None
) -> list[m.OutgoingMail]:
    """One message per recipient, so that each delivery is recorded on its own."""
    return [queue_mail(to, subject, body, meeting=meeting) for to in sorted(set(recipients))]


def _enqueue(mail_id: int, run_after: datetime.datetime | None = None) -> None:
    from ..tasks import deliver_mail, enqueue

    if run_after is not None and not deliver_mail.get_backend().supports_defer:
        return  # retry_due_mail sends it when it is due
    enqueue(deliver_mail, mail_id, run_after=run_after)


class MissingAttachment(OSError):
    """The file to send is no longer in the storage (a storage restored from before it)."""


def _stored(name: str) -> bytes:
    from ..export.store import read_stored

    content = read_stored(name)
    if content is None:
        raise MissingAttachment(f"Den bifogade filen finns inte i lagringen: {name}")
    return content


def requeue(mail: m.OutgoingMail) -> None:
    """Try a failed message again from now (the secretary's "Försök igen"); its record stays."""
    with transaction.atomic():
        mail = m.OutgoingMail.objects.select_for_update().get(pk=mail.pk)
        if mail.status != m.MailStatus.FAILED:
            return
        mail.status, mail.next_attempt_at = m.MailStatus.QUEUED, timezone.now()
        mail.save(update_fields=["status", "next_attempt_at"])
    transaction.on_commit(lambda: _enqueue(mail.pk), robust=True)


def _is_permanent(error: Exception) -> bool:
    """A 5xx answer means "never" (no such mailbox, refused): trying again would not help; nor does it
    for an attachment that is gone."""
    if isinstance(error, MissingAttachment):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _describe(error: Exception) -> str:
    code, message = getattr(error, "smtp_code", None), getattr(error, "smtp_error", None)
    if code is not None:
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{code} {text}"[:2000]
    return f"{type(error).__name__}: {error}"[:2000]


def message_id(mail: m.OutgoingMail) -> str:
    """The Message-ID of ``mail``: the same on every attempt, so that a message a server accepted but
    whose answer was lost is recognised as one message when it comes again (RFC 5322, 3.6.4)."""
    domain = parseaddr(mail.from_email)[1].rpartition("@")[2] or "localhost"
    return f"<outbox.{mail.pk}.{mail.created_at:%Y%m%d%H%M%S%f}@{domain}>"


def _claim(mail_id: int) -> tuple[m.OutgoingMail | None, str]:
    """Take a due message for one attempt: counted, and its next attempt moved ``CLAIM_FOR`` ahead so
    that no other worker takes it meanwhile. Committed before anything is sent: the mail server may
    take up to EMAIL_TIMEOUT per exchange, and no row lock or transaction may be held that long."""
    with transaction.atomic():
        mail = m.OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != m.MailStatus.QUEUED:
            return None, mail.status if mail else "missing"
        now = timezone.now()
        if mail.next_attempt_at is not None and mail.next_attempt_at > now + datetime.timedelta(seconds=1):
            return None, mail.status
        mail.attempts += 1
        mail.next_attempt_at = now + CLAIM_FOR
        mail.save(update_fields=["attempts", "next_attempt_at"])
    return mail, mail.status


def _send(mail: m.OutgoingMail) -> None:
    message = EmailMessage(
        mail.subject, mail.body, mail.from_email, [mail.to], headers={"Message-ID": message_id(mail)}
    )
    if mail.attachment_name:
        message.attach(mail.attachment_filename, _stored(mail.attachment_name), "application/pdf")
    message.send()


def _record(claimed: m.OutgoingMail, error: Exception | None) -> str:
    """Record the attempt of ``claimed`` and what follows from it. A claim that lapsed while its
    attempt ran (another worker has tried since) records the attempt but leaves the status alone."""
    now = timezone.now()
    with transaction.atomic():
        mail = m.OutgoingMail.objects.select_for_update().get(pk=claimed.pk)
        reason = _describe(error) if error is not None else ""
        m.MailAttempt.objects.create(mail=mail, delivered=error is None, error=reason)
        if mail.status != m.MailStatus.QUEUED or mail.attempts != claimed.attempts:
            return mail.status
        if error is None:
            mail.status, mail.sent_at, mail.next_attempt_at, mail.last_error = m.MailStatus.SENT, now, None, ""
        else:
            mail.last_error = reason
            delays = settings.MAIL_RETRY_DELAYS
            if _is_permanent(error) or mail.attempts > len(delays):
                mail.status, mail.next_attempt_at = m.MailStatus.FAILED, None
                logger.warning("E-mail %s to %s failed for good: %s", mail.pk, mail.to, reason)
            else:
                mail.next_attempt_at = now + datetime.timedelta(seconds=delays[mail.attempts - 1])
                retry_at = mail.next_attempt_at
                transaction.on_commit(lambda: _enqueue(mail.pk, retry_at), robust=True)
        mail.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
        return mail.status


def deliver(mail_id: int) -> str:
    """Try to hand one queued message to the mail server; record the attempt. Returns the status.

    The message is claimed first (``_claim``), then sent with no transaction open, then the outcome
    recorded; a message that is not queued or not due is left alone, so running this twice sends
    once. Every failure is an attempt on record, whatever the backend raised.
    """
    mail, status = _claim(mail_id)
    if mail is None:
        return status
    try:
        _send(mail)
    except Exception as error:  # noqa: BLE001 (any failure of any backend is a failed attempt, never a lost one)
        return _record(mail, error)
    return _record(mail, None)


def retry_due_mail(now: datetime.datetime | None = None) -> int:
    """Queue every message whose next attempt is due and that no worker holds: retries a backend
    could not defer, and messages of a worker that died. Returns how many."""
    now = now or timezone.now()
    due = m.OutgoingMail.objects.filter(status=m.MailStatus.QUEUED, next_attempt_at__lte=now - STALE_AFTER)
    ids = list(due.values_list("pk", flat=True))
    for pk in ids:
        _enqueue(pk)
    return len(ids)
