"""Expediering: each § of a justerat protokoll sent as a sealed protokollsutdrag to those listed
under "Beslutet skickas till".

The names are protokoll content (``Paragraph.recipients``); the e-mail address of each
(``Recipient``) is not, so a wrong address can be corrected after justering. Every send is recorded
(``Dispatch``: to whom, by whom, when, the SHA-256 of the file sent, and its outcome), with each
attempt (``DispatchAttempt``) so that a refused or failed delivery shows and can be retried.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .paragraph import Paragraph


class Recipient(models.Model):
    """The e-mail address of one recipient of a §'s extract, by the name the protokoll prints."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="dispatch_recipients")
    name = models.CharField(_("mottagare"), max_length=200)
    email = models.EmailField(_("e-post"))

    class Meta:
        ordering = ["paragraph", "name"]
        verbose_name = _("mottagare")
        verbose_name_plural = _("mottagare")
        constraints = [models.UniqueConstraint(fields=["paragraph", "name"], name="recipient_once_per_paragraph")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class DispatchStatus(models.TextChoices):
    PENDING = "vantar", _("Väntar")
    SENT = "skickad", _("Skickad")
    FAILED = "misslyckad", _("Misslyckad")


class Dispatch(models.Model):
    """One sealed extract of one § sent to one recipient. ``SENT`` means that the mail server
    accepted it; ``FAILED`` that every attempt was refused or failed (``last_error`` says why)."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.PROTECT, related_name="dispatches")
    name = models.CharField(_("mottagare"), max_length=200)
    email = models.EmailField(_("e-post"))
    sha256 = models.CharField(_("utdragets SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=DispatchStatus.choices, default=DispatchStatus.PENDING
    )
    attempt_count = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_error = models.TextField(_("senaste fel"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skickad av"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")
        indexes = [models.Index(fields=["paragraph", "status"])]

    def __str__(self) -> str:
        return f"§ {self.paragraph.number} till {self.name}: {self.get_status_display()}"


class DispatchAttempt(models.Model):
    """One try to hand a dispatch to the mail server."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(auto_now_add=True)
    delivered = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("försök")
        verbose_name_plural = _("försök")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}: {'levererat' if self.delivered else self.error[:60]}"
