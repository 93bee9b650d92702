"""Reference data: the organs, parties, persons and their memberships (seats) in organs."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organ(models.Model):
    """A deciding body: Kommunfullmäktige, Kommunstyrelsen, an arbetsutskott, a nämnd."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=20, unique=True, help_text="T.ex. KSAU")
    diarium_prefix = models.CharField(_("diarieprefix"), max_length=20, help_text="T.ex. KS")
    storage_location = models.CharField(
        _("förvaringsplats"), max_length=200, help_text="Där det justerade protokollet förvaras."
    )
    justerare_count = models.PositiveSmallIntegerField(
        _("antal justerare"),
        default=1,
        choices=[(1, "1"), (2, "2")],
    )
    dnr_required = models.BooleanField(
        _("diarienummer krävs på varje paragraf"),
        default=False,
    )
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sekreterare"),
        related_name="secretary_of",
        blank=True,
        help_text="Användare som skriver och redigerar organets protokoll.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organ")
        verbose_name_plural = _("organ")

    def __str__(self) -> str:
        return self.name

    @property
    def decision_intro(self) -> str:
        """The line that opens every Beslut: "Kommunstyrelsens arbetsutskott beslutar"."""
        return f"{self.name} beslutar"


class Party(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    abbreviation = models.CharField(_("förkortning"), max_length=10, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("parti")
        verbose_name_plural = _("partier")

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})"


class Person(models.Model):
    """A politician, an official or a guest. A person who signs or writes protokoll has a user."""

    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    ORDFORANDE = "ordforande", _("Ordförande")
    VICE_ORDFORANDE = "vice_ordforande", _("Vice ordförande")
    LEDAMOT = "ledamot", _("Ledamot")
    ERSATTARE = "ersattare", _("Ersättare")


class MembershipQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> MembershipQuerySet:
        return self.filter(start__lte=day).filter(models.Q(end__isnull=True) | models.Q(end__gte=day))


class Membership(models.Model):
    """A person's seat in an organ over a period (end is inclusive; open-ended when empty)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships")
    organ = models.ForeignKey(Organ, verbose_name=_("organ"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("roll"), max_length=20, choices=MembershipRole.choices)
    party = models.ForeignKey(Party, verbose_name=_("parti"), on_delete=models.PROTECT, null=True, blank=True)
    start = models.DateField(_("från"))
    end = models.DateField(_("till och med"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organ", "role", "person__name"]
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="membership_end_after_start",
                violation_error_message="Slutdatum får inte vara före startdatum.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}, {self.organ.short_name}"

    @property
    def is_voting_member(self) -> bool:
        return self.role != MembershipRole.ERSATTARE
