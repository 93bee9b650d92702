"""The paragraphs (§) of a protokoll and their sections: att-satser, yrkanden, omröstningar,
reservationer, protokollsanteckningar and jäv."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .appeal import AppealRoute, NotAppealableReason
from .decision import PropositionKind
from .meeting import FINAL_STATUSES, Meeting
from .reference import Organ, Party, Person

if TYPE_CHECKING:
    from ..services.decision import Outcome


class ParagraphQuerySet(models.QuerySet):
    def published(self, today: datetime.date) -> ParagraphQuerySet:
        """The §§ the public may read (``publishing.published_paragraph_condition``), those under
        sekretess among them: the public version shows their number and nothing else
        (``meetings.public``)."""
        from .publishing import published_paragraph_condition

        return self.filter(published_paragraph_condition(today))

    def for_protokoll(self) -> ParagraphQuerySet:
        """Everything a protokoll page or PDF shows, in a fixed number of queries."""
        return self.prefetch_related(
            "clauses",
            models.Prefetch("motions", queryset=Motion.objects.select_related("person")),
            models.Prefetch(
                "votes",
                queryset=Vote.objects.select_related("proposition").prefetch_related(
                    models.Prefetch("casts", queryset=VoteCast.objects.select_related("person", "party"))
                ),
            ),
            "propositions",
            models.Prefetch("reservations", queryset=Reservation.objects.prefetch_related("persons")),
            models.Prefetch("notes", queryset=ProtocolNote.objects.select_related("person")),
            models.Prefetch("recusals", queryset=Recusal.objects.select_related("person", "substitute")),
            "attachments",
        )


# The § text a protokoll prints: what the public version masks (meetings.public), what the canonical
# content holds (meetings.export.canonical) and, but for the organ's own decision_intro, what a
# rättelse may change (meetings.services.correction).
PARAGRAPH_TEXT_FIELDS = (
    "title",
    "dnr",
    "summary",
    "basis",
    "proposal",
    "decision_intro",
    "decision_text",
    "proposition_order",
    "recipients",
)


class Paragraph(models.Model):
    """One § of a protokoll.

    ``number`` runs per organ and calendar year (the seed's meeting holds §§ 343–344). It is stored,
    unique per (organ, year), assigned as the next free number on creation (``assign_number``) and
    editable afterwards. ``position`` orders the paragraphs within the meeting.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="paragraphs")
    # organ and year repeat the meeting's so that the database can enforce the number series.
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="+", editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(_("paragrafnummer"), validators=[MinValueValidator(1)])
    position = models.PositiveIntegerField(_("ordning"), default=0)
    title = models.CharField(_("rubrik"), max_length=300)
    dnr = models.CharField(_("Dnr"), max_length=50, blank=True)
    secret = models.BooleanField(_("sekretess"), default=False, help_text="Publiceras aldrig.")
    immediate_justering = models.BooleanField(_("omedelbar justering"), default=False)
    summary = models.TextField(_("sammanfattning"), blank=True)
    basis = models.TextField(_("beslutsunderlag"), blank=True)
    proposal = models.TextField(_("förslag till beslut"), blank=True)
    decision_intro = models.CharField(_("beslutets inledning"), max_length=300, blank=True)
    decision_text = models.TextField(
        _("beslut (fritext)"), blank=True, help_text="Text som står efter att-satserna, om någon."
    )
    proposition_order = models.TextField(_("propositionsordning"), blank=True)
    recipients = models.TextField(_("beslutet skickas till"), blank=True, help_text="En mottagare per rad.")
    appeal_route = models.CharField(
        _("hur beslutet överklagas"),
        max_length=20,
        choices=AppealRoute.choices,
        default=AppealRoute.LAGLIGHETSPROVNING,
    )
    appeal_body = models.CharField(
        _("överinstans"),
        max_length=200,
        blank=True,
        help_text="Vid förvaltningsbesvär, t.ex. ”Förvaltningsrätten i Växjö” eller ”Länsstyrelsen i Dalarnas län”.",
    )
    appeal_law = models.CharField(
        _("lag som beslutet grundas på"), max_length=200, blank=True, help_text="T.ex. ”socialtjänstlagen (2001:453)”."
    )
    not_appealable_reason = models.CharField(
        _("skäl till att beslutet inte kan överklagas"),
        max_length=30,
        choices=NotAppealableReason.choices,
        blank=True,
    )
    # Set when an omedelbar justering of this § is complete: from then on the § is locked.
    justerad_at = models.DateTimeField(_("omedelbart justerad"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParagraphQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "number"]
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "year", "number"],
                name="paragraph_number_unique_per_organ_year",
                violation_error_message="Paragrafnumret finns redan i organets nummerserie för året.",
            ),
        ]

    def __str__(self) -> str:
        return f"§ {self.number} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.organ_id = self.meeting.organ_id
        self.year = self.meeting.date.year
        if not self.decision_intro:
            self.decision_intro = self.meeting.organ.decision_intro
        created = self._state.adding
        super().save(*args, **kwargs)
        if created:
            self.attach_waiting_attendance()

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.meeting_id]) + f"#p{self.pk}"

    def attach_waiting_attendance(self) -> None:
        """Attendance rows written for this § before it existed (``Attendance.pending_numbers``) join
        it: on creation, and when the drafting services give it a new number."""
        for attendance in self.meeting.attendances.filter(pending_numbers__contains=str(self.number)):
            attendance.attach(self)

    @property
    def may_be_corrected(self) -> bool:
        """Whether this § is final text that only a rättelse may change (see Meeting.may_be_corrected)."""
        return self.meeting.status in FINAL_STATUSES or self.justerad_at is not None

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @classmethod
    def next_number(cls, organ: Organ, year: int) -> int:
        last = cls.objects.filter(organ=organ, year=year).aggregate(m=models.Max("number"))["m"]
        return (last or 0) + 1

    @classmethod
    def create_next(cls, meeting: Meeting, number: int | None = None, **fields) -> Paragraph:
        """Create a paragraph at the end of the meeting, with ``number`` or else the next free number
        in its organ's series for the year.

        Two secretaries may add paragraphs to meetings of one organ at the same moment. On
        PostgreSQL the organ row is locked for the transaction, so the second waits for the first
        and sees its number. SQLite has no row locks (it serialises writers, and its SELECT runs
        before the write lock is taken), so the unique constraint is the backstop there: on a
        clash we take the next number and try again. A ``number`` chosen by the user is not
        changed: its clash raises IntegrityError.
        """
        if "position" not in fields:
            last = meeting.paragraphs.aggregate(m=models.Max("position"))["m"]
            fields["position"] = (last or 0) + 1
        if number is not None:
            return cls.objects.create(meeting=meeting, number=number, **fields)
        for _attempt in range(10):
            try:
                with transaction.atomic():
                    Organ.objects.select_for_update().filter(pk=meeting.organ_id).first()
                    number = cls.next_number(meeting.organ, meeting.date.year)
                    return cls.objects.create(meeting=meeting, number=number, **fields)
            except IntegrityError:
                continue
        raise IntegrityError("Kunde inte tilldela ett paragrafnummer; försök igen.")


class DecisionClause(models.Model):
    """An att-sats of the Beslut: "att uppdra till kommundirektören att …"."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("att-sats"), max_length=5000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("att-sats")
        verbose_name_plural = _("att-satser")

    def __str__(self) -> str:
        return self.text[:80]


class MotionKind(models.TextChoices):
    BIFALL = "bifall", _("bifall")
    AVSLAG = "avslag", _("avslag")
    ANDRING = "andring", _("ändring")
    TILLAGG = "tillagg", _("tillägg")
    ATERREMISS = "aterremiss", _("återremiss")
    BORDLAGGNING = "bordlaggning", _("bordläggning")


class Motion(models.Model):
    """A yrkande: who moved what."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="motions")
    position = models.PositiveIntegerField(default=0)
    person = models.ForeignKey(Person, verbose_name=_("ledamot"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("typ av yrkande"), max_length=20, choices=MotionKind.choices)
    text = models.TextField(_("yrkande"), blank=True, max_length=5000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("yrkande")
        verbose_name_plural = _("yrkanden")

    def __str__(self) -> str:
        return f"{self.person} yrkar {self.get_kind_display()}"


class VoteChoice(models.TextChoices):
    JA = "ja", _("Ja")
    NEJ = "nej", _("Nej")
    AVSTAR = "avstar", _("Avstår")
    FRANVARANDE = "franvarande", _("Frånvarande")


class Vote(models.Model):
    """An omröstning (roll call). The result is counted from the casts, never typed in.

    A vote on a ``Proposition`` (votering begärd) takes its Ja and Nej from it; a vote without one
    (protokoll written before propositions were recorded) is read as the main question.
    """

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="votes")
    proposition = models.OneToOneField(
        "Proposition",
        verbose_name=_("proposition"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="vote",
    )
    position = models.PositiveIntegerField(default=0)
    ja_means = models.CharField(_("Ja-röst för"), max_length=500)
    nej_means = models.CharField(_("Nej-röst för"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("omröstning")
        verbose_name_plural = _("omröstningar")

    def __str__(self) -> str:
        return f"Omröstning: Ja för {self.ja_means}"

    def tally(self) -> dict[str, int]:
        """Counts per choice. Uses prefetched casts when present."""
        counts = Counter(cast.choice for cast in self.casts.all())
        return {choice.value: counts.get(choice.value, 0) for choice in VoteChoice}

    @property
    def outcome(self) -> Outcome:
        """Which side won, by which rule (majority, the chair's casting vote, lot), with the counts
        (KL 5 kap. 55–56 §§; ``meetings.services.decision``). Uses prefetched casts and the
        paragraph's meeting when they are loaded."""
        from ..services.decision import vote_outcome

        proposition = self.proposition if self.proposition_id else None
        if proposition is None:
            return vote_outcome(self)
        return vote_outcome(
            self,
            election=proposition.election,
            lot_winner=proposition.lot_winner,
            minority=proposition.is_formal and self.paragraph.meeting.organ.is_fullmaktige,
        )

    @property
    def result_text(self) -> str:
        """The sentence the protokoll prints, e.g. "Med 7 ja-röster mot 7 nej-röster, 1 avstår, och
        ordförandens utslagsröst beslutar … enligt …"."""
        from ..services.decision import organ_phrase, result_sentence

        proposition = self.proposition if self.proposition_id else None
        kind = proposition.kind if proposition else PropositionKind.HUVUDFRAGA
        ja, nej = (proposition.ja_label, proposition.nej_label) if proposition else (self.ja_means, self.nej_means)
        organ = organ_phrase(self.paragraph.meeting.organ.name)
        return result_sentence(self.outcome, kind, ja, nej, organ)


class VoteCast(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="casts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    choice = models.CharField(_("röst"), max_length=20, choices=VoteChoice.choices)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("röst")
        verbose_name_plural = _("röster")
        constraints = [models.UniqueConstraint(fields=["vote", "person"], name="votecast_one_per_person")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"


class Reservation(models.Model):
    """A dissent by one or more members, optionally with a written motivation."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="reservations")
    position = models.PositiveIntegerField(default=0)
    persons = models.ManyToManyField(Person, verbose_name=_("ledamöter"), related_name="+")
    motivation = models.TextField(_("skriftlig motivering"), blank=True, max_length=20000)

    history = HistoricalRecords(m2m_fields=[persons])

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservationer")

    def __str__(self) -> str:
        return f"Reservation ({self.pk})"


class NoteKind(models.TextChoices):
    PROTOKOLLSANTECKNING = "protokollsanteckning", _("Protokollsanteckning")
    SARSKILT_YTTRANDE = "sarskilt_yttrande", _("Särskilt yttrande")


class ProtocolNote(models.Model):
    """A protokollsanteckning (entered with the chair's consent) or a särskilt yttrande."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="notes")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("typ"), max_length=30, choices=NoteKind.choices, default=NoteKind.PROTOKOLLSANTECKNING)
    person = models.ForeignKey(
        Person, verbose_name=_("ledamot"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"), max_length=20000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("protokollsanteckning")
        verbose_name_plural = _("protokollsanteckningar")

    def __str__(self) -> str:
        return self.text[:80]


class Recusal(models.Model):
    """Jäv: a member who took no part in the § and, if any, who served instead."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="recusals")
    person = models.ForeignKey(Person, verbose_name=_("jävig ledamot"), on_delete=models.PROTECT, related_name="+")
    substitute = models.ForeignKey(
        Person,
        verbose_name=_("ersatt av"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        constraints = [models.UniqueConstraint(fields=["paragraph", "person"], name="recusal_once_per_person")]

    def __str__(self) -> str:
        return f"{self.person} (jäv)"

    def clean(self) -> None:
        if self.substitute_id and self.substitute_id == self.person_id:
            raise ValidationError({"substitute": "Den jäviga ledamoten kan inte ersätta sig själv."})
