"""The PDF export of a protokoll: the full "Protokoll" and a "Protokollsutdrag" of chosen §§, as
the download views and ``manage.py export_pdf`` get them.

Drafts are rendered fresh (``meetings.export.render``). A justerat protokoll, or an extract of
omedelbart justerade §§, is the stored and sealed PDF (``meetings.export.store``) with the signers'
times, the ANSLAG/BEVIS dates once posted and the signature section (``meetings.export.blocks``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import models as m
from .blocks import anslag_block, evidence_for, final_justering, immediate_justering, justering_signatures
from .document import front_lines
from .render import pdf_title, render_pdf
from .store import render_pdf_cached


@dataclass
class ExportedPdf:
    filename: str
    content: bytes


def export_pdf(meeting: m.Meeting, numbers: list[int] | None = None) -> ExportedPdf:
    """The PDF and its filename. Fresh for drafts. For a justerat protokoll, or an extract of
    omedelbart justerade §§, the stored and sealed PDF with the signers' times, the ANSLAG/BEVIS
    dates once posted and the signature section."""
    filename = f"{pdf_title(meeting, numbers)}.pdf"
    final = meeting.status in m.FINAL_STATUSES
    justering = final_justering(meeting) if final else immediate_justering(meeting, numbers)
    if justering is None:
        # A draft; or a protokoll marked justerat outside the workflow (imported), unsigned here.
        return ExportedPdf(filename, render_pdf_cached(meeting, numbers) if final else render_pdf(meeting, numbers))
    lines = front_lines(meeting)
    posted = m.Anslag.objects.filter(justering=justering).select_related("organ").first()
    content = render_pdf_cached(
        meeting,
        numbers,
        signatures=justering_signatures(justering, meeting, lines),
        anslag=anslag_block(posted, lines) if posted is not None else None,
        evidence=evidence_for(justering),
        justering=justering,
    )
    return ExportedPdf(filename, content)
