"""Expediering: each § of a justerat protokoll sent as a sealed protokollsutdrag to those listed
under "Beslutet skickas till".

The names are protokoll content (``Paragraph.recipients``); the e-mail address of each
(``Recipient``) is not, so a wrong address can be corrected after justering. Every send is a
``Dispatch`` (which §, to whom, by whom, when, and the SHA-256 of the file sent) with its message in
the e-mail outbox (``OutgoingMail``), whose attempts record whether it was delivered or why not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .mail import OutgoingMail
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


class Dispatch(models.Model):
    """One sealed extract of one § sent to one recipient; its delivery is ``mail`` in the outbox."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.PROTECT, related_name="dispatches")
    name = models.CharField(_("mottagare"), max_length=200)
    email = models.EmailField(_("e-post"))
    sha256 = models.CharField(_("utdragets SHA-256"), max_length=64)
    mail = models.OneToOneField(OutgoingMail, on_delete=models.PROTECT, related_name="dispatch")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("skickad av"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")

    def __str__(self) -> str:
        return f"§ {self.paragraph.number} till {self.name}"
