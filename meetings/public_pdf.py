"""The public version of a posted protokoll, as a document and as a PDF.

The HTML page and the PDF of an anslag both start from ``anslag_document``: the justering's §§ built
by ``meetings.document`` and passed through ``meetings.public.public_document`` (sekretess §§
withheld, personnummer masked). The PDF reuses ``meetings.pdf``'s template, fetcher and PDF/A options
through ``render_html`` and ``html_to_pdf``; only the filled-in signature lines and ANSLAG/BEVIS
block are built here.

A posted protokoll does not change (a rättelse changes its content, and so its key), so the PDF is
rendered once and kept in Django's default storage under the SHA-256 of the HTML it was rendered
from. WeasyPrint's output is not byte-for-byte reproducible, which is why the key is the input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import models as m
from . import pdf
from .document import ProtokollDocument, build_document, load_meeting
from .public import public_document

STORAGE_PREFIX = "public-pdf"


def anslag_numbers(anslag: m.Anslag) -> list[int] | None:
    """The §§ an omedelbar justering's anslag covers; None for the whole protokoll."""
    if not anslag.justering.immediate:
        return None
    return sorted(p.number for p in anslag.justering.paragraphs.all())


def anslag_document(anslag: m.Anslag) -> ProtokollDocument:
    """The public version of what ``anslag`` announces. ``anslag.justering`` should be loaded."""
    return public_document(build_document(load_meeting(anslag.meeting_id), anslag_numbers(anslag)))


def _signed_text(signed_at) -> str:
    local = timezone.localtime(signed_at)
    return f"Signerat {local:%Y-%m-%d} kl. {local:%H.%M}"


def _signatures(anslag: m.Anslag, doc: ProtokollDocument) -> list[pdf.SignatureRow]:
    """The signature lines with the time each signer signed the justering (names as printed)."""
    signed = {
        s.person_id: _signed_text(s.signed_at)
        for s in anslag.justering.signatures.all()
        if s.status == m.SignatureStatus.SIGNERAT and s.signed_at
    }
    meeting = doc.meeting
    justerare = [
        pdf.Signer(line, signed.get(person.pk, ""))
        for person, line in zip(meeting.justerare, doc.justerare_lines, strict=False)
    ]
    return [
        pdf.SignatureRow("Sekreterare", [pdf.Signer(doc.secretary_line)]),
        pdf.SignatureRow("Ordförande", [pdf.Signer(doc.chair_line, signed.get(meeting.chair_id, ""))]),
        pdf.SignatureRow("Justerare", justerare or [pdf.Signer("")]),
    ]


def _anslag_block(anslag: m.Anslag, doc: ProtokollDocument) -> pdf.Anslag:
    return pdf.Anslag(
        organ=anslag.organ.name,
        posted_on=anslag.posted_on,
        taken_down_on=anslag.take_down_on,
        last_appeal_day=anslag.appeal_until,
        storage_location=anslag.storage_location,
        signer=doc.secretary_line or anslag.secretary_name,
    )


@dataclass
class PublicPdf:
    filename: str
    content: bytes


def public_pdf(anslag: m.Anslag) -> PublicPdf:
    """The PDF of the public version: read from storage, or rendered now and stored.

    The caller must already have checked that the anslag is published (posted on or before today).
    """
    doc = anslag_document(anslag)
    html = pdf.render_html(doc, _signatures(anslag, doc), _anslag_block(anslag, doc))
    key = hashlib.sha256(f"{pdf.TEMPLATE_VERSION}\n{html}".encode()).hexdigest()
    name = f"{STORAGE_PREFIX}/{anslag.pk}/{key}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            content = stored.read()
    else:
        content = pdf.html_to_pdf(html)
        saved = default_storage.save(name, ContentFile(content))
        if saved == name:
            _record_issued(anslag, name, content)
        else:
            # Another process stored (and registered) the same PDF meanwhile; ours got a new name.
            default_storage.delete(saved)
    title = pdf.pdf_title(doc.meeting, anslag_numbers(anslag))
    return PublicPdf(f"{title} publicerad version.pdf", content)


def _record_issued(anslag: m.Anslag, name: str, content: bytes) -> None:
    """Register the PDF by its SHA-256 so that a copy can later be verified as issued by us."""
    sha = hashlib.sha256(content).hexdigest()
    try:
        with transaction.atomic():
            m.IssuedPdf.objects.get_or_create(
                sha256=sha,
                defaults={
                    "justering": anslag.justering,
                    "variant": m.IssuedPdf.Variant.PUBLIC,
                    "numbers": anslag.paragraphs_label,
                    "storage_name": name,
                },
            )
    except IntegrityError:
        # Two first downloads at once: the other request registered it.
        pass
