"""One protokoll as a document: everything the HTML preview and the PDF show, in their order.

Both the drafting preview and the PDF exporter render a ``ProtokollDocument``, so the two always
agree in order and wording. ``build_document`` loads it in a fixed number of queries whatever the
number of paragraphs.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from .. import models as m
from ..appeal import AppealText, appeal_text
from ..services import decision


def format_numbers(numbers: list[int]) -> str:
    """ "§ 344", "§§ 343–344", "§§ 12–15, 18": consecutive numbers become ranges."""
    if not numbers:
        return ""
    numbers = sorted(set(numbers))
    ranges: list[tuple[int, int]] = []
    for n in numbers:
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges)
    return f"§ {text}" if len(numbers) == 1 else f"§§ {text}"


def paragraph_range(numbers: list[int]) -> str:
    """The front page's "Paragrafer 343–344" value (no § sign)."""
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    return str(low) if low == high else f"{low}–{high}"


@dataclass
class PersonLine:
    """A person as the protokoll names them: "Mikael Rubin (M)"."""

    name: str
    party: str = ""

    def __str__(self) -> str:
        return f"{self.name} ({self.party})" if self.party else self.name


@dataclass
class SectionVoteRow:
    person: PersonLine
    choice: str


@dataclass
class DocProposition:
    """One proposition as the protokoll prints it: how it was put and what the chair found, and with
    a vote its Ja/Nej, roll call and result (``meetings.services.decision``)."""

    proposition: m.Proposition
    organ_name: str
    vote: m.Vote | None = None
    rows: list[SectionVoteRow] = field(default_factory=list)
    tally: dict[str, int] = field(default_factory=dict)

    @property
    def closed(self) -> bool:
        """A vote in a val is by closed ballot (KL 5 kap. 52 §): only its counts are printed."""
        return self.proposition.election

    @property
    def outcome(self) -> decision.Outcome:
        return decision.proposition_outcome(self.proposition, self.vote)

    @property
    def lead_sentences(self) -> list[str]:
        """The sentences before the roll call's table."""
        return self._sentences()[:3]

    @property
    def result_sentence(self) -> str:
        """The result of the vote, after its table; empty for acclamation."""
        sentences = self._sentences()
        return sentences[3] if len(sentences) > 3 else ""

    def _sentences(self) -> list[str]:
        return decision.proposition_sentences(self.proposition, self.vote, self.outcome, self.organ_name)


@dataclass
class DocParagraph:
    paragraph: m.Paragraph
    motions: list[tuple[PersonLine, m.Motion]] = field(default_factory=list)
    propositions: list[DocProposition] = field(default_factory=list)
    # Votes held on no recorded proposition (protokoll written before propositions were recorded).
    votes: list[tuple[m.Vote, list[SectionVoteRow], dict[str, int]]] = field(default_factory=list)
    reservations: list[tuple[list[PersonLine], m.Reservation]] = field(default_factory=list)
    notes: list[tuple[PersonLine | None, m.ProtocolNote]] = field(default_factory=list)
    recusals: list[tuple[PersonLine, PersonLine | None]] = field(default_factory=list)
    # Changed by a rättelse after justering (the document lists the rättelser at its end).
    corrected: bool = False
    # The §'s bilagor with their number in the protokoll ("Bilaga 3"); None stands for one the
    # public version leaves out (meetings.public).
    attachments: list[tuple[int, m.File | None]] = field(default_factory=list)
    # Of the meeting, for the besvärshänvisning.
    organ_name: str = ""
    meeting_date: datetime.date | None = None

    @property
    def number(self) -> int:
        return self.paragraph.number

    @property
    def appeal(self) -> AppealText:
        """How this § is appealed (read from the paragraph now, so the public version's masking holds)."""
        return appeal_text(self.paragraph, self.organ_name, self.meeting_date)

    @property
    def title(self) -> str:
        return self.paragraph.title


@dataclass
class ProtokollDocument:
    meeting: m.Meeting
    kind: str  # "Protokoll" or "Protokollsutdrag"
    paragraphs: list[DocParagraph]
    all_numbers: list[int]
    beslutande: list[str]
    tjanstgorande: list[str]
    ersattare: list[str]
    ovriga: list[str]
    # "Sessionssalen kl. 13.30–15.00, 15.20–17.00" and each ajournering ("kl. 15.00–15.20 efter § 312").
    place_and_time: str = ""
    adjournments: list[str] = field(default_factory=list)
    # The signers as the front page names them: "Mikael Rubin (M)" (party from the attendance).
    secretary_line: str = ""
    chair_line: str = ""
    justerare_lines: list[str] = field(default_factory=list)
    # Rättelser after justering (JO 581-2013): always shown, with what changed, when, by whom and why.
    corrections: list[m.Correction] = field(default_factory=list)
    # The days the signers signed ("2021-11-24–2021-11-29") once the protokoll is justerat online.
    justerad_digitally: str = ""
    # The public version (meetings.public): a förvaltningsbesvär § shows its full besvärshänvisning.
    public: bool = False

    @property
    def organ(self) -> m.Organ:
        return self.meeting.organ

    @property
    def is_extract(self) -> bool:
        return self.kind == "Protokollsutdrag"

    @property
    def paragraph_range(self) -> str:
        return paragraph_range(self.all_numbers)

    @property
    def justering_place_and_time(self) -> str:
        """ "Justeringen har gjorts digitalt 2021-11-24–2021-11-29" once signed online (the planned
        place and time did not happen); before that the planned "Kommunledningsförvaltningen
        2021-11-24 kl. 10.00"; empty until decided."""
        if self.justerad_digitally:
            return f"Justeringen har gjorts digitalt {self.justerad_digitally}"
        meeting = self.meeting
        parts = [meeting.justering_place]
        if meeting.justering_date:
            parts.append(meeting.justering_date.isoformat())
        if meeting.justering_time:
            parts.append(f"kl. {meeting.justering_time.strftime('%H.%M')}")
        return " ".join(part for part in parts if part)

    @property
    def is_draft(self) -> bool:
        """Not justerat yet. An extract of omedelbart justerade §§ is justerat on its own."""
        if self.meeting.status not in m.DRAFT_STATUSES:
            return False
        shown = [item.paragraph for item in self.paragraphs]
        return not (self.is_extract and shown and all(getattr(p, "justerad_at", None) for p in shown))


def signed_span(times: list[datetime.datetime]) -> str:
    """ "2021-11-24", or "2021-11-24–2021-11-29" when the signers signed on different days."""
    days = sorted({timezone.localdate(t) for t in times})
    if not days:
        return ""
    return days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()}–{days[-1].isoformat()}"


def _justerad_digitally(meeting: m.Meeting) -> str:
    """The signing days of a justerat protokoll's final round (one query, only once it is justerat)."""
    if meeting.justerat_at is None:
        return ""
    times = m.Signature.objects.filter(
        justering__meeting=meeting,
        justering__immediate=False,
        justering__status=m.JusteringStatus.JUSTERAT,
        status=m.SignatureStatus.SIGNERAT,
    ).values_list("signed_at", flat=True)
    return signed_span([t for t in times if t])


@dataclass
class FrontLines:
    """The signers as the front page names them, party from the attendance: "Mikael Rubin (M)"."""

    secretary_line: str
    chair_line: str
    justerare_lines: list[str]


def _party_of(meeting: m.Meeting) -> dict[int, str]:
    return {a.person_id: a.party.abbreviation if a.party else "" for a in meeting.attendances.all()}


def _line(person: m.Person | None, party_of: dict[int, str]) -> PersonLine | None:
    return None if person is None else PersonLine(person.name, party_of.get(person.pk, ""))


def front_lines(meeting: m.Meeting) -> FrontLines:
    """The signature lines' names without building the whole document (for stored PDFs)."""
    party_of = _party_of(meeting)
    return FrontLines(
        secretary_line=str(_line(meeting.secretary, party_of) or ""),
        chair_line=str(_line(meeting.chair, party_of) or ""),
        justerare_lines=[str(_line(person, party_of)) for person in meeting.justerare],
    )


@dataclass
class AttendanceLines:
    """The front page's attendance, group by group, as municipalities print it."""

    beslutande: list[str] = field(default_factory=list)
    tjanstgorande: list[str] = field(default_factory=list)
    ersattare: list[str] = field(default_factory=list)
    ovriga: list[str] = field(default_factory=list)


def _movement(a: m.Attendance) -> list[str]:
    """ "från § 311", "ankom kl. 14.05", "till och med § 315", "lämnade kl. 15.10"."""
    parts = []
    if a.from_number:
        parts.append(f"från § {a.from_number}")
    if a.arrived_at:
        parts.append(f"ankom kl. {a.arrived_at:%H.%M}")
    if a.to_number:
        parts.append(f"till och med § {a.to_number}")
    if a.left_at:
        parts.append(f"lämnade kl. {a.left_at:%H.%M}")
    return parts


def attendance_lines(
    attendances: list[m.Attendance], paragraphs: list[m.Paragraph], party_of: dict[int, str]
) -> AttendanceLines:
    """Each present person's line, with the §§ they were there at, arrival and departure, and jäv
    (KL 5 kap. 66 §: who served): "Gustaf Hoffstedt (M), ej § 313 (jäv)" among the beslutande,
    "Per Eklund (S) ersätter Gustaf Hoffstedt (M) § 313 (jäv)" among the tjänstgörande ersättare
    and "Per Eklund (S), tjänstgörande ersättare § 313" among the ersättare. ``paragraphs`` carry
    their prefetched recusals."""
    recused: dict[int, list[int]] = {}
    substituted: dict[tuple[int, int], list[int]] = {}
    for p in paragraphs:
        for r in p.recusals.all():
            recused.setdefault(r.person_id, []).append(p.number)
            if r.substitute_id:
                substituted.setdefault((r.substitute_id, r.person_id), []).append(p.number)
    names = {a.person_id: a.person.name for a in attendances}
    serving_at: dict[int, list[int]] = {}
    for a in attendances:
        if a.kind == m.AttendanceKind.TJANSTGORANDE_ERSATTARE and not a.absent:
            serving_at.setdefault(a.person_id, []).extend(p.number for p in a.paragraphs.all())
            serving_at[a.person_id].extend(a.pending)
    for (substitute_id, _person_id), numbers in substituted.items():
        serving_at.setdefault(substitute_id, []).extend(numbers)

    lines = AttendanceLines()
    for a in attendances:
        if a.absent:
            continue
        who = str(PersonLine(a.person.name, a.party.abbreviation if a.party else ""))
        only = format_numbers([p.number for p in a.paragraphs.all()] + a.pending)
        if a.kind == m.AttendanceKind.BESLUTANDE:
            jav = f"ej {format_numbers(recused[a.person_id])} (jäv)" if a.person_id in recused else ""
            lines.beslutande.append(", ".join(x for x in (who, a.role, only, *_movement(a), jav) if x))
        elif a.kind == m.AttendanceKind.TJANSTGORANDE_ERSATTARE:
            replaced = PersonLine(a.replaces.name, party_of.get(a.replaces_id, "")) if a.replaces else None
            text = f"{who} ersätter {replaced}" if replaced else who
            lines.tjanstgorande.append(f"{text} {only}".strip())
        elif a.kind == m.AttendanceKind.ERSATTARE:
            serving = serving_at.get(a.person_id)
            serves = f"tjänstgörande ersättare {format_numbers(serving)}" if serving else ""
            lines.ersattare.append(", ".join(x for x in (who, only, *_movement(a), serves) if x))
        else:
            parts = (a.person.name, a.title, a.organisation, only, *_movement(a))
            lines.ovriga.append(", ".join(x for x in parts if x))
    for (substitute_id, person_id), numbers in substituted.items():
        substitute = PersonLine(names.get(substitute_id, ""), party_of.get(substitute_id, ""))
        replaced = PersonLine(names.get(person_id, ""), party_of.get(person_id, ""))
        if substitute.name:
            lines.tjanstgorande.append(f"{substitute} ersätter {replaced} {format_numbers(numbers)} (jäv)")
    return lines


def load_meeting(pk: int) -> m.Meeting:
    """The meeting with what the front page needs, attendances included."""
    return (
        m.Meeting.objects.select_related("organ", "secretary", "chair__user", "justerare_1__user", "justerare_2__user")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=m.Attendance.objects.select_related("person", "party", "replaces").prefetch_related(
                    Prefetch("paragraphs", queryset=m.Paragraph.objects.only("id", "number", "meeting_id"))
                ),
            )
        )
        .get(pk=pk)
    )


def bilaga_numbers(paragraphs: list[m.Paragraph]) -> dict[int, int]:
    """Bilagor are numbered through the whole protokoll in § order ("Bilaga 1", "Bilaga 2", …), so
    an extract or the public version keeps the numbers the protokoll gives them."""
    files = [f for p in paragraphs for f in p.attachments.all()]
    return {f.pk: number for number, f in enumerate(files, start=1)}


def build_document(meeting: m.Meeting, numbers: list[int] | None = None) -> ProtokollDocument:
    """The whole protokoll, or an extract (protokollsutdrag) of the §§ with the given numbers.

    ``meeting`` should come from ``load_meeting`` so that attendances are prefetched.
    """
    paragraphs = list(meeting.paragraphs.for_protokoll().order_by("position", "number"))
    all_numbers = [p.number for p in paragraphs]
    attachment_numbers = bilaga_numbers(paragraphs)
    party_of = _party_of(meeting)
    # The front page speaks of the whole meeting (jäv at any §), an extract's too.
    front = attendance_lines(list(meeting.attendances.all()), paragraphs, party_of)
    if numbers is not None:
        wanted = set(numbers)
        paragraphs = [p for p in paragraphs if p.number in wanted]

    def line(person: m.Person | None) -> PersonLine | None:
        return _line(person, party_of)

    adjournments = list(meeting.adjournments.all())
    corrections = []
    if meeting.justerat_at is not None or any(p.justerad_at for p in paragraphs):
        # Only a justerat protokoll (or omedelbart justerad §) can have rättelser: drafts skip the query.
        shown = {p.pk for p in paragraphs}
        corrections = [
            c
            for c in meeting.corrections.select_related("made_by", "paragraph")
            if c.paragraph_id is None or c.paragraph_id in shown
        ]
    corrected = {c.paragraph_id for c in corrections}

    doc_paragraphs = []
    for p in paragraphs:
        votes, vote_of = [], {}
        for vote in p.votes.all():
            rows = [
                SectionVoteRow(
                    PersonLine(c.person.name, c.party.abbreviation if c.party else ""), c.get_choice_display()
                )
                for c in vote.casts.all()
            ]
            if vote.proposition_id is None:
                votes.append((vote, rows, vote.tally()))
            else:
                vote_of[vote.proposition_id] = (vote, rows)
        propositions = []
        for proposition in p.propositions.all():
            vote, rows = vote_of.get(proposition.pk, (None, []))
            tally = vote.tally() if vote is not None else {}
            if proposition.election:
                rows = []  # a closed ballot: who voted what is never printed (KL 5 kap. 52 §)
            propositions.append(DocProposition(proposition, meeting.organ.name, vote, rows, tally))
        doc_paragraphs.append(
            DocParagraph(
                paragraph=p,
                motions=[(line(x.person), x) for x in p.motions.all()],
                propositions=propositions,
                votes=votes,
                reservations=[([line(person) for person in r.persons.all()], r) for r in p.reservations.all()],
                notes=[(line(n.person), n) for n in p.notes.all()],
                recusals=[(line(r.person), line(r.substitute)) for r in p.recusals.all()],
                corrected=p.pk in corrected,
                attachments=[(attachment_numbers[f.pk], f) for f in p.attachments.all()],
                organ_name=meeting.organ.name,
                meeting_date=meeting.date,
            )
        )
    return ProtokollDocument(
        meeting=meeting,
        kind="Protokoll" if numbers is None else "Protokollsutdrag",
        paragraphs=doc_paragraphs,
        all_numbers=all_numbers,
        beslutande=front.beslutande,
        tjanstgorande=front.tjanstgorande,
        ersattare=front.ersattare,
        ovriga=front.ovriga,
        place_and_time=meeting.sessions_text(adjournments),
        adjournments=[pause.text for pause in adjournments],
        **dataclasses.asdict(front_lines(meeting)),
        corrections=corrections,
        justerad_digitally=_justerad_digitally(meeting),
    )
