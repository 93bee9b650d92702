"""Reference data: the organs, parties, persons and their memberships (seats) in organs."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganKind(models.TextChoices):
    """What kind of body an organ is; the law treats fullmäktige apart (KL 5 kap. against 6 kap.)."""

    FULLMAKTIGE = "fullmaktige", _("Fullmäktige")
    STYRELSE = "styrelse", _("Kommunstyrelse")
    NAMND = "namnd", _("Nämnd")
    UTSKOTT = "utskott", _("Utskott")


# Fullmäktige: every ledamot and ersättare is called at least a week before (KL 5 kap. 15 §).
FULLMAKTIGE_KALLELSE_DAYS = 7


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
    kind = models.CharField(_("typ av organ"), max_length=20, choices=OrganKind.choices, default=OrganKind.NAMND)
    kallelse_days = models.PositiveSmallIntegerField(
        _("kallelse senast (dagar före sammanträdet)"),
        default=FULLMAKTIGE_KALLELSE_DAYS,
        validators=[MaxValueValidator(60)],
        help_text="Enligt reglementet. För fullmäktige minst sju dagar (kommunallagen 5 kap. 15 §).",
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
    # When the row was made and last changed: the open-data API's created and modified.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organ")
        verbose_name_plural = _("organ")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.is_fullmaktige and self.kallelse_days < FULLMAKTIGE_KALLELSE_DAYS:
            message = "Fullmäktige ska kallas minst en vecka före sammanträdet (kommunallagen 5 kap. 15 §)."
            raise ValidationError({"kallelse_days": message})

    @property
    def is_fullmaktige(self) -> bool:
        return self.kind == OrganKind.FULLMAKTIGE

    @property
    def decision_intro(self) -> str:
        """The line that opens every Beslut: "Kommunstyrelsens arbetsutskott beslutar"."""
        return f"{self.name} beslutar"


class Party(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    abbreviation = models.CharField(_("förkortning"), max_length=10, unique=True)
    # When the row was made and last changed: the open-data API's created and modified.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("parti")
        verbose_name_plural = _("partier")

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})"


class Person(models.Model):
    """A politician, an official or a guest. A person who signs or writes protokoll has a user.

    ``party`` is the person's party now (shown to tell people apart, and the default of a new
    membership); a membership keeps the party the person sat for in that organ.
    """

    name = models.CharField(_("namn"), max_length=200)
    party = models.ForeignKey(
        Party, verbose_name=_("parti"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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
    # When the row was made and last changed: the open-data API's created and modified.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """ "Mikael Rubin (M)", "Eva-Lotta Kittel, Kommunsekreterare": the name with what tells
        people of the same name apart (reads ``party`` when it is selected)."""
        if self.party_id:
            return f"{self.name} ({self.party.abbreviation})"
        extra = ", ".join(part for part in (self.title, self.organisation) if part)
        return f"{self.name}, {extra}" if extra else self.name


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
    # When the row was made and last changed: the open-data API's created and modified.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
