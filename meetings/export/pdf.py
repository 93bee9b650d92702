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
from .store import StoredPdfJob, pdf_job


@dataclass
class ExportedPdf:
    filename: str
    content: bytes


def final_pdf_job(meeting: m.Meeting, numbers: list[int] | None = None) -> StoredPdfJob | None:
    """The stored PDF of a justerat protokoll, or of an extract of omedelbart justerade §§, with the
    signers' times, the ANSLAG/BEVIS dates once posted and the signature section; None for a draft,
    which is rendered fresh each time."""
    final = meeting.status in m.FINAL_STATUSES
    justering = final_justering(meeting) if final else immediate_justering(meeting, numbers)
    if justering is None:
        # A draft; or a protokoll marked justerat outside the workflow (imported), unsigned here.
        return pdf_job(meeting, numbers) if final else None
    lines = front_lines(meeting)
    posted = m.Anslag.objects.filter(justering=justering).select_related("organ").first()
    return pdf_job(
        meeting,
        numbers,
        signatures=justering_signatures(justering, meeting, lines),
        anslag=anslag_block(posted, lines) if posted is not None else None,
        evidence=evidence_for(justering),
        justering=justering,
    )


def export_pdf(meeting: m.Meeting, numbers: list[int] | None = None) -> ExportedPdf:
    """The PDF and its filename: fresh for drafts, the stored one (rendered now if missing) when final."""
    job = final_pdf_job(meeting, numbers)
    content = job.run() if job is not None else render_pdf(meeting, numbers)
    return ExportedPdf(pdf_filename(meeting, numbers), content)


def pdf_filename(meeting: m.Meeting, numbers: list[int] | None = None) -> str:
    return f"{pdf_title(meeting, numbers)}.pdf"
