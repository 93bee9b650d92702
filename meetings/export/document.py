"""One protokoll as a document: everything the HTML preview and the PDF show, in their order.

Both the drafting preview and the PDF exporter render a ``ProtokollDocument``, so the two always
agree in order and wording. ``build_document`` loads it in a fixed number of queries whatever the
number of paragraphs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from django.db.models import Prefetch

from .. import models as m


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
class DocParagraph:
    paragraph: m.Paragraph
    motions: list[tuple[PersonLine, m.Motion]] = field(default_factory=list)
    votes: list[tuple[m.Vote, list[SectionVoteRow], dict[str, int]]] = field(default_factory=list)
    reservations: list[tuple[list[PersonLine], m.Reservation]] = field(default_factory=list)
    notes: list[tuple[PersonLine | None, m.ProtocolNote]] = field(default_factory=list)
    recusals: list[tuple[PersonLine, PersonLine | None]] = field(default_factory=list)
    # Changed by a rättelse after justering (the document lists the rättelser at its end).
    corrected: bool = False
    # The §'s bilagor with their number in the protokoll ("Bilaga 3"); None stands for one the
    # public version leaves out (meetings.public).
    attachments: list[tuple[int, m.File | None]] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.paragraph.number

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
    # The signers as the front page names them: "Mikael Rubin (M)" (party from the attendance).
    secretary_line: str = ""
    chair_line: str = ""
    justerare_lines: list[str] = field(default_factory=list)
    # Rättelser after justering (JO 581-2013): always shown, with what changed, when, by whom and why.
    corrections: list[m.Correction] = field(default_factory=list)

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
        """ "Kommunledningsförvaltningen 2021-11-24 kl. 10.00"; empty until decided."""
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


def load_meeting(pk: int) -> m.Meeting:
    """The meeting with what the front page needs, attendances included."""
    return (
        m.Meeting.objects.select_related("organ", "secretary", "chair", "justerare_1", "justerare_2")
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
    if numbers is not None:
        wanted = set(numbers)
        paragraphs = [p for p in paragraphs if p.number in wanted]
    attendances = list(meeting.attendances.all())
    party_of = _party_of(meeting)

    def line(person: m.Person | None) -> PersonLine | None:
        return _line(person, party_of)

    beslutande, tjanstgorande, ersattare, ovriga = [], [], [], []
    for a in attendances:
        if a.absent:
            continue
        who = str(PersonLine(a.person.name, a.party.abbreviation if a.party else ""))
        only = format_numbers([p.number for p in a.paragraphs.all()])
        if a.kind == m.AttendanceKind.BESLUTANDE:
            beslutande.append(", ".join(x for x in (who, a.role, only) if x))
        elif a.kind == m.AttendanceKind.TJANSTGORANDE_ERSATTARE:
            replaced = PersonLine(a.replaces.name, party_of.get(a.replaces_id, "")) if a.replaces else None
            text = f"{who} ersätter {replaced}" if replaced else who
            tjanstgorande.append(f"{text} {only}".strip())
        elif a.kind == m.AttendanceKind.ERSATTARE:
            ersattare.append(", ".join(x for x in (who, only) if x))
        else:
            ovriga.append(", ".join(x for x in (a.person.name, a.title, a.organisation, only) if x))

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
        votes = []
        for vote in p.votes.all():
            rows = [
                SectionVoteRow(
                    PersonLine(c.person.name, c.party.abbreviation if c.party else ""), c.get_choice_display()
                )
                for c in vote.casts.all()
            ]
            votes.append((vote, rows, vote.tally()))
        doc_paragraphs.append(
            DocParagraph(
                paragraph=p,
                motions=[(line(x.person), x) for x in p.motions.all()],
                votes=votes,
                reservations=[([line(person) for person in r.persons.all()], r) for r in p.reservations.all()],
                notes=[(line(n.person), n) for n in p.notes.all()],
                recusals=[(line(r.person), line(r.substitute)) for r in p.recusals.all()],
                corrected=p.pk in corrected,
                attachments=[(attachment_numbers[f.pk], f) for f in p.attachments.all()],
            )
        )
    return ProtokollDocument(
        meeting=meeting,
        kind="Protokoll" if numbers is None else "Protokollsutdrag",
        paragraphs=doc_paragraphs,
        all_numbers=all_numbers,
        beslutande=beslutande,
        tjanstgorande=tjanstgorande,
        ersattare=ersattare,
        ovriga=ovriga,
        **dataclasses.asdict(front_lines(meeting)),
        corrections=corrections,
    )
