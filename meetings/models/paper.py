"""Ärenden and their documents, named as in OParl 1.1 so that the open-data API is a mapping.

- ``Paper``: an ärende (case) in the diarium, with its Dnr (OParl ``reference``), its rubrik
  (``name``), the handläggare and the förslag till beslut.
- ``File``: one document. Either a handling of an ärende (``paper``, OParl Paper.auxiliaryFile) or a
  bilaga of a § (``paragraph``, OParl AgendaItem.auxiliaryFile). The bytes live in Django's default
  storage under their SHA-256 (``meetings.services.papers`` stores them); what may be uploaded is
  decided by ``meetings.uploads``.

Who may read a file: ``meetings.access.readable_files`` for staff, ``FileQuerySet.published`` for
the public, the one rule behind every public page, download and (later) the API.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .paragraph import Paragraph
from .publishing import published_paragraph_condition
from .reference import Organ, Person


class Paper(models.Model):
    """An ärende (OParl Paper): registered in the diarium with a Dnr; its handläggare writes a
    tjänsteskrivelse with a förslag till beslut, and its handlingar are the ``files``.

    The secretaries of ``organ`` keep it. It reaches a meeting as an agenda item
    (``AgendaItem.paper``; those items are its OParl consultations).
    """

    organ = models.ForeignKey(Organ, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="papers")
    reference = models.CharField(_("Dnr"), max_length=50, blank=True, help_text="T.ex. KS 2026/123")
    name = models.CharField(_("rubrik"), max_length=300)
    date = models.DateField(_("datum"), default=timezone.localdate)
    case_officer = models.ForeignKey(
        Person, verbose_name=_("handläggare"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.TextField(_("kort beskrivning"), blank=True, max_length=20000)
    proposal = models.TextField(
        _("förslag till beslut"), blank=True, max_length=20000, help_text="En att-sats per rad: ”att …”."
    )
    # Optimistic locking, as for meetings (meetings.services.drafting.claim_row_version).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "reference"],
                condition=~Q(reference=""),
                name="paper_reference_unique_per_organ",
                violation_error_message="Det finns redan ett ärende med det diarienumret.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}" if self.reference else self.name

    def get_absolute_url(self) -> str:
        return reverse("paper_detail", args=[self.pk])


class PersonnummerScan(models.TextChoices):
    """What the search for personnummer in an uploaded file's text found."""

    NONE_FOUND = "none", _("Inga personnummer hittades")
    FOUND = "found", _("Innehåller personnummer")
    UNREADABLE = "unreadable", _("Texten kunde inte läsas")
    NO_TEXT = "no_text", _("Filtypen har ingen text att söka i")


class FileQuerySet(models.QuerySet):
    def published(self, today: datetime.date) -> FileQuerySet:
        """The files the public may download: marked public, and published through

        - a posted anslag of the protokoll that holds the § (a bilaga; never of a § under sekretess,
          and of an omedelbar justering only its own §§), or
        - a posted notice of a fullmäktige meeting whose agenda holds the ärende in an open item
          (a handling; KL 5 kap. 13 §).

        The one rule for every anonymous page, download and the open-data API.
        """
        return self.filter(public=True).filter(published_container_condition(today))


def published_container_condition(today: datetime.date) -> Q:
    """Whether a file's § or ärende is published (``FileQuerySet.published`` without the file's own
    ``public``): a bilaga of a published § not under sekretess, or a handling of an ärende in an open
    item of a posted notice. Also asked of the files' history (``meetings.public.withdrawn_files``)."""
    from .agenda import noticed_paper_condition

    bilaga = Q(paragraph__isnull=False, paragraph__secret=False) & published_paragraph_condition(
        today, paragraph="paragraph_id", meeting="paragraph__meeting_id"
    )
    handling = Q(paper__isnull=False) & noticed_paper_condition(today, paper="paper_id")
    return bilaga | handling


class File(models.Model):
    """A document (OParl File): a handling of an ärende or a bilaga of a §, never both.

    ``content`` is named by the SHA-256 of the bytes, never by the uploaded name; ``mime_type`` and
    ``size`` were found from the content when it was uploaded (``meetings.uploads``).
    """

    paper = models.ForeignKey(
        Paper, verbose_name=_("ärende"), on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("paragraf"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("titel"), max_length=300)
    file_name = models.CharField(_("filnamn"), max_length=255)
    mime_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.FileField(_("fil"), max_length=300)
    public = models.BooleanField(
        _("offentlig"), default=False, help_text="Får visas för allmänheten (på anslagstavlan)."
    )
    personnummer_scan = models.CharField(
        _("sökning efter personnummer"), max_length=20, choices=PersonnummerScan.choices, editable=False
    )
    date = models.DateField(_("datum"), default=timezone.localdate)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FileQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")
        constraints = [
            models.CheckConstraint(
                condition=Q(paper__isnull=False, paragraph__isnull=True)
                | Q(paper__isnull=True, paragraph__isnull=False),
                name="file_belongs_to_paper_or_paragraph",
                violation_error_message="En handling hör till ett ärende eller en paragraf.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def personnummer_found(self) -> bool:
        return self.personnummer_scan == PersonnummerScan.FOUND

    @property
    def warns_personnummer(self) -> bool:
        """Public and with a personnummer in its text: the secretary should look before publishing."""
        return self.public and self.personnummer_found

    @property
    def size_label(self) -> str:
        """ "840 kB", "2,4 MB": for lists of handlingar."""
        if self.size < 1024 * 1024:
            return f"{max(1, round(self.size / 1024))} kB"
        return f"{self.size / (1024 * 1024):.1f} MB".replace(".", ",")

    @property
    def type_label(self) -> str:
        from ..uploads import type_label

        return type_label(self.mime_type)
