"""E-legitimation through the municipality's OpenID Connect provider: which person an identity
belongs to, and the step-up authentications that signatures rest on.

The claim that identifies a person may be a personnummer, so it is never stored: only its keyed hash
(HMAC-SHA256 with the secret ``OIDC_SUBJECT_SALT``, ``Identity.hash_identifier``).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .justering import Justering
from .reference import Person


class Identity(models.Model):
    """A person's e-legitimation at one identity provider, registered by an administrator.

    Registering it is what allows the person to log in with it: on the first login a user account is
    created for a person who has none. Nobody else is let in.
    """

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="identities")
    issuer = models.CharField(_("identitetsleverantör (issuer)"), max_length=500)
    subject_hash = models.CharField(_("identifierarens nyckelhash"), max_length=64)
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_login_at = models.DateTimeField(_("senast inloggad"), null=True, blank=True)

    class Meta:
        ordering = ["person__name", "id"]
        verbose_name = _("e-legitimation")
        verbose_name_plural = _("e-legitimationer")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject_hash"], name="one_person_per_identity"),
        ]

    def __str__(self) -> str:
        return f"{self.person} hos {self.issuer}"

    @staticmethod
    def hash_identifier(value: str) -> str:
        """The keyed hash (HMAC-SHA256) under which an identifier is stored and compared.

        The key keeps a personnummer from being found by hashing every possible one. In DEBUG without
        ``OIDC_SUBJECT_SALT`` the secret key stands in (the settings refuse that in production).
        """
        key = (settings.OIDC_SUBJECT_SALT or settings.SECRET_KEY).encode()
        return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class SigningRequestOutcome(models.TextChoices):
    SIGNERAT = "signerat", _("Signerat")
    NEKAT = "nekat", _("Nekat")


class SigningRequest(models.Model):
    """One trip to the identity provider to sign one justering: what the signer saw (the content
    hash), the ``state`` and ``nonce`` that bind the provider's answer to it, and how it ended.

    Each state is used once: a second answer with the same state is refused as a replay.
    """

    state = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=64)
    code_verifier = models.CharField(max_length=128)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    justering = models.ForeignKey(Justering, on_delete=models.CASCADE, related_name="signing_requests")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    content_hash = models.CharField(_("innehållets SHA-256 som signeraren såg"), max_length=64)
    created_at = models.DateTimeField(_("skickad till e-legitimationen"), auto_now_add=True)
    finished_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    outcome = models.CharField(_("utfall"), max_length=20, choices=SigningRequestOutcome.choices, blank=True)
    reason = models.TextField(_("skäl"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signering med e-legitimation")
        verbose_name_plural = _("signeringar med e-legitimation")

    def __str__(self) -> str:
        return f"{self.person} {self.created_at:%Y-%m-%d %H:%M} {self.get_outcome_display() or 'pågår'}"
