"""Rendering a protokoll or protokollsutdrag to PDF with WeasyPrint.

The PDF is rendered from ``templates/pdf/protokoll.html``, which shares the wording of every § with
the HTML preview (``templates/protokoll/_paragraph_sections.html``), from the same
``meetings.export.document.ProtokollDocument``. ``render_pdf`` renders now (drafts, previews);
``meetings.export.store`` keeps the PDFs of a justerat protokoll.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML

from .. import models as m
from .blocks import AnslagBlock, Evidence, SignatureRow, default_anslag, default_signatures
from .document import ProtokollDocument, build_document, format_numbers
from .fetcher import StaticOnlyURLFetcher

# Bump when templates/pdf/, templates/protokoll/_paragraph_sections.html or the fonts change in a
# way that changes the PDF, so that stored PDFs are rendered anew instead of served.
TEMPLATE_VERSION = "4"

# The PDF/A level for long-term preservation (DOMAIN.md, "Archive"), tagged for accessibility.
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}


class UnknownParagraphError(ValueError):
    """An extract asked for a § that the meeting does not hold; the message is Swedish, for users."""


def pdf_title(meeting: m.Meeting, numbers: list[int] | None = None) -> str:
    """ "Protokoll KSAU 2021-11-22", "Protokollsutdrag KSAU 2021-11-22 § 344"; also the filename."""
    kind = "Protokoll" if numbers is None else "Protokollsutdrag"
    title = f"{kind} {meeting.organ.short_name} {meeting.date.isoformat()}"
    return f"{title} {format_numbers(numbers)}" if numbers else title


def check_numbers(meeting: m.Meeting, numbers: list[int] | None) -> None:
    """Refuse an empty or unknown choice of §§ for an extract, with a message for users."""
    if numbers is None:
        return
    if not numbers:
        raise UnknownParagraphError("Välj minst en paragraf till protokollsutdraget.")
    known = set(meeting.paragraphs.values_list("number", flat=True))
    unknown = sorted(set(numbers) - known)
    if unknown:
        raise UnknownParagraphError(f"{format_numbers(unknown)} finns inte i protokollet {meeting}.")


def build_export_document(meeting: m.Meeting, numbers: list[int] | None = None) -> ProtokollDocument:
    check_numbers(meeting, numbers)
    return build_document(meeting, sorted(set(numbers)) if numbers is not None else None)


def render_html(
    doc: ProtokollDocument,
    signatures: list[SignatureRow] | None = None,
    anslag: AnslagBlock | None = None,
    evidence: Evidence | None = None,
) -> str:
    """The HTML that WeasyPrint renders (also what ``export_pdf --html`` writes)."""
    if evidence is not None and evidence.dates:
        # Signed online: the front page says so instead of the planned place and time.
        doc.justerad_digitally = evidence.dates
    return render_to_string(
        "pdf/protokoll.html",
        {
            "doc": doc,
            "title": pdf_title(doc.meeting, [item.number for item in doc.paragraphs] if doc.is_extract else None),
            "signatures": signatures if signatures is not None else default_signatures(doc),
            "anslag": anslag if anslag is not None else default_anslag(doc),
            "evidence": evidence,
        },
    )


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=StaticOnlyURLFetcher()).write_pdf(**PDF_OPTIONS)


def render_pdf(
    meeting: m.Meeting,
    numbers: list[int] | None = None,
    signatures: list[SignatureRow] | None = None,
    anslag: AnslagBlock | None = None,
    evidence: Evidence | None = None,
) -> bytes:
    """Render the protokoll (``numbers`` None) or the extract of those §§ now.

    ``meeting`` should come from ``meetings.export.document.load_meeting``.
    """
    doc = build_export_document(meeting, numbers)
    return html_to_pdf(render_html(doc, signatures, anslag, evidence))
