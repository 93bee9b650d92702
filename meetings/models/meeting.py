"""A meeting (sammanträde) of an organ, its status, and who attended it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import dates
from .reference import Organ, Party, Person

if TYPE_CHECKING:
    from .paragraph import Paragraph


class MeetingStatus(models.TextChoices):
    UTKAST = "utkast", _("Utkast")
    UNDER_JUSTERING = "under_justering", _("Under justering")
    ATERSANT = "atersant", _("Återsänt")
    JUSTERAT = "justerat", _("Justerat")
    ANSLAGET = "anslaget", _("Anslaget")
    ARKIVERAT = "arkiverat", _("Arkiverat")


# The status sets, one per meaning; every module uses these instead of listing statuses itself.
# The secretary writes in these.
EDITABLE_STATUSES = frozenset({MeetingStatus.UTKAST, MeetingStatus.ATERSANT})
# Content cannot change (meetings.locking): under justering, or final.
LOCKED_STATUSES = frozenset(set(MeetingStatus) - EDITABLE_STATUSES)
# Justerat: the text is final; later changes only by a recorded rättelse, PDFs can be stored.
FINAL_STATUSES = frozenset({MeetingStatus.JUSTERAT, MeetingStatus.ANSLAGET, MeetingStatus.ARKIVERAT})
# Not justerat yet: documents carry the draft mark.
DRAFT_STATUSES = frozenset(set(MeetingStatus) - FINAL_STATUSES)

# The meeting's identity: what an omedelbar justering fixes besides its §§ (its signatures cover
# these, meetings.export.canonical), so that meetings.locking keeps them unchanged once such a round is
# complete. The rest of the front page (attendance, the planned justering) belongs to the protokoll
# that is still being written.
IDENTITY_FIELDS = (
    "organ",
    "date",
    "start_time",
    "end_time",
    "place",
    "diarienummer",
    "chair",
    "justerare_1",
    "justerare_2",
)


class Meeting(models.Model):
    """One sammanträde of an organ and its protokoll."""

    organ = models.ForeignKey(Organ, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"))
    end_time = models.TimeField(_("sluttid"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200)
    diarienummer = models.CharField(_("mötets diarienummer"), max_length=50, blank=True)
    secretary = models.ForeignKey(
        Person,
        verbose_name=_("sekreterare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chair = models.ForeignKey(
        Person,
        verbose_name=_("ordförande"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    justerare_1 = models.ForeignKey(
        Person,
        verbose_name=_("justerare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    justerare_2 = models.ForeignKey(
        Person,
        verbose_name=_("andra justerare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    justering_place = models.CharField(_("justeringens plats"), max_length=200, blank=True)
    justering_date = models.DateField(_("justeringens datum"), null=True, blank=True)
    justering_time = models.TimeField(_("justeringens tid"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.UTKAST)
    justerat_at = models.DateTimeField(_("justerat"), null=True, blank=True, editable=False)
    # Optimistic locking: every save through the UI increments it; a form carries the version it
    # was loaded with and a save with an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        indexes = [models.Index(fields=["organ", "date"])]

    def __str__(self) -> str:
        return f"{self.organ.short_name} {self.date.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.pk])

    def clean(self) -> None:
        if self.end_time and self.start_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": "Sluttiden måste vara efter starttiden."})
        if self.justerare_1_id and self.justerare_1_id == self.justerare_2_id:
            raise ValidationError({"justerare_2": "Samma person kan inte vara justerare två gånger."})

    @property
    def justerare(self) -> list[Person]:
        return [p for p in (self.justerare_1, self.justerare_2) if p is not None]

    @property
    def place_and_time(self) -> str:
        """ "Sessionssalen kl. 13.30–14.15", as on the front page."""
        start = self.start_time.strftime("%H.%M")
        if self.end_time:
            return f"{self.place} kl. {start}–{self.end_time.strftime('%H.%M')}"
        return f"{self.place} kl. {start}"

    def sessions_text(self, adjournments: list[Adjournment]) -> str:
        """ "Sessionssalen kl. 13.30–15.00, 15.20–17.00": the place and the times between the
        ajourneringar (``adjournments`` in order), as the front page's "Plats och tid"."""
        if not adjournments:
            return self.place_and_time
        times, start = [], self.start_time
        for pause in adjournments:
            times.append(f"{start:%H.%M}–{pause.starts:%H.%M}")
            start = pause.ends
            if start is None:
                break
        if start is not None:
            times.append(f"{start:%H.%M}" + (f"–{self.end_time:%H.%M}" if self.end_time else ""))
        return f"{self.place} kl. {', '.join(times)}"

    def headcount(self) -> dict[str, int]:
        """How many people (not rows: a deputy who also served is one person) were there, and how
        many were absent without being there in another row. From the prefetched attendances."""
        rows = list(self.attendances.all())
        present = {a.person_id for a in rows if not a.absent}
        return {"present": len(present), "absent": len({a.person_id for a in rows if a.absent} - present)}

    @property
    def justering_deadline(self) -> datetime.date:
        return dates.justering_deadline(self.date)

    @property
    def kallelse_deadline(self) -> datetime.date:
        return dates.kallelse_deadline(self.date, self.organ.kallelse_days, self.organ.is_fullmaktige)

    @property
    def notice_deadline(self) -> datetime.date | None:
        """The last day to announce the meeting on the anslagstavla; only fullmäktige must."""
        return dates.notice_deadline(self.date) if self.organ.is_fullmaktige else None

    def may_be_corrected(self, paragraphs: list[Paragraph] | None = None) -> bool:
        """Whether a rättelse is the way to change this protokoll: it is justerat, or some of its §§
        were omedelbart justerade. Pass ``paragraphs`` when they are loaded already."""
        if self.status in FINAL_STATUSES:
            return True
        if paragraphs is not None:
            return any(p.justerad_at for p in paragraphs)
        return self.paragraphs.filter(justerad_at__isnull=False).exists()

    def present_at(self, paragraph: Paragraph) -> list[Attendance]:
        """Everyone there at ``paragraph`` (from the prefetched attendances when they are there)."""
        return [a for a in self.attendances.all() if a.present_at(paragraph, {p.pk for p in a.paragraphs.all()})]

    def serving_at(self, paragraph: Paragraph, present: list[Attendance] | None = None) -> list[Attendance]:
        """Beslutande present at the § who are not replaced by a serving deputy there, and the
        deputies serving at the § (before jäv)."""
        present = self.present_at(paragraph) if present is None else present
        replaced = {a.replaces_id for a in present if a.kind == AttendanceKind.TJANSTGORANDE_ERSATTARE}
        return [
            a
            for a in present
            if (a.kind == AttendanceKind.BESLUTANDE and a.person_id not in replaced)
            or a.kind == AttendanceKind.TJANSTGORANDE_ERSATTARE
        ]

    def voters_for(self, paragraph: Paragraph) -> list[Attendance]:
        """Those entitled to vote on ``paragraph``, in attendance order.

        Those serving at the § minus anyone with jäv (KL 6 kap. 28 §); a substitute named in a jäv
        entry serves in the jävig member's place. Takes the meeting's attendances and the
        paragraph's recusals from prefetches when they are there.
        """
        recusals = list(paragraph.recusals.all())
        recused = {r.person_id for r in recusals}
        present = self.present_at(paragraph)
        voters = self.serving_at(paragraph, present)
        voter_ids = {a.person_id for a in voters}
        by_person = {a.person_id: a for a in present}
        for recusal in recusals:
            sub = by_person.get(recusal.substitute_id)
            if sub is not None and sub.person_id not in voter_ids:
                voters.append(sub)
                voter_ids.add(sub.person_id)
        return [a for a in voters if a.person_id not in recused]

    def people_at(self, paragraph: Paragraph) -> dict[str, list[Attendance]]:
        """Who can be named in each section of ``paragraph`` (DOMAIN.md, "Rules of attendance").

        - present: everyone there at the § (protokollsanteckningar);
        - serving: members and deputies serving at the §, before jäv (who can have jäv);
        - deputies: ersättare there who do not serve already (who can take a jävig member's place);
        - voters: those who take part in the decision, i.e. serving minus jäv plus the jäv
          substitutes (yrkanden, reservationer: only those who took part in a decision can reserve
          themselves).
        """
        present = self.present_at(paragraph)
        serving = self.serving_at(paragraph, present)
        serving_ids = {a.person_id for a in serving}
        return {
            "present": present,
            "serving": serving,
            "deputies": [a for a in present if a.kind == AttendanceKind.ERSATTARE and a.person_id not in serving_ids],
            "voters": self.voters_for(paragraph),
        }


class Adjournment(models.Model):
    """An ajournering: the meeting paused from ``starts`` to ``ends``, after § ``after_number``.

    The front page prints the sessions between them ("kl. 13.30–15.00, 15.20–17.00") and each pause.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="adjournments")
    starts = models.TimeField(_("ajournering från kl."))
    ends = models.TimeField(_("till kl."), null=True, blank=True)
    after_number = models.PositiveIntegerField(_("efter §"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts", "id"]
        verbose_name = _("ajournering")
        verbose_name_plural = _("ajourneringar")

    def __str__(self) -> str:
        return f"Ajournering {self.text}"

    def clean(self) -> None:
        if self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": "Ajourneringen måste sluta efter att den börjat."})

    @property
    def text(self) -> str:
        """ "kl. 15.00–15.20 efter § 312" """
        span = f"kl. {self.starts:%H.%M}" + (f"–{self.ends:%H.%M}" if self.ends else "")
        return f"{span} efter § {self.after_number}" if self.after_number else span


class AttendanceKind(models.TextChoices):
    BESLUTANDE = "beslutande", _("Beslutande")
    TJANSTGORANDE_ERSATTARE = "tjanstgorande_ersattare", _("Tjänstgörande ersättare")
    ERSATTARE = "ersattare", _("Ersättare")
    OVRIG = "ovrig", _("Övriga")


# Attendances that take part in decisions; a plain ersättare attends without serving.
SERVING_KINDS = frozenset({AttendanceKind.BESLUTANDE, AttendanceKind.TJANSTGORANDE_ERSATTARE})


class Attendance(models.Model):
    """A person's presence at a meeting.

    ``paragraphs`` empty means the whole meeting; otherwise the person was present (or, for a
    tjänstgörande ersättare, served) only at those §§. Numbers of §§ that do not exist yet are kept
    in ``pending_numbers`` and join ``paragraphs`` when the § is created (``Paragraph.save``), so a
    row can be written during the meeting before its §§ are.

    Arrival and departure are by § number (``from_number``, ``to_number``: present from that §, up to
    and including that §), which holds for §§ created later too, and may carry the time
    (``arrived_at``, ``left_at``) as the front page prints it.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("typ"), max_length=30, choices=AttendanceKind.choices)
    party = models.ForeignKey(
        Party, verbose_name=_("parti"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("roll"), max_length=100, blank=True, help_text="T.ex. Ordförande")
    title = models.CharField(_("titel"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    replaces = models.ForeignKey(
        Person,
        verbose_name=_("ersätter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    absent = models.BooleanField(_("frånvarande"), default=False)
    paragraphs = models.ManyToManyField(
        "Paragraph", verbose_name=_("paragrafer"), blank=True, related_name="attendances"
    )
    pending_numbers = models.CharField(_("paragrafer som ännu inte finns"), max_length=500, blank=True)
    from_number = models.PositiveIntegerField(_("närvarande från §"), null=True, blank=True)
    to_number = models.PositiveIntegerField(_("närvarande till och med §"), null=True, blank=True)
    arrived_at = models.TimeField(_("ankom kl."), null=True, blank=True)
    left_at = models.TimeField(_("lämnade kl."), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[paragraphs])

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "kind"],
                condition=~models.Q(kind=AttendanceKind.TJANSTGORANDE_ERSATTARE),
                name="attendance_unique_person_kind",
                violation_error_message="Personen finns redan i den gruppen.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_kind_display()})"

    def clean(self) -> None:
        if self.kind == AttendanceKind.TJANSTGORANDE_ERSATTARE and not self.replaces_id:
            raise ValidationError({"replaces": "Ange vilken ledamot ersättaren tjänstgör för."})
        if self.replaces_id and self.replaces_id == self.person_id:
            raise ValidationError({"replaces": "En person kan inte ersätta sig själv."})
        if self.from_number and self.to_number and self.to_number < self.from_number:
            raise ValidationError({"to_number": "Avgången kan inte vara före ankomsten."})

    @property
    def pending(self) -> list[int]:
        """The §§ (numbers) this row covers that do not exist yet."""
        return [int(n) for n in self.pending_numbers.split()]

    def present_at(self, paragraph: Paragraph, paragraph_ids: set[int] | None = None) -> bool:
        """Whether this person was there at ``paragraph``.

        Pass ``paragraph_ids`` (from a prefetch) to avoid a query per call.
        """
        if self.absent:
            return False
        if self.from_number is not None and paragraph.number < self.from_number:
            return False
        if self.to_number is not None and paragraph.number > self.to_number:
            return False
        if paragraph_ids is None:
            paragraph_ids = {p.pk for p in self.paragraphs.all()}
        return not (paragraph_ids or self.pending_numbers) or paragraph.pk in paragraph_ids

    def attach(self, paragraph: Paragraph) -> bool:
        """Join ``paragraph`` if this row waited for its number; returns whether it did."""
        numbers = self.pending
        if paragraph.number not in numbers:
            return False
        self.paragraphs.add(paragraph)
        self.pending_numbers = " ".join(str(n) for n in numbers if n != paragraph.number)
        self.save(update_fields=["pending_numbers"])
        return True
