"""What may be uploaded as a handling or a bilaga, decided from the content, never from the name.

- Accepted: PDF, Word (DOCX), Excel (XLSX), PNG and JPEG. Recognised by their first bytes; DOCX and
  XLSX are ZIP files told apart by the parts their central directory lists (``word/document.xml``,
  ``xl/workbook.xml``), read without unpacking anything. Office files with macros are refused.
- The name's extension must agree with the content: a ".pdf" that is HTML is refused, so a file is
  never stored, or served, as something it is not.
- At most ``settings.HANDLING_MAX_BYTES``.
- Personnummer: the text of a PDF (its text layer, with pypdf), a DOCX or an XLSX is searched with
  ``meetings.public.PERSONNUMMER``. Publishing one is the secretary's responsibility (SKR;
  Datainspektionen); the search only warns. A scanned PDF without a text layer cannot be searched,
  and says so.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from .models import PersonnummerScan

# Searching text stops after this many PDF pages or this many bytes of unpacked XML: enough for any
# tjänsteskrivelse, and a bound on the time and memory a hostile file can take.
MAX_SCAN_PAGES = 300
MAX_SCAN_XML_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    mime_type: str
    extensions: tuple[str, ...]
    label: str


PDF = FileType("application/pdf", (".pdf",), "PDF")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "Word (DOCX)")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "Excel (XLSX)")
PNG = FileType("image/png", (".png",), "PNG-bild")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG-bild")
TYPES = (PDF, DOCX, XLSX, PNG, JPEG)

ACCEPT = ",".join(ext for t in TYPES for ext in t.extensions)
ACCEPTED_TEXT = "PDF, Word (DOCX), Excel (XLSX), PNG eller JPEG"


class UploadRefused(Exception):
    """The upload cannot be stored; the message says why, in Swedish, for the user."""


@dataclass
class CheckedUpload:
    file_type: FileType
    file_name: str
    size: int
    sha256: str
    scan: str  # a PersonnummerScan value


def type_label(mime_type: str) -> str:
    return next((t.label for t in TYPES if t.mime_type == mime_type), mime_type)


def max_bytes() -> int:
    return settings.HANDLING_MAX_BYTES


def size_text(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def clean_file_name(name: str) -> str:
    """The uploaded name without any directory, control characters or odd whitespace, at most 200
    characters with its extension kept. Only ever shown and sent as a download name, never used
    as a storage path."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = " ".join(name.split()).strip(". ")
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 10:
        return f"{stem[: 200 - len(ext) - 1]}.{ext}" if stem else f"fil.{ext}"
    return name[:200] or "fil"


def _zip_type(stream: IO[bytes]) -> FileType | None:
    try:
        names = set(zipfile.ZipFile(stream).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.endswith("vbaProject.bin") for n in names):
        raise UploadRefused("Filer med makron tas inte emot. Spara dokumentet utan makron och försök igen.")
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect_type(stream: IO[bytes]) -> FileType | None:
    """The accepted type the content is, or None. Leaves the stream at its start."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            return _zip_type(stream)
        finally:
            stream.seek(0)
    return None


def _pdf_text_has_personnummer(stream: IO[bytes]) -> str:
    from pypdf import PdfReader

    from .public import PERSONNUMMER

    try:
        reader = PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            return PersonnummerScan.UNREADABLE
        found_text = False
        for page in reader.pages[:MAX_SCAN_PAGES]:
            text = page.extract_text() or ""
            found_text = found_text or bool(text.strip())
            if PERSONNUMMER.search(text):
                return PersonnummerScan.FOUND
    except Exception:  # noqa: BLE001 - a PDF pypdf cannot read is still a PDF; we only cannot search it
        return PersonnummerScan.UNREADABLE
    return PersonnummerScan.NONE_FOUND if found_text else PersonnummerScan.UNREADABLE


_PARAGRAPH_END = re.compile(rb"</w:p>|</si>|</c>|</row>")
_TAG = re.compile(rb"<[^>]*>")


def _office_text_has_personnummer(stream: IO[bytes], file_type: FileType) -> str:
    """Search the document's XML text: Word runs of one paragraph are joined (a personnummer may
    be split across runs), paragraphs and cells are kept apart."""
    from .public import PERSONNUMMER

    prefixes = ("word/document.xml",) if file_type is DOCX else ("xl/sharedStrings.xml", "xl/worksheets/")
    budget = MAX_SCAN_XML_BYTES
    try:
        with zipfile.ZipFile(stream) as archive:
            for info in archive.infolist():
                if not info.filename.startswith(prefixes) or budget <= 0:
                    continue
                with archive.open(info) as part:
                    data = part.read(budget)
                budget -= len(data)
                text = _TAG.sub(b"", _PARAGRAPH_END.sub(b"\n", data)).decode("utf-8", "replace")
                if PERSONNUMMER.search(html.unescape(text)):
                    return PersonnummerScan.FOUND
    except Exception:  # noqa: BLE001 - a damaged archive cannot be searched; the user is told
        return PersonnummerScan.UNREADABLE
    return PersonnummerScan.NONE_FOUND


def scan_personnummer(stream: IO[bytes], file_type: FileType) -> str:
    """Whether the file's text holds a personnummer (a ``PersonnummerScan`` value)."""
    stream.seek(0)
    try:
        if file_type is PDF:
            return _pdf_text_has_personnummer(stream)
        if file_type in (DOCX, XLSX):
            return _office_text_has_personnummer(stream, file_type)
        return PersonnummerScan.NO_TEXT
    finally:
        stream.seek(0)


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Check an uploaded file; raises UploadRefused with the reason."""
    limit = max_bytes()
    if upload.size is None or upload.size > limit:
        raise UploadRefused(f"Filen är för stor. Den får vara högst {size_text(limit)}.")
    if upload.size == 0:
        raise UploadRefused("Filen är tom.")
    stream = upload.open("rb")
    file_type = detect_type(stream)
    name = clean_file_name(upload.name or "")
    if file_type is None:
        raise UploadRefused(f"Filens innehåll är inte en filtyp som tas emot. Ladda upp {ACCEPTED_TEXT}.")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        name = f"{name}{file_type.extensions[0]}"
    elif f".{ext.lower()}" not in file_type.extensions:
        raise UploadRefused(
            f"Filen heter ”{name}” men innehållet är {file_type.label}. "
            "Filändelsen måste stämma med innehållet: välj rätt fil eller byt namn på den."
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    scan = scan_personnummer(stream, file_type)
    return CheckedUpload(file_type, name, upload.size, digest.hexdigest(), scan)
