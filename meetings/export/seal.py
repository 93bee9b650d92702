"""The organisation's seal on justerade PDFs (PAdES, with pyHanko) and its verification.

The seal is an electronic signature by the organisation's certificate (settings.SEAL_CERT_FILE and
SEAL_KEY_FILE), not a person's: the people's signatures are the justering records (who, when, the
SHA-256 of the content), which the PDF prints in its signature section. The seal makes any later
change to the file detectable. ``manage.py create_dev_certificate`` makes a self-signed certificate
for development and tests.
"""

from __future__ import annotations

import asyncio
import datetime
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

FIELD_NAME = "Forsegling"


@lru_cache(maxsize=4)
def _signer(key_file: str, cert_file: str, passphrase: str) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load(key_file, cert_file, key_passphrase=passphrase.encode() or None)
    if signer is None:
        raise ImproperlyConfigured("Kunde inte läsa sigillets nyckel eller certifikat.")
    return signer


def _paths() -> tuple[str, str, str]:
    key, cert = settings.SEAL_KEY_FILE, settings.SEAL_CERT_FILE
    if not key or not cert or not Path(key).exists() or not Path(cert).exists():
        raise ImproperlyConfigured(
            "Sigillcertifikat saknas: sätt SEAL_KEY_FILE och SEAL_CERT_FILE, eller kör "
            "'python manage.py create_dev_certificate' i utveckling."
        )
    return str(key), str(cert), settings.SEAL_KEY_PASSPHRASE


def seal_pdf(data: bytes, reason: str = "Justerat protokoll") -> bytes:
    """Seal ``data`` with the organisation certificate (PAdES baseline, SHA-256), incrementally so
    that the PDF/A content stays as rendered."""
    signer = _signer(*_paths())
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=settings.SEAL_LOCATION,
    )
    if _loop_running():
        # pyHanko's sign_pdf runs its own event loop, which cannot start inside a running one (an
        # in-process task under an ASGI server, or a test that drives a browser): use a thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            out = pool.submit(signers.sign_pdf, writer, meta, signer=signer).result()
    else:
        out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@dataclass
class SealStatus:
    sealed: bool
    intact: bool
    trusted: bool
    signer: str
    signed_at: datetime.datetime | None

    @property
    def valid(self) -> bool:
        return self.sealed and self.intact and self.trusted


def _trust_roots():
    from pyhanko.keys import load_cert_from_pemder

    return [load_cert_from_pemder(_paths()[1])]


def check_seal(data: bytes) -> SealStatus:
    """Validate the seal of a PDF against our certificate. Never raises on bad input."""
    try:
        reader = PdfFileReader(io.BytesIO(data))
        sigs = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any unreadable upload is simply "not sealed"
        return SealStatus(False, False, False, "", None)
    if not sigs:
        return SealStatus(False, False, False, "", None)
    sig = sigs[-1]
    try:
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=_trust_roots()))
    except Exception:  # noqa: BLE001 - a malformed signature is an invalid one
        return SealStatus(True, False, False, "", None)
    return SealStatus(
        sealed=True,
        # Nothing may follow the seal: a later incremental update would change what is shown.
        intact=status.intact and status.valid and status.coverage.name == "ENTIRE_FILE",
        trusted=status.trusted,
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
    )
