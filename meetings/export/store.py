"""Stored PDFs: a justerat protokoll's PDFs are rendered once and kept in Django's default storage,
keyed by a hash of everything that decides their bytes; sealed ones are registered as issued.

A justerat protokoll never changes (a rättelse changes its content, and so its key), so a stored PDF
is never stale.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from .. import models as m
from .blocks import AnslagBlock, Evidence, SignatureRow
from .canonical import canonical_content
from .document import format_numbers
from .render import TEMPLATE_VERSION, check_numbers, render_pdf
from .seal import seal_pdf

STORAGE_PREFIX = "protokoll-pdf"


def storage_name(
    meeting: m.Meeting,
    numbers: list[int] | None = None,
    signatures: list[SignatureRow] | None = None,
    anslag: AnslagBlock | None = None,
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


def read_stored(name: str) -> bytes | None:
    """The bytes stored under ``name``, or None when nothing is stored there yet."""
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def stored_pdf(name: str, produce: Callable[[], bytes], register: Callable[[bytes], None] | None = None) -> bytes:
    """The file stored under ``name`` (a PDF, or a stored public page); else ``produce`` it,
    ``register`` it and store it.

    Registering (as an issued, sealed PDF) comes before storing, so a stored PDF is always one the
    verification page knows. When two app servers produce the same PDF at once, the storage keeps
    the first and both answer with its bytes.
    """
    content = read_stored(name)
    if content is not None:
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


@dataclasses.dataclass
class StoredPdfJob:
    """A PDF that is made once: where it is stored, and how to make and register it."""

    name: str
    produce: Callable[[], bytes]
    register: Callable[[bytes], None] | None

    def stored(self) -> bytes | None:
        return read_stored(self.name)

    def run(self) -> bytes:
        return stored_pdf(self.name, self.produce, self.register)


def render_pdf_cached(meeting: m.Meeting, numbers: list[int] | None = None, **blocks) -> bytes:
    """The stored PDF if there is one; otherwise render, store and return it (``pdf_job``)."""
    return pdf_job(meeting, numbers, **blocks).run()


def pdf_job(
    meeting: m.Meeting,
    numbers: list[int] | None = None,
    signatures: list[SignatureRow] | None = None,
    anslag: AnslagBlock | None = None,
    evidence: Evidence | None = None,
    justering: m.Justering | None = None,
) -> StoredPdfJob:
    """The stored PDF of a final protokoll (or extract), without rendering anything yet.

    Only for statuses in ``models.FINAL_STATUSES``: a justerat protokoll never changes, and the key covers
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
    return StoredPdfJob(name, produce, register)
