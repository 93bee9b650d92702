"""Justering (sign-off) rounds, their signatures, and rättelser of a justerat protokoll."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .meeting import Meeting
from .paragraph import Paragraph
from .reference import Person


class JusteringStatus(models.TextChoices):
    PAGAR = "pagar", _("Pågår")
    JUSTERAT = "justerat", _("Justerat")
    ATERSANT = "atersant", _("Återsänt")


class JusteringQuerySet(models.QuerySet):
    def waiting_for(self, person: Person) -> JusteringQuerySet:
        """Rounds under way in which ``person`` has yet to sign: what "Att justera (2)" counts."""
        return self.filter(
            status=JusteringStatus.PAGAR,
            signatures__person=person,
            signatures__status=SignatureStatus.PAGAR,
        ).distinct()


class Justering(models.Model):
    """One round of sign-off: of the whole protokoll, or (omedelbar justering) of some of its §§.

    Sending back ends the round; the secretary's next send starts a new one, so earlier rounds and
    their signatures stay as evidence.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="justeringar")
    immediate = models.BooleanField(_("omedelbar justering"), default=False)
    paragraphs = models.ManyToManyField(Paragraph, verbose_name=_("paragrafer"), blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=JusteringStatus.choices, default=JusteringStatus.PAGAR
    )
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    # The SHA-256 of the canonical content that every signature of a complete round covers.
    content_hash = models.CharField(_("innehållets SHA-256"), max_length=64, blank=True)
    returned_comment = models.TextField(_("kommentar vid återsändning"), blank=True, max_length=5000)
    returned_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = JusteringQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("justering")
        verbose_name_plural = _("justeringar")
        constraints = [
            # At most one round of the whole protokoll under way at a time.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(status=JusteringStatus.PAGAR, immediate=False),
                name="one_pending_full_justering",
            ),
        ]

    def __str__(self) -> str:
        kind = "Omedelbar justering" if self.immediate else "Justering"
        return f"{kind} av {self.meeting} ({self.get_status_display()})"

    @property
    def deadline(self) -> datetime.date:
        return self.meeting.justering_deadline


class SignerRole(models.TextChoices):
    ORDFORANDE = "ordforande", _("Ordförande")
    JUSTERARE = "justerare", _("Justerare")


class SignatureStatus(models.TextChoices):
    PAGAR = "pagar", _("Pågår")
    SIGNERAT = "signerat", _("Signerat")
    AVSLAGET = "avslaget", _("Avslaget")
    ATERKALLAT = "aterkallat", _("Återkallat")


# A signature that still counts or is still awaited; sending back and later changes void the others.
LIVE_SIGNATURE_STATUSES = (SignatureStatus.PAGAR, SignatureStatus.SIGNERAT)


class SignatureMethod(models.TextChoices):
    """How the signer showed who they were when signing."""

    LOSENORD = "losenord", _("Lösenord")
    E_LEGITIMATION = "e_legitimation", _("E-legitimation")


class Signature(models.Model):
    """One signer's part in a justering: who, in which role, when, and the hash of what they signed."""

    justering = models.ForeignKey(Justering, on_delete=models.PROTECT, related_name="signatures")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(_("roll"), max_length=20, choices=SignerRole.choices)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=SignatureStatus.choices, default=SignatureStatus.PAGAR
    )
    signed_at = models.DateTimeField(_("signerad"), null=True, blank=True)
    content_hash = models.CharField(_("signerat innehålls SHA-256"), max_length=64, blank=True)
    comment = models.TextField(_("kommentar"), blank=True, max_length=5000)
    method = models.CharField(_("legitimering"), max_length=20, choices=SignatureMethod.choices, blank=True)
    # With e-legitimation, the evidence of the fresh authentication the signature rests on. The
    # subject is the keyed hash of the identifying claim (never the claim: it may be a personnummer).
    eid_issuer = models.CharField(_("identitetsleverantör"), max_length=500, blank=True)
    eid_subject_hash = models.CharField(_("identifierarens nyckelhash"), max_length=64, blank=True)
    eid_auth_time = models.DateTimeField(_("legitimerad"), null=True, blank=True)
    eid_acr = models.CharField(_("tillitsnivå (acr)"), max_length=500, blank=True)
    eid_id_token_sha256 = models.CharField(_("ID-tokenets SHA-256"), max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        constraints = [
            models.UniqueConstraint(
                fields=["justering", "person"],
                condition=models.Q(status__in=list(LIVE_SIGNATURE_STATUSES)),
                name="one_live_signature_per_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}): {self.get_status_display()}"

    @property
    def with_eid(self) -> bool:
        """Given with e-legitimation, so carrying the evidence of that authentication."""
        return self.method == SignatureMethod.E_LEGITIMATION


class SignedContent(models.Model):
    """The canonical content (``meetings.export.canonical``) as it was when a round was sent or a
    signature given, by its SHA-256: so that a signer whose signature was voided can be shown exactly
    what changed since they signed. Stored once per distinct content; never changed."""

    sha256 = models.CharField(max_length=64, unique=True)
    content = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signerat innehåll")
        verbose_name_plural = _("signerat innehåll")

    def __str__(self) -> str:
        return self.sha256[:12]


class Correction(models.Model):
    """A rättelse of a justerat protokoll: who, when, what changed and why (JO 581-2013).

    Corrections never replace text silently: each is listed in the protokoll and its PDFs.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="corrections")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    field_label = models.CharField(_("vad som ändrats"), max_length=200)
    old_text = models.TextField(_("före"))
    new_text = models.TextField(_("efter"))
    reason = models.TextField(_("skäl"), max_length=5000)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("rättad"), auto_now_add=True)

    class Meta:
        ordering = ["made_at", "id"]
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")

    def __str__(self) -> str:
        return f"Rättelse {self.made_at:%Y-%m-%d}: {self.field_label}"


class PasswordFailure(models.Model):
    """A failed re-authentication when signing; counted in the database so that the limit holds
    across all app servers."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("misslyckad inloggning")
        verbose_name_plural = _("misslyckade inloggningar")

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"
