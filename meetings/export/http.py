"""PDF downloads over HTTP: the staff PDFs and the public anslagstavla's PDF alike."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.http import HttpResponse


def pdf_response(filename: str, content: bytes) -> HttpResponse:
    """A PDF download with its filename."""
    response = HttpResponse(content, content_type="application/pdf")
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
