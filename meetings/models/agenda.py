"""Before the meeting: the föredragningslista (agenda), the kallelse sent to members and ersättare,
and the public notice of a fullmäktige meeting. Named as in OParl 1.1 where it fits.

- ``StandingItem``: an organ's standing agenda items ("Val av justerare", …), the template every new
  föredragningslista starts from.
- ``AgendaItem``: one point of a meeting's agenda (OParl AgendaItem). An item with a ``paper`` is
  that ärende's handling at this meeting (its OParl Consultation: ``paper.consultations``); an item
  without is free ("Informationsärenden"). ``paragraph`` is the § made from it.
- ``Kallelse``: one sending of the kallelse, with whom it reached and who had no e-mail address.
- ``MeetingNotice``: the notice of a fullmäktige meeting on the anslagstavla (KL 5 kap. 13 §).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .meeting import Meeting
from .paper import Paper
from .paragraph import Paragraph
from .reference import Organ, OrganKind


class StandingItem(models.Model):
    """One of the organ's standing agenda items, from its reglemente or practice."""

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="standing_items")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("rubrik"), max_length=300)
    proposal = models.TextField(_("förslag till beslut"), blank=True, max_length=5000)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("stående punkt")
        verbose_name_plural = _("stående punkter")

    def __str__(self) -> str:
        return self.name


# What a new organ's föredragningslista starts with until its secretary says otherwise (practice:
# DOMAIN.md, "Before the meeting").
DEFAULT_STANDING_ITEMS = (
    ("Upprop", ""),
    ("Val av justerare och tid för justering", ""),
    ("Godkännande av dagordningen", "att godkänna dagordningen."),
    ("Informationsärenden", "att lägga informationen till handlingarna."),
    ("Anmälan av delegationsbeslut", "att lägga anmälan av delegationsbesluten till handlingarna."),
)


class AgendaItem(models.Model):
    """A point on the föredragningslista. ``name`` and ``proposal`` are copied from the ärende (or
    the standing item) when the point is added and may then be edited for this meeting; the Dnr
    and the handlingar are always the ärende's own."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(_("ordning"), default=0)
    name = models.CharField(_("rubrik"), max_length=300)
    paper = models.ForeignKey(
        Paper,
        verbose_name=_("ärende"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    proposal = models.TextField(_("förslag till beslut"), blank=True, max_length=20000)
    public = models.BooleanField(
        _("offentlig"),
        default=True,
        help_text="Behandlas i offentligt sammanträde och visas i tillkännagivandet. Av för ärenden med sekretess.",
    )
    paragraph = models.OneToOneField(
        Paragraph, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_item", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("punkt på föredragningslistan")
        verbose_name_plural = _("föredragningslista")

    def __str__(self) -> str:
        return self.name

    @property
    def reference(self) -> str:
        """The ärende's Dnr, or empty for a free item (``paper`` must be loaded)."""
        return self.paper.reference if self.paper_id else ""


class Kallelse(models.Model):
    """One sending of a meeting's kallelse by e-mail. ``recipients`` are those it was sent to
    (name, e-mail, role), ``missing`` the names of those without an e-mail address, so the
    secretary can call them another way (KL 5 kap. 15 §, 6 kap. 17 §: everyone must be called)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="kallelser")
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recipients = models.JSONField(_("mottagare"), default=list)
    missing = models.JSONField(_("saknar e-postadress"), default=list)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("kallelse")
        verbose_name_plural = _("kallelser")

    def __str__(self) -> str:
        return f"Kallelse {self.meeting} ({self.sent_at:%Y-%m-%d})"


class MeetingNoticeQuerySet(models.QuerySet):
    def published(self, today: datetime.date) -> MeetingNoticeQuerySet:
        """Notices the public may see: of fullmäktige meetings (a nämnd meets behind closed doors,
        KL 6 kap. 25 §), put up on or before today. The one rule for every anonymous page and the
        public handlingar they list (``FileQuerySet.published``)."""
        return self.filter(posted_on__lte=today, meeting__organ__kind=OrganKind.FULLMAKTIGE)

    def current(self, today: datetime.date) -> MeetingNoticeQuerySet:
        """On the board today: put up, and the meeting not yet held."""
        return self.published(today).filter(meeting__date__gte=today)


def noticed_paper_condition(today: datetime.date, paper: str = "pk") -> Q:
    """Whether an ärende stands in an open item of a posted notice of a fullmäktige meeting (KL 5 kap.
    13 §): what makes it and its public handlingar public before any protokoll. ``paper`` names the
    ärende's id in the query the condition is used in."""
    noticed = AgendaItem.objects.filter(
        public=True, paper__isnull=False, meeting__notice__in=MeetingNotice.objects.published(today)
    )
    return Q(**{f"{paper}__in": noticed.values("paper_id")})


class MeetingNotice(models.Model):
    """The notice of a fullmäktige meeting on the anslagstavla: time, place and the ärenden, at
    least a week before the meeting day (KL 5 kap. 13 §; ``meetings.dates.notice_deadline``). The
    ärenden shown are the agenda's open items at the time of reading, so a later addition (KL 5 kap.
    14 §) is announced too."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="notice")
    posted_on = models.DateField(_("datum då tillkännagivandet sätts upp"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingNoticeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-posted_on", "-id"]
        verbose_name = _("tillkännagivande av sammanträde")
        verbose_name_plural = _("tillkännagivanden av sammanträden")

    def __str__(self) -> str:
        return f"Tillkännagivande {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("public_notice", args=[self.pk])
