"""The public version of a posted protokoll, as a document and as a PDF.

The HTML page and the PDF of an anslag both start from ``anslag_document``: the justering's §§ built
by ``meetings.export.document`` and passed through ``meetings.public.public_document`` (sekretess
§§ withheld, personnummer masked). The PDF reuses the protokoll's template, fetcher, PDF/A options,
signature lines, ANSLAG/BEVIS block, store and seal; the texts of the ANSLAG/BEVIS block and the
signature section are masked here too.

A posted protokoll does not change (a rättelse changes its content, and so its key), so the PDF is
rendered once and kept in Django's default storage under the SHA-256 of the HTML it was rendered
from. WeasyPrint's output is not byte-for-byte reproducible, which is why the key is the input.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from .. import models as m
from ..public import mask_personnummer, public_document
from .blocks import anslag_block, evidence_for, justering_signatures
from .document import ProtokollDocument, build_document, load_meeting
from .render import TEMPLATE_VERSION, html_to_pdf, pdf_title, render_html
from .seal import seal_pdf
from .store import register_issued, stored_pdf

STORAGE_PREFIX = "public-pdf"


def anslag_numbers(anslag: m.Anslag) -> list[int] | None:
    """The §§ an omedelbar justering's anslag covers; None for the whole protokoll."""
    if not anslag.justering.immediate:
        return None
    return sorted(p.number for p in anslag.justering.paragraphs.all())


def anslag_document(anslag: m.Anslag) -> ProtokollDocument:
    """The public version of what ``anslag`` announces. ``anslag.justering`` should be loaded."""
    return public_document(build_document(load_meeting(anslag.meeting_id), anslag_numbers(anslag)))


@dataclass
class PublicPdf:
    filename: str
    content: bytes
    name: str  # in the default storage


def public_pdf_filename(anslag: m.Anslag) -> str:
    return f"{pdf_title(anslag.meeting, anslag_numbers(anslag))} publicerad version.pdf"


def public_pdf(anslag: m.Anslag, doc: ProtokollDocument | None = None) -> PublicPdf:
    """The PDF of the public version, sealed: read from storage, or rendered, sealed, registered and
    stored now. ``doc`` is ``anslag_document(anslag)`` when the caller has it already.

    The caller must already have checked that the anslag is published (posted on or before today).
    """
    doc = doc if doc is not None else anslag_document(anslag)
    justering = anslag.justering
    block = anslag_block(anslag, doc)
    block.storage_location, block.signer = mask_personnummer(block.storage_location), mask_personnummer(block.signer)
    evidence = evidence_for(justering)
    evidence.rows = [tuple(mask_personnummer(text) for text in row) for row in evidence.rows]
    evidence.authentications = [mask_personnummer(text) for text in evidence.authentications]
    html = render_html(doc, justering_signatures(justering, doc.meeting, doc), block, evidence)
    key = hashlib.sha256(f"{TEMPLATE_VERSION}\n{html}".encode()).hexdigest()
    name = f"{STORAGE_PREFIX}/{anslag.pk}/{key}.pdf"
    register = functools.partial(register_issued, justering, m.IssuedPdf.Variant.PUBLIC, anslag.paragraphs_label, name)
    content = stored_pdf(name, lambda: seal_pdf(html_to_pdf(html)), register)
    return PublicPdf(public_pdf_filename(anslag), content, name)
