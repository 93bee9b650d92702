"""The e-mail outbox: every message the system sends, and every attempt to deliver it.

A message is recorded before it is sent (``meetings.services.mail.queue_mail``) and delivered by a
task, so a page never waits for a mail server, and what was sent, to whom and when, and what failed
and why, can be shown afterwards.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .meeting import Meeting


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Väntar på att skickas")
    SENT = "sent", _("Skickat")
    FAILED = "failed", _("Kunde inte skickas")


class OutgoingMail(models.Model):
    """One message to one recipient. ``key`` makes queueing idempotent: a message with a key is
    queued at most once (a reminder per signer and round, say), however often its task runs."""

    to = models.EmailField(_("mottagare"))
    subject = models.CharField(_("ämne"), max_length=300)
    body = models.TextField(_("text"))
    from_email = models.CharField(_("avsändare"), max_length=300)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="mails", verbose_name=_("sammanträde")
    )
    key = models.CharField(max_length=200, unique=True, null=True, blank=True, editable=False)
    # A file sent with the message (a sealed protokollsutdrag): where it is stored (the storage name,
    # so the row stays small and the bytes are the stored ones) and its name in the e-mail.
    attachment_name = models.CharField(_("bifogad fil i lagringen"), max_length=300, blank=True)
    attachment_filename = models.CharField(_("bifogad fils namn"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MailStatus.choices, default=MailStatus.QUEUED)
    created_at = models.DateTimeField(_("köat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-postmeddelande")
        verbose_name_plural = _("e-postmeddelanden")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject} ({self.get_status_display()})"


class MailAttempt(models.Model):
    """One try to hand a message to the mail server: when, and delivered or why not."""

    mail = models.ForeignKey(OutgoingMail, on_delete=models.CASCADE, related_name="delivery_attempts")
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    delivered = models.BooleanField(_("levererat"))
    error = models.TextField(_("fel"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("leveransförsök")
        verbose_name_plural = _("leveransförsök")

    def __str__(self) -> str:
        return f"{self.mail.to} {self.at:%Y-%m-%d %H:%M}: {'levererat' if self.delivered else self.error}"
