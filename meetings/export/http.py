"""Downloads over HTTP: the staff PDFs and the public anslagstavla's PDF alike, and uploaded
handlingar and bilagor."""

from __future__ import annotations

import logging
import unicodedata
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse

from .. import models as m

logger = logging.getLogger(__name__)

# An uploaded file is never a page of ours: if a browser renders it anyway, it runs nothing and
# reaches nothing.
UPLOAD_CSP = "default-src 'none'; sandbox"


def pdf_response(filename: str, content: bytes) -> HttpResponse:
    """A PDF download with its filename."""
    return _download_headers(HttpResponse(content, content_type="application/pdf"), filename)


def stored_pdf_response(name: str, filename: str) -> HttpResponse:
    """A PDF download of a file in the default storage."""
    with default_storage.open(name, "rb") as stored:
        return pdf_response(filename, stored.read())


def _download_headers(response: HttpResponse, filename: str) -> HttpResponse:
    # RFC 6266/5987: a plain-ASCII filename for old clients, the real one (with "§") in filename*.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def ascii_filename(filename: str) -> str:
    """A plain-ASCII fallback for old clients: "§ 344" becomes "p 344", "å" becomes "a"."""
    text = filename.replace("§§", "p").replace("§", "p").replace("–", "-")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text if c.isalnum() or c in " .-_,()") or "protokoll.pdf"


def file_response(file: m.File, *, private: bool) -> FileResponse:
    """An uploaded handling or bilaga as a download: always an attachment, with the type found from
    its content at upload (never the browser's guess), so that it cannot be shown inline as a page
    of this site. ``private`` keeps shared caches from storing it."""
    try:
        stream = default_storage.open(file.content.name, "rb")
    except FileNotFoundError as error:
        logger.error("Stored file missing: %s (File %s)", file.content.name, file.pk)
        raise Http404("Filen finns inte.") from error
    response = FileResponse(stream, as_attachment=True, filename=file.file_name, content_type=file.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CSP
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
