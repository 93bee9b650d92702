"""The domain model of a Swedish municipal protokoll.

Reference data: Organ, Party, Person, Membership.
A Meeting (sammanträde) of an organ has Attendance rows and Paragraphs (§). Each paragraph holds the
sections of the protokoll: att-satser (DecisionClause), yrkanden (Motion), omröstningar (Vote with
VoteCast rows), reservationer (Reservation), protokollsanteckningar and särskilda yttranden
(ProtocolNote) and jäv (Recusal).

Every model of meeting data keeps its history with django-simple-history: each create, change and
delete stores a full row snapshot with who (the request's user) and when; ``meetings.audit``
assembles one meeting's log from those snapshots.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# ---------------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------------
# Meeting
# ---------------------------------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    UTKAST = "utkast", _("Utkast")
    UNDER_JUSTERING = "under_justering", _("Under justering")
    ATERSANT = "atersant", _("Återsänt")
    JUSTERAT = "justerat", _("Justerat")
    ANSLAGET = "anslaget", _("Anslaget")
    ARKIVERAT = "arkiverat", _("Arkiverat")


# The secretary writes in these; after justering the content is final (locked, see meetings.locking).
EDITABLE_STATUSES = frozenset({MeetingStatus.UTKAST, MeetingStatus.ATERSANT})
FINAL_STATUSES = frozenset({MeetingStatus.JUSTERAT, MeetingStatus.ANSLAGET, MeetingStatus.ARKIVERAT})


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

    @property
    def justering_deadline(self) -> datetime.date:
        from .dates import justering_deadline

        return justering_deadline(self.date)

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


class AttendanceKind(models.TextChoices):
    BESLUTANDE = "beslutande", _("Beslutande")
    TJANSTGORANDE_ERSATTARE = "tjanstgorande_ersattare", _("Tjänstgörande ersättare")
    ERSATTARE = "ersattare", _("Ersättare")
    OVRIG = "ovrig", _("Övriga")


class Attendance(models.Model):
    """A person's presence at a meeting.

    ``paragraphs`` empty means the whole meeting; otherwise the person was present (or, for a
    tjänstgörande ersättare, served) only at those §§. That one set expresses arrival and departure
    by § too: someone who left after § 12 is present at the §§ up to 12.
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
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[paragraphs])

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "kind"],
                condition=~models.Q(kind="tjanstgorande_ersattare"),
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

    def present_at(self, paragraph: Paragraph, paragraph_ids: set[int] | None = None) -> bool:
        """Whether this person was there at ``paragraph``.

        Pass ``paragraph_ids`` (from a prefetch) to avoid a query per call.
        """
        if self.absent:
            return False
        if paragraph_ids is None:
            paragraph_ids = {p.pk for p in self.paragraphs.all()}
        return not paragraph_ids or paragraph.pk in paragraph_ids


# ---------------------------------------------------------------------------------------------------
# Paragraph (§) and its sections
# ---------------------------------------------------------------------------------------------------


class ParagraphQuerySet(models.QuerySet):
    def for_protokoll(self) -> ParagraphQuerySet:
        """Everything a protokoll page or PDF shows, in a fixed number of queries."""
        return self.prefetch_related(
            "clauses",
            models.Prefetch("motions", queryset=Motion.objects.select_related("person")),
            models.Prefetch(
                "votes",
                queryset=Vote.objects.prefetch_related(
                    models.Prefetch("casts", queryset=VoteCast.objects.select_related("person", "party"))
                ),
            ),
            models.Prefetch("reservations", queryset=Reservation.objects.prefetch_related("persons")),
            models.Prefetch("notes", queryset=ProtocolNote.objects.select_related("person")),
            models.Prefetch("recusals", queryset=Recusal.objects.select_related("person", "substitute")),
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
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.meeting_id]) + f"#p{self.pk}"

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @classmethod
    def next_number(cls, organ: Organ, year: int) -> int:
        last = cls.objects.filter(organ=organ, year=year).aggregate(m=models.Max("number"))["m"]
        return (last or 0) + 1

    @classmethod
    def create_next(cls, meeting: Meeting, **fields) -> Paragraph:
        """Create a paragraph with the next free number in its organ's series for the year.

        Two secretaries may add paragraphs to meetings of one organ at the same moment. On
        PostgreSQL the organ row is locked for the transaction, so the second waits for the first
        and sees its number. SQLite has no row locks (it serialises writers, and its SELECT runs
        before the write lock is taken), so the unique constraint is the backstop there: on a
        clash we take the next number and try again.
        """
        if "position" not in fields:
            last = meeting.paragraphs.aggregate(m=models.Max("position"))["m"]
            fields["position"] = (last or 0) + 1
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
    """An omröstning (roll call). The result is counted from the casts, never typed in."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="votes")
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
    def outcome(self) -> str | None:
        """ "ja", "nej", or None for a tie (the chair's casting vote decides, KL 6:33 / 5:55)."""
        counts = self.tally()
        if counts["ja"] > counts["nej"]:
            return "ja"
        if counts["nej"] > counts["ja"]:
            return "nej"
        return None

    @property
    def result_text(self) -> str:
        """The sentence the protokoll prints, e.g. "Med 3 ja-röster mot 2 nej-röster …"."""
        c = self.tally()
        text = f"Med {_votes(c['ja'], 'ja')} mot {_votes(c['nej'], 'nej')}"
        if c["avstar"]:
            text += f" samt {c['avstar']} {'ledamot' if c['avstar'] == 1 else 'ledamöter'} som avstår"
        if self.outcome == "ja":
            return f"{text} har Ja-förslaget bifallits: {self.ja_means}."
        if self.outcome == "nej":
            return f"{text} har Nej-förslaget bifallits: {self.nej_means}."
        return f"{text} är rösterna lika; ordförandens utslagsröst avgör."


def _votes(count: int, word: str) -> str:
    return f"{count} {word}-röst" if count == 1 else f"{count} {word}-röster"


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


# ---------------------------------------------------------------------------------------------------
# Justering (sign-off), rättelser
# ---------------------------------------------------------------------------------------------------


class JusteringStatus(models.TextChoices):
    PAGAR = "pagar", _("Pågår")
    JUSTERAT = "justerat", _("Justerat")
    ATERSANT = "atersant", _("Återsänt")


class Justering(models.Model):
    """One round of sign-off: of the whole protokoll, or (omedelbar justering) of some of its §§.

    Sending back ends the round; the secretary's next send starts a new one, so earlier rounds and
    their signatures stay as evidence.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="justeringar")
    immediate = models.BooleanField(_("omedelbar justering"), default=False)
    paragraphs = models.ManyToManyField(Paragraph, verbose_name=_("paragrafer"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=JusteringStatus.choices, default="pagar")
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    # The SHA-256 of the canonical content that every signature of a complete round covers.
    content_hash = models.CharField(_("innehållets SHA-256"), max_length=64, blank=True)
    returned_comment = models.TextField(_("kommentar vid återsändning"), blank=True, max_length=5000)
    returned_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("justering")
        verbose_name_plural = _("justeringar")
        constraints = [
            # At most one round of the whole protokoll under way at a time.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(status="pagar", immediate=False),
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


class Signature(models.Model):
    """One signer's part in a justering: who, in which role, when, and the hash of what they signed."""

    justering = models.ForeignKey(Justering, on_delete=models.PROTECT, related_name="signatures")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(_("roll"), max_length=20, choices=SignerRole.choices)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(_("status"), max_length=20, choices=SignatureStatus.choices, default="pagar")
    signed_at = models.DateTimeField(_("signerad"), null=True, blank=True)
    content_hash = models.CharField(_("signerat innehålls SHA-256"), max_length=64, blank=True)
    comment = models.TextField(_("kommentar"), blank=True, max_length=5000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("underskrift")
        verbose_name_plural = _("underskrifter")
        constraints = [
            models.UniqueConstraint(
                fields=["justering", "person"],
                condition=models.Q(status__in=["pagar", "signerat"]),
                name="one_live_signature_per_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}): {self.get_status_display()}"


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


# ---------------------------------------------------------------------------------------------------
# Publishing: anslag, the public text for search, issued PDFs
# ---------------------------------------------------------------------------------------------------


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
    take_down_on = models.DateField(_("datum då anslaget tas ned"))
    storage_location = models.CharField(_("förvaringsplats för protokollet"), max_length=200)
    secretary_name = models.CharField(_("sekreterare"), max_length=200, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnslagQuerySet.as_manager()
    history = HistoricalRecords()

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


MEETING_DATA_MODELS = (
    Meeting,
    Attendance,
    Paragraph,
    DecisionClause,
    Motion,
    Vote,
    VoteCast,
    Reservation,
    ProtocolNote,
    Recusal,
)
