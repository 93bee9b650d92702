"""The public version of a protokoll: what the anslagstavla, the public PDF and search may show.

- A § under sekretess (OSL 2009:400) is never published: only "§ N Ärendet omfattas av sekretess"
  stands in its place.
- Swedish personnummer and samordningsnummer (YYMMDD-NNNN, YYYYMMDD-NNNN, with or without the dash
  or a plus) are masked in every text (SKR; Datainspektionen).
The original stays available to signed-in staff through the drafting and signing views.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import DocParagraph, ProtokollDocument

SECRET_TITLE = "Ärendet omfattas av sekretess"
MASK = "ÅÅÅÅMMDD-XXXX"

# Century optional, month 01-12, day 01-31 or 61-91 (samordningsnummer), separator optional.
PERSONNUMMER = re.compile(
    r"(?<![\d-])(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+]?\d{4}(?![\d-])"
)

# Text fields of a § and its parts that are published (and so masked).
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


def mask_personnummer(text: str) -> str:
    return PERSONNUMMER.sub(MASK, text) if text else text


@dataclass
class WithheldParagraph:
    """Stands in for a § under sekretess: it has a number and nothing else to show."""

    pk: int
    number: int
    title: str = SECRET_TITLE
    secret: bool = True
    justerad_at: object = None


@dataclass
class WithheldDocParagraph(DocParagraph):
    withheld: bool = field(default=True)


def _mask_in_place(item: DocParagraph) -> None:
    """Mask the texts of one built § in memory. The objects come from this request's own queries
    and are never saved (a posted protokoll is locked at the model layer anyway)."""
    p = item.paragraph
    for name in PARAGRAPH_TEXT_FIELDS:
        setattr(p, name, mask_personnummer(getattr(p, name)))
    for clause in p.clauses.all():
        clause.text = mask_personnummer(clause.text)
    for _who, motion in item.motions:
        motion.text = mask_personnummer(motion.text)
    for _vote_rows in item.votes:
        vote = _vote_rows[0]
        vote.ja_means, vote.nej_means = mask_personnummer(vote.ja_means), mask_personnummer(vote.nej_means)
    for _persons, reservation in item.reservations:
        reservation.motivation = mask_personnummer(reservation.motivation)
    for _who, note in item.notes:
        note.text = mask_personnummer(note.text)


def public_document(doc: ProtokollDocument, numbers: set[int] | None = None) -> ProtokollDocument:
    """The public version of ``doc``; with ``numbers``, only those §§ (an omedelbar anslag)."""
    paragraphs: list[DocParagraph] = []
    for item in doc.paragraphs:
        if numbers is not None and item.number not in numbers:
            continue
        if item.paragraph.secret:
            stand_in = WithheldParagraph(item.paragraph.pk, item.number, justerad_at=item.paragraph.justerad_at)
            paragraphs.append(WithheldDocParagraph(paragraph=stand_in))
        else:
            _mask_in_place(item)
            paragraphs.append(item)
    doc.paragraphs = paragraphs
    doc.ovriga = [mask_personnummer(line) for line in doc.ovriga]
    shown = {item.paragraph.pk for item in paragraphs if not getattr(item, "withheld", False)}
    doc.corrections = [c for c in doc.corrections if c.paragraph_id is None or c.paragraph_id in shown]
    for c in doc.corrections:
        c.old_text, c.new_text, c.reason = (mask_personnummer(t) for t in (c.old_text, c.new_text, c.reason))
    return doc


def paragraph_public_text(item: DocParagraph) -> str:
    """All published text of one § (already masked), for search."""
    p = item.paragraph
    parts = [p.title, p.dnr, p.decision_intro]
    parts += [c.text for c in p.clauses.all()]
    parts += [p.decision_text, p.summary, p.basis, p.proposal, p.proposition_order]
    parts += [f"{who} {motion.get_kind_display()} {motion.text}" for who, motion in item.motions]
    parts += [r.motivation for _persons, r in item.reservations]
    parts += [n.text for _who, n in item.notes]
    parts += p.recipient_list
    return "\n".join(part for part in parts if part)
