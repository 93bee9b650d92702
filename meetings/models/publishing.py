"""Publishing: the anslag on the digital anslagstavla, the public text for search, issued PDFs."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .justering import Justering
from .meeting import Meeting
from .paragraph import Paragraph
from .reference import Organ


class AnslagQuerySet(models.QuerySet):
    def published(self, today: datetime.date) -> AnslagQuerySet:
        """Everything the public may see: posted on or before today. The one rule for every
        anonymous page, PDF, feed and search."""
        return self.filter(posted_on__lte=today)

    def current(self, today: datetime.date) -> AnslagQuerySet:
        """On the board today: posted and not yet taken down (the take-down day itself is off)."""
        return self.filter(posted_on__lte=today, take_down_on__gt=today)

    def archived(self, today: datetime.date) -> AnslagQuerySet:
        return self.filter(take_down_on__lte=today)


def published_paragraph_condition(today: datetime.date, paragraph: str = "pk", meeting: str = "meeting_id") -> Q:
    """The one rule for a § the public may read (its text, or for a § under sekretess only that it is
    there): the anslag of its whole protokoll is posted, or that of the omedelbar justering that
    holds it (KL 8 kap. 12 §). ``paragraph`` and ``meeting`` name the §'s id and its meeting's id in
    the query the condition is used in (a §, a bilaga, an agenda item).

    Written as two IN subqueries, which PostgreSQL hashes once per query; correlated EXISTS made it
    estimate a per-row plan for 100,000 §§ and spend a second compiling it (JIT)."""
    published = Anslag.objects.published(today)
    whole = published.filter(justering__immediate=False).values("meeting_id")
    immediate = published.filter(justering__immediate=True, justering__paragraphs__isnull=False)
    return Q(**{f"{meeting}__in": whole}) | Q(**{f"{paragraph}__in": immediate.values("justering__paragraphs")})


class Anslag(models.Model):
    """The notice on the digital anslagstavla that a protokoll (or its omedelbart justerade §§) is
    justerat (KL 8 kap. 12 §). Its dates are fixed when it is posted; see meetings.dates."""

    justering = models.OneToOneField(Justering, on_delete=models.PROTECT, related_name="anslag")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="anslag")
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="anslag")
    paragraphs_label = models.CharField(_("paragrafer"), max_length=200)
    justerat_on = models.DateField(_("datum för justering"))
    posted_on = models.DateField(_("datum då anslaget sätts upp"))
    appeal_until = models.DateField(_("sista dag för överklagande"))
    # The §§ open to laglighetsprövning ("§§ 311, 313"), whose appeal time appeal_until is; empty when
    # none is (every § förvaltningsbesvär or not appealable). Fixed with the anslag.
    appeal_label = models.CharField(_("paragrafer som kan laglighetsprövas"), max_length=200, blank=True)
    take_down_on = models.DateField(_("datum då anslaget tas ned"))
    storage_location = models.CharField(_("förvaringsplats för protokollet"), max_length=200)
    secretary_name = models.CharField(_("sekreterare"), max_length=200, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The public version as the posting task stored it (meetings.services.documents): the HTML of the
    # protokoll and the sealed PDF, by their names in the default storage. ``public_revision`` counts
    # the changes of the public text (posting, each rättelse); ``rendered_revision`` is the one the
    # stored files show, so a task that finishes late never replaces a newer version.
    public_revision = models.PositiveIntegerField(default=1, editable=False)
    rendered_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    public_html_name = models.CharField(max_length=300, blank=True, editable=False)
    public_pdf_name = models.CharField(max_length=300, blank=True, editable=False)
    public_rendered_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AnslagQuerySet.as_manager()
    # The rendering bookkeeping is no part of the anslag's story.
    history = HistoricalRecords(
        excluded_fields=[
            "public_revision",
            "rendered_revision",
            "public_html_name",
            "public_pdf_name",
            "public_rendered_at",
        ]
    )

    class Meta:
        ordering = ["-posted_on", "-id"]
        verbose_name = _("anslag")
        verbose_name_plural = _("anslag")
        indexes = [
            models.Index(fields=["take_down_on", "posted_on"], name="anslag_board_idx"),
            models.Index(fields=["organ", "posted_on"], name="anslag_archive_idx"),
            models.Index(fields=["posted_on", "id"], name="anslag_posted_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(take_down_on__gt=models.F("appeal_until")),
                name="anslag_not_down_before_appeal_time",
                violation_error_message="Anslaget får inte tas ned innan överklagandetiden har gått ut.",
            ),
        ]

    def __str__(self) -> str:
        return f"Anslag {self.organ.short_name} {self.meeting.date:%Y-%m-%d} ({self.paragraphs_label})"

    def get_absolute_url(self) -> str:
        return reverse("public_anslag", args=[self.pk])

    @property
    def public_version_stored(self) -> bool:
        """Whether the public version of the current text is stored: after a rättelse the version
        stored before it no longer counts (JO 2571-1999: no silently outdated pages)."""
        return bool(self.public_html_name and self.public_pdf_name and self.rendered_revision == self.public_revision)


class PublicParagraph(models.Model):
    """The public text of one posted §, written when the anslag is posted: personnummer masked, and
    never for a § under sekretess. Search reads only this table, so it cannot find what is not
    public. ``search_vector`` is filled on PostgreSQL (Swedish configuration, GIN index)."""

    anslag = models.ForeignKey(Anslag, on_delete=models.CASCADE, related_name="public_paragraphs")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    dnr = models.CharField(max_length=50, blank=True)
    text = models.TextField()
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["anslag", "number"]
        verbose_name = _("publicerad paragraf")
        verbose_name_plural = _("publicerade paragrafer")

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"


class IssuedPdf(models.Model):
    """A sealed PDF this system issued, by the SHA-256 of its bytes: what the verification page
    looks up."""

    class Variant(models.TextChoices):
        PROTOKOLL = "protokoll", _("Protokoll")
        UTDRAG = "utdrag", _("Protokollsutdrag")
        PUBLIC = "public", _("Publicerad version")

    justering = models.ForeignKey(Justering, on_delete=models.PROTECT, related_name="issued_pdfs")
    variant = models.CharField(max_length=20, choices=Variant.choices)
    numbers = models.CharField(_("paragrafer"), max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, unique=True)
    storage_name = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("utfärdad PDF")
        verbose_name_plural = _("utfärdade PDF:er")

    def __str__(self) -> str:
        return f"{self.get_variant_display()} {self.sha256[:12]}"


class PublicationGeneration(models.Model):
    """One row: a number that grows whenever what the public lists may show changes (an anslag is
    posted, a rättelse, archiving). Cached public pages are keyed by it (meetings.publication), so
    every app server sees a change at once, whatever its cache."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("publiceringsgeneration")
        verbose_name_plural = _("publiceringsgenerationer")

    def __str__(self) -> str:
        return str(self.value)


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Köad")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class RenderRequest(models.Model):
    """A document a task has been asked to render (a final PDF, or an anslag's public version), kept
    in the database rather than a cache: every app server sees that it is queued (and queues it only
    once), the periodic run finds a render that was lost with its worker or failed, and staff are
    told when it cannot be made.

    ``key`` names what is rendered: ``pdf:<stored name>`` (the name is a hash of what decides the
    bytes) or ``public:<anslag>:<public revision>``.
    """

    key = models.CharField(max_length=300, unique=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    numbers = models.JSONField(null=True, blank=True)
    anslag = models.ForeignKey(Anslag, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("beställd rendering")
        verbose_name_plural = _("beställda renderingar")
        indexes = [models.Index(fields=["status", "requested_at"], name="render_due_idx")]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_status_display()})"
