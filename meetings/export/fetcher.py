"""The URL fetcher of every PDF: WeasyPrint never fetches what user content names.

``StaticOnlyURLFetcher`` serves the project's bundled static files (the fonts) and ``data:`` URIs
and refuses everything else before any I/O happens.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "protokoll-static"


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
