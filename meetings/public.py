"""The public version of a protokoll: what the anslagstavla, the public PDF and search may show.

- A § under sekretess (OSL 2009:400) is never published: only "§ N Ärendet omfattas av sekretess"
  stands in its place.
- A bilaga is shown only when it is marked public (``File.public``; the download follows
  ``FileQuerySet.published``); the others keep their number and are said not to be published.
- Swedish personnummer and samordningsnummer (YYMMDD-NNNN, YYYYMMDD-NNNN, with or without the dash,
  a plus, an en dash or a space) are masked in every text the public version shows: the §§, the
  front page (place, Dnr, attendance lines, justering) and the rättelser (SKR; Datainspektionen),
  and in the notice of a fullmäktige meeting (place, the points' rubrik and Dnr, the handlingar).
The original stays available to signed-in staff through the drafting and signing views.

The open-data API (``api/``) asks the same rules through the functions at the end of this module:
which meetings, §§, ärenden, persons and files the public may read, and which files were withdrawn.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery

from . import models as m
from .export.document import DocParagraph, PersonLine, ProtokollDocument

SECRET_TITLE = "Ärendet omfattas av sekretess"
MASK = "ÅÅÅÅMMDD-XXXX"

# Century optional, month 01-12, day 01-31 or 61-91 (samordningsnummer), then the last four digits.
# Between them: nothing, "-", "+", a dash as a word processor writes it (en dash "–", em dash, minus
# sign), any of those with a space on either side ("19850312 - 1234"), or a single space. A letter or a
# dash may come before ("Dnr-850312-1234", "KS-19850312-1234"); a digit may not, on either side, so a
# longer number is never cut into one. Never masked: dates ("2021-11-22", "20211122"), Dnr
# ("KS 2021/868"), amounts ("12 400 000"), phone numbers in groups ("070-123 45 67"). A date followed
# by four digits ("20211122 1030") is masked too: masking too much is the safe side.
# The separators: "-", "+", the hyphens and dashes U+2010-U+2015 (en dash, em dash), the minus sign.
_SEPARATOR = r"(?:\s?[-+\u2010-\u2015\u2212]\s?|\s)?"
PERSONNUMMER = re.compile(
    r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])" + _SEPARATOR + r"\d{4}(?!\d)"
)

# Free-text fields of the meeting that the public document shows (front page, PDF header and metadata).
MEETING_TEXT_FIELDS = ("place", "diarienummer", "justering_place")


def mask_personnummer(text: str) -> str:
    return PERSONNUMMER.sub(MASK, text) if text else text


def _mask_person(line: PersonLine | None) -> None:
    if line is not None:
        line.name, line.party = mask_personnummer(line.name), mask_personnummer(line.party)


@dataclass
class WithheldParagraph:
    """Stands in for a § under sekretess: it has a number, how it is appealed, and nothing else to show."""

    pk: int
    number: int
    title: str = SECRET_TITLE
    secret: bool = True
    justerad_at: object = None
    dnr: str = ""
    appeal_route: str = m.AppealRoute.LAGLIGHETSPROVNING
    appeal_body: str = ""
    appeal_law: str = ""
    not_appealable_reason: str = ""


@dataclass
class WithheldDocParagraph(DocParagraph):
    withheld: bool = field(default=True)


def _mask_vote(vote: m.Vote, rows: list) -> None:
    vote.ja_means, vote.nej_means = mask_personnummer(vote.ja_means), mask_personnummer(vote.nej_means)
    for row in rows:
        _mask_person(row.person)


def _mask_in_place(item: DocParagraph) -> None:
    """Mask the texts of one built § in memory. The objects come from this request's own queries
    and are never saved (a posted protokoll is locked at the model layer anyway)."""
    p = item.paragraph
    for name in (*m.PARAGRAPH_TEXT_FIELDS, "appeal_body", "appeal_law"):
        setattr(p, name, mask_personnummer(getattr(p, name)))
    for clause in p.clauses.all():
        clause.text = mask_personnummer(clause.text)
    for who, motion in item.motions:
        _mask_person(who)
        motion.text = mask_personnummer(motion.text)
    for vote, rows, _tally in item.votes:
        _mask_vote(vote, rows)
    for doc_proposition in item.propositions:
        proposition = doc_proposition.proposition
        proposition.ja_label = mask_personnummer(proposition.ja_label)
        proposition.nej_label = mask_personnummer(proposition.nej_label)
        if doc_proposition.vote is not None:
            _mask_vote(doc_proposition.vote, doc_proposition.rows)
    for persons, reservation in item.reservations:
        for who in persons:
            _mask_person(who)
        reservation.motivation = mask_personnummer(reservation.motivation)
    for who, note in item.notes:
        _mask_person(who)
        note.text = mask_personnummer(note.text)
    for who, substitute in item.recusals:
        _mask_person(who)
        _mask_person(substitute)
    # Only the public bilagor are shown; the others keep their number and say they are not published.
    item.attachments = [(number, f if f.public else None) for number, f in item.attachments]
    for _number, f in item.attachments:
        if f is not None:
            f.name = mask_personnummer(f.name)


def _mask_front(doc: ProtokollDocument) -> None:
    """Mask the front page in memory: the meeting's place, Dnr and justering place (so also the PDF's
    header and metadata), the attendance lines (their role texts) and the signers' lines."""
    for name in MEETING_TEXT_FIELDS:
        setattr(doc.meeting, name, mask_personnummer(getattr(doc.meeting, name)))
    for name in ("beslutande", "tjanstgorande", "ersattare", "ovriga", "justerare_lines"):
        setattr(doc, name, [mask_personnummer(line) for line in getattr(doc, name)])
    doc.secretary_line, doc.chair_line = mask_personnummer(doc.secretary_line), mask_personnummer(doc.chair_line)
    doc.place_and_time = mask_personnummer(doc.place_and_time)


def mask_notice_meeting(meeting: m.Meeting) -> m.Meeting:
    """The meeting as a notice on the board shows it, masked in memory (never saved)."""
    meeting.place = mask_personnummer(meeting.place)
    return meeting


def public_notice_points(
    meeting: m.Meeting, items: list[m.AgendaItem], published_files: set[int]
) -> list[tuple[int, m.AgendaItem, list[m.File]]]:
    """The points of a fullmäktige meeting's notice (KL 5 kap. 13 §): (number, point, its published
    handlingar), the texts masked in memory. A point that is not public shows only that it is there,
    so it keeps no text and no files."""
    mask_notice_meeting(meeting)
    points = []
    for number, item in enumerate(items, start=1):
        files = []
        if item.public:
            item.name = mask_personnummer(item.name)
            if item.paper_id:
                item.paper.reference = mask_personnummer(item.paper.reference)
                files = [f for f in item.paper.files.all() if f.pk in published_files]
                for f in files:
                    f.name = mask_personnummer(f.name)
        else:
            item.name, item.proposal = "", ""
        points.append((number, item, files))
    return points


def public_document(doc: ProtokollDocument, numbers: set[int] | None = None) -> ProtokollDocument:
    """The public version of ``doc``; with ``numbers``, only those §§ (an omedelbar anslag)."""
    paragraphs: list[DocParagraph] = []
    for item in doc.paragraphs:
        if numbers is not None and item.number not in numbers:
            continue
        if item.paragraph.secret:
            p = item.paragraph
            stand_in = WithheldParagraph(
                p.pk,
                item.number,
                justerad_at=p.justerad_at,
                appeal_route=p.appeal_route,
                appeal_body=mask_personnummer(p.appeal_body),
                appeal_law=mask_personnummer(p.appeal_law),
                not_appealable_reason=p.not_appealable_reason,
            )
            paragraphs.append(
                WithheldDocParagraph(paragraph=stand_in, organ_name=item.organ_name, meeting_date=item.meeting_date)
            )
        else:
            _mask_in_place(item)
            paragraphs.append(item)
    doc.paragraphs = paragraphs
    doc.public = True
    _mask_front(doc)
    shown = {item.paragraph.pk for item in paragraphs if not getattr(item, "withheld", False)}
    doc.corrections = [c for c in doc.corrections if c.paragraph_id is None or c.paragraph_id in shown]
    for c in doc.corrections:
        c.field_label, c.old_text, c.new_text, c.reason = (
            mask_personnummer(t) for t in (c.field_label, c.old_text, c.new_text, c.reason)
        )
    return doc


def paragraph_public_text(item: DocParagraph) -> str:
    """All published text of one § (already masked), for search."""
    p = item.paragraph
    parts = [p.title, p.dnr, p.decision_intro]
    parts += [c.text for c in p.clauses.all()]
    parts += [p.decision_text, p.summary, p.basis, p.proposal, p.proposition_order]
    parts += [f"{who} {motion.get_kind_display()} {motion.text}" for who, motion in item.motions]
    for proposition in item.propositions:
        parts += [*proposition.lead_sentences, proposition.result_sentence]
    parts += [r.motivation for _persons, r in item.reservations]
    parts += [n.text for _who, n in item.notes]
    parts += p.recipient_list
    return "\n".join(part for part in parts if part)


# ---------------------------------------------------------------------------------------------------
# The same rules as querysets, for the open-data API: what it may serve
# ---------------------------------------------------------------------------------------------------


def published_meetings(today: datetime.date) -> QuerySet[m.Meeting]:
    """Meetings with a posted anslag (of the whole protokoll or of an omedelbar justering): their
    front page (organ, time, place, attendance) is public from that day (KL 8 kap. 12 §)."""
    return m.Meeting.objects.filter(pk__in=m.Anslag.objects.published(today).values("meeting_id"))


def published_paragraphs(today: datetime.date) -> QuerySet[m.Paragraph]:
    """The §§ of posted anslag (``Paragraph.objects.published``); those under sekretess among them,
    to be shown as ``WithheldParagraph`` shows them: number and nothing else."""
    return m.Paragraph.objects.published(today)


def _decided_in_public(today: datetime.date) -> QuerySet[m.AgendaItem]:
    """Agenda items whose § is published and not under sekretess."""
    return m.AgendaItem.objects.filter(paragraph__isnull=False, paragraph__secret=False).filter(
        m.published_paragraph_condition(today, paragraph="paragraph_id", meeting="paragraph__meeting_id")
    )


def public_consultations(today: datetime.date) -> QuerySet[m.AgendaItem]:
    """An ärende's handling at a meeting (OParl Consultation) that the public may read: the agenda
    item of an ärende whose § is published and not under sekretess."""
    return _decided_in_public(today).filter(paper__isnull=False)


def published_papers(today: datetime.date) -> QuerySet[m.Paper]:
    """Ärenden the public may read of (Dnr and rubrik): decided in a published § not under
    sekretess, or standing in an open item of a posted notice of a fullmäktige meeting (KL 5 kap.
    13 §), as ``FileQuerySet.published`` has it for their handlingar."""
    decided = _decided_in_public(today).filter(paper__isnull=False).values("paper_id")
    return m.Paper.objects.filter(Q(pk__in=decided) | m.noticed_paper_condition(today))


def public_persons(today: datetime.date) -> QuerySet[m.Person]:
    """Persons the public may read of (name, party, roles; never e-mail or user data): those with a
    seat in an organ (the register of elected members), those the front page of a published
    protokoll names as present, and those whose vote a published § not under sekretess records."""
    seated = m.Membership.objects.values("person_id")
    present = m.Attendance.objects.filter(absent=False, meeting__in=published_meetings(today)).values("person_id")
    voted = m.VoteCast.objects.filter(vote__paragraph__secret=False).filter(
        m.published_paragraph_condition(today, paragraph="vote__paragraph_id", meeting="vote__paragraph__meeting_id")
    )
    return m.Person.objects.filter(Q(pk__in=seated) | Q(pk__in=present) | Q(pk__in=voted.values("person_id")))


def withdrawn_files(today: datetime.date) -> QuerySet:
    """Files the public could once download and no longer may (OParl "deleted" objects): the newest
    history row of each file that was marked public at some time, whose § or ärende is still
    published (``published_container_condition``), and that is no longer public or no longer
    exists. Only its id and times are ever shown."""
    history = m.File.history.model
    newest = history.objects.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
    return (
        history.objects.filter(history_id=Subquery(newest.values("history_id")[:1]))
        .filter(id__in=history.objects.filter(public=True).values("id"))
        .filter(m.published_container_condition(today))
        .exclude(id__in=m.File.objects.published(today).values("pk"))
    )
