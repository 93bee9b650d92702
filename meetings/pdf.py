"""PDF export of a protokoll: the full "Protokoll" and a "Protokollsutdrag" of chosen §§.

The PDF is rendered with WeasyPrint from ``templates/pdf/protokoll.html``, which shares the wording
of every § with the HTML preview (``templates/protokoll/_paragraph_sections.html``), from the same
``meetings.document.ProtokollDocument``.

Entry points for other code:

- ``render_pdf(meeting, numbers)``: render now (drafts, previews).
- ``render_pdf_cached(meeting, numbers)``: for a justerat protokoll, render once and keep the file in
  Django's default storage, keyed by a hash of its content; later calls read the stored file.
- ``export_pdf(meeting, numbers)``: what the download view and the command use; picks one of the two.
- ``default_signatures(doc)`` / ``default_anslag(doc)``: the empty signature lines and ANSLAG/BEVIS
  block. The justering work passes filled-in ``signatures``/``anslag`` to the functions above.

Rendering never fetches anything named by the content: ``StaticOnlyURLFetcher`` serves the
project's bundled static files (the fonts) and ``data:`` URIs and refuses everything else.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import json
import mimetypes
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import models as m
from .canonical import canonical_content
from .document import FrontLines, ProtokollDocument, build_document, format_numbers, front_lines
from .seal import seal_pdf

# Bump when templates/pdf/, templates/protokoll/_paragraph_sections.html or the fonts change in a
# way that changes the PDF, so that stored PDFs are rendered anew instead of served.
TEMPLATE_VERSION = "2"

# The PDF/A level for long-term preservation (DOMAIN.md, "Archive"), tagged for accessibility.
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}

# Statuses after justering: the content can no longer change, so the PDF can be stored.
FINAL_STATUSES = m.FINAL_STATUSES

STATIC_SCHEME = "protokoll-static"
STORAGE_PREFIX = "protokoll-pdf"


class UnknownParagraphError(ValueError):
    """An extract asked for a § that the meeting does not hold; the message is Swedish, for users."""


# ---------------------------------------------------------------------------------------------------
# URL fetcher
# ---------------------------------------------------------------------------------------------------


class StaticOnlyURLFetcher(URLFetcher):
    """Serves ``protokoll-static:<path>`` from the project's static directories and ``data:`` URIs.

    Everything else (http, https, file, ftp, any other scheme, a static path that escapes its
    directory) is refused before any I/O happens. Text of a protokoll is escaped by the template,
    so this is the second line of defence: even markup that slipped through cannot make the
    server request a URL or read a file.
    """

    def __init__(self) -> None:
        # Only the data: handler may ever be reached through urllib.
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme, _, rest = url.partition(":")
        scheme = scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == STATIC_SCHEME:
            path = static_file(unquote(rest.split("?", 1)[0].split("#", 1)[0]))
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        raise ValueError(f"Refused to fetch {url[:200]!r}: the PDF may only use bundled static files.")


def static_file(relative: str) -> Path:
    """The bundled static file at ``relative``; ValueError for anything outside the static dirs."""
    relative = relative.lstrip("/")
    for directory in settings.STATICFILES_DIRS:
        root = Path(directory).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    raise ValueError(f"Not a bundled static file: {relative[:200]!r}")


# ---------------------------------------------------------------------------------------------------
# Signatures and the ANSLAG/BEVIS block
# ---------------------------------------------------------------------------------------------------


@dataclass
class Signer:
    """One signature line: the printed name under the line, and ``signed`` once signed
    (e.g. "Signerat 2021-11-24 kl. 10.12"); empty leaves the line blank for ink."""

    name: str
    signed: str = ""


@dataclass
class SignatureRow:
    label: str  # "Sekreterare", "Ordförande", "Justerare"
    signers: list[Signer] = field(default_factory=list)


@dataclass
class Anslag:
    """The ANSLAG/BEVIS block of the front page; dates stay empty until the anslag is posted."""

    organ: str
    posted_on: datetime.date | None = None
    taken_down_on: datetime.date | None = None
    last_appeal_day: datetime.date | None = None
    storage_location: str = ""
    signer: str = ""
    signed: str = ""


def default_signatures(doc: ProtokollDocument) -> list[SignatureRow]:
    """Unsigned lines with the printed names, as on the seed's front page."""
    return [
        SignatureRow("Sekreterare", [Signer(doc.secretary_line)]),
        SignatureRow("Ordförande", [Signer(doc.chair_line)]),
        SignatureRow("Justerare", [Signer(name) for name in doc.justerare_lines] or [Signer("")]),
    ]


def default_anslag(doc: ProtokollDocument) -> Anslag:
    """The block as a blank form; the förvaringsplats is printed once the protokoll is justerat."""
    return Anslag(
        organ=doc.organ.name,
        storage_location="" if doc.is_draft else doc.organ.storage_location,
        signer=doc.secretary_line,
    )


@dataclass
class Evidence:
    """The signature section of a justerat PDF: who signed in which role and when, the SHA-256 of the
    signed content, and where anyone can check the file."""

    rows: list[tuple[str, str, str]]  # (name, role, "2021-11-29 kl. 15.00")
    content_hash: str
    verify_url: str


def _signed_text(signed_at: datetime.datetime) -> str:
    local = timezone.localtime(signed_at)
    return f"Signerat {local:%Y-%m-%d} kl. {local:%H.%M}"


def _valid_signatures(justering: m.Justering) -> list[m.Signature]:
    """The signatures that count: given, and not voided by a later change or a sending back."""
    return [s for s in justering.signatures.all() if s.status == m.SignatureStatus.SIGNERAT and s.signed_at]


def _completed_rounds(meeting: m.Meeting):
    return (
        m.Justering.objects.filter(meeting=meeting, status=m.JusteringStatus.JUSTERAT)
        .prefetch_related(
            Prefetch("signatures", queryset=m.Signature.objects.filter(status="signerat").select_related("person")),
            Prefetch("paragraphs", queryset=m.Paragraph.objects.only("id", "number")),
        )
        .order_by("-completed_at")
    )


def final_justering(meeting: m.Meeting) -> m.Justering | None:
    """The completed justering of the whole protokoll, with its signatures."""
    return _completed_rounds(meeting).filter(immediate=False).first()


def immediate_justering(meeting: m.Meeting, numbers: list[int] | None) -> m.Justering | None:
    """The completed omedelbar justering that covers every one of the §§ ``numbers``."""
    if not numbers:
        return None
    wanted = set(numbers)
    for justering in _completed_rounds(meeting).filter(immediate=True):
        if wanted <= {p.number for p in justering.paragraphs.all()}:
            return justering
    return None


def justering_signatures(
    justering: m.Justering, meeting: m.Meeting, doc: FrontLines | ProtokollDocument
) -> list[SignatureRow]:
    """The signature lines with the time each signer signed (names as the front page prints them)."""
    signed = {s.person_id: _signed_text(s.signed_at) for s in _valid_signatures(justering)}
    justerare = [
        Signer(line, signed.get(person.pk, ""))
        for person, line in zip(meeting.justerare, doc.justerare_lines, strict=False)
    ]
    return [
        SignatureRow("Sekreterare", [Signer(doc.secretary_line)]),
        SignatureRow("Ordförande", [Signer(doc.chair_line, signed.get(meeting.chair_id, ""))]),
        SignatureRow("Justerare", justerare or [Signer("")]),
    ]


def anslag_block(anslag: m.Anslag, doc: FrontLines | ProtokollDocument) -> Anslag:
    """The ANSLAG/BEVIS block of a posted protokoll."""
    return Anslag(
        organ=anslag.organ.name,
        posted_on=anslag.posted_on,
        taken_down_on=anslag.take_down_on,
        last_appeal_day=anslag.appeal_until,
        storage_location=anslag.storage_location,
        signer=doc.secretary_line or anslag.secretary_name,
    )


def evidence_for(justering: m.Justering) -> Evidence:
    return Evidence(
        rows=[(s.person.name, s.get_role_display(), _signed_text(s.signed_at)) for s in _valid_signatures(justering)],
        content_hash=justering.content_hash,
        verify_url=settings.SITE_URL.rstrip("/") + reverse("verify"),
    )


# ---------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------


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
    anslag: Anslag | None = None,
    evidence: Evidence | None = None,
) -> str:
    """The HTML that WeasyPrint renders (also what ``export_pdf --html`` writes)."""
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
    anslag: Anslag | None = None,
    evidence: Evidence | None = None,
) -> bytes:
    """Render the protokoll (``numbers`` None) or the extract of those §§ now.

    ``meeting`` should come from ``meetings.document.load_meeting``.
    """
    doc = build_export_document(meeting, numbers)
    return html_to_pdf(render_html(doc, signatures, anslag, evidence))


def storage_name(
    meeting: m.Meeting,
    numbers: list[int] | None = None,
    signatures: list[SignatureRow] | None = None,
    anslag: Anslag | None = None,
    evidence: Evidence | None = None,
) -> str:
    """Where the stored PDF lives: a SHA-256 of everything that decides its bytes."""
    key = hashlib.sha256()
    key.update(canonical_content(meeting))
    extras = {
        "kind": "Protokoll" if numbers is None else "Protokollsutdrag",
        "numbers": sorted(set(numbers)) if numbers is not None else None,
        "template_version": TEMPLATE_VERSION,
        "signatures": [dataclasses.asdict(row) for row in signatures] if signatures is not None else None,
        "anslag": dataclasses.asdict(anslag) if anslag is not None else None,
        "evidence": dataclasses.asdict(evidence) if evidence is not None else None,
    }
    key.update(json.dumps(extras, sort_keys=True, cls=DjangoJSONEncoder).encode())
    return f"{STORAGE_PREFIX}/{meeting.pk}/{key.hexdigest()}.pdf"


def stored_pdf(name: str, produce: Callable[[], bytes], register: Callable[[bytes], None] | None = None) -> bytes:
    """The PDF stored under ``name``; else ``produce`` it, ``register`` it and store it.

    Registering (as an issued, sealed PDF) comes before storing, so a stored PDF is always one the
    verification page knows. When two app servers produce the same PDF at once, the storage keeps
    the first and both answer with its bytes.
    """
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            content = stored.read()
        if register is not None:
            # Cheap (one indexed lookup) and it heals a database restored from before the file.
            register(content)
        return content
    content = produce()
    if register is not None:
        register(content)
    saved = default_storage.save(name, ContentFile(content))
    if saved != name:
        default_storage.delete(saved)
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    return content


def register_issued(justering: m.Justering, variant: str, numbers: str, name: str, content: bytes) -> None:
    """Record a sealed PDF by its SHA-256 so that a copy can later be verified as issued here."""
    try:
        with transaction.atomic():
            m.IssuedPdf.objects.get_or_create(
                sha256=hashlib.sha256(content).hexdigest(),
                defaults={"justering": justering, "variant": variant, "numbers": numbers, "storage_name": name},
            )
    except IntegrityError:
        pass  # registered by a concurrent request for the same bytes


def render_pdf_cached(
    meeting: m.Meeting,
    numbers: list[int] | None = None,
    signatures: list[SignatureRow] | None = None,
    anslag: Anslag | None = None,
    evidence: Evidence | None = None,
    justering: m.Justering | None = None,
) -> bytes:
    """The stored PDF if there is one; otherwise render, store and return it.

    Only for statuses in ``FINAL_STATUSES``: a justerat protokoll never changes, and the key covers
    its content anyway, so a later rättelse gets a new file instead of a stale one. With the
    ``justering`` it completes, the PDF is sealed with the organisation certificate and registered.
    """
    check_numbers(meeting, numbers)
    name = storage_name(meeting, numbers, signatures, anslag, evidence)

    def produce() -> bytes:
        data = render_pdf(meeting, numbers, signatures, anslag, evidence)
        return seal_pdf(data) if justering is not None else data

    register = None
    if justering is not None:
        variant = m.IssuedPdf.Variant.PROTOKOLL if numbers is None else m.IssuedPdf.Variant.UTDRAG
        label = format_numbers(numbers) if numbers is not None else ""
        register = functools.partial(register_issued, justering, variant, label, name)
    return stored_pdf(name, produce, register)


@dataclass
class ExportedPdf:
    filename: str
    content: bytes


def export_pdf(meeting: m.Meeting, numbers: list[int] | None = None) -> ExportedPdf:
    """The PDF and its filename. Fresh for drafts. For a justerat protokoll, or an extract of
    omedelbart justerade §§, the stored and sealed PDF with the signers' times, the ANSLAG/BEVIS
    dates once posted and the signature section."""
    filename = f"{pdf_title(meeting, numbers)}.pdf"
    final = meeting.status in FINAL_STATUSES
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


def ascii_filename(filename: str) -> str:
    """A plain-ASCII fallback for old clients: "§ 344" becomes "p 344", "å" becomes "a"."""
    text = filename.replace("§§", "p").replace("§", "p").replace("–", "-")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text if c.isalnum() or c in " .-_,()") or "protokoll.pdf"
