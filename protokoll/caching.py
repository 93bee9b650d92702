"""HTTP caching of public responses: validators (ETag, Last-Modified), 304 on revalidation, and
pages kept in Django's cache framework.

- ``conditional``: answer 304 when the client's copy is current, else build the response; either way
  with ``ETag``, ``Last-Modified`` and ``Cache-Control: public, max-age``. For responses whose
  validator is known before building them (a stored PDF, a stored page).
- ``cached_page``: a whole page from the cache (local memory, or Redis from ``CACHE_URL``), keyed by
  the caller's version parts (e.g. ``meetings.publication.generation()`` and today's date) and the
  request's scheme, host, path and whole query (``page_key``), so a change is seen by the first
  request after it on every server. Its ETag is a hash of the content.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

# How long a browser or proxy may use a public list without asking again; changes reach it after
# at most this long (the server itself never serves a stale list).
LIST_MAX_AGE = 60
# A posted protokoll changes only by a rättelse.
DOCUMENT_MAX_AGE = 300
# Cached pages expire anyway after a day: today's date is part of their key.
PAGE_TIMEOUT = 24 * 3600


def _finish(response: HttpResponse, etag: str, last_modified: datetime.datetime | None, max_age: int) -> HttpResponse:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(int(last_modified.timestamp()))
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def conditional(
    request: HttpRequest,
    etag: str,
    last_modified: datetime.datetime | None,
    build: Callable[[], HttpResponse],
    max_age: int = DOCUMENT_MAX_AGE,
) -> HttpResponse:
    """304 Not Modified if the client's copy matches ``etag``/``last_modified``, else ``build()``.
    A built response other than 200 goes out as it is, without validators."""
    quoted = quote_etag(etag)
    timestamp = int(last_modified.timestamp()) if last_modified is not None else None
    response = get_conditional_response(request, etag=quoted, last_modified=timestamp)
    if response is None:
        response = build()
        if response.status_code != 200:
            return response
    return _finish(response, quoted, last_modified, max_age)


def page_key(request: HttpRequest, name: str, version: Iterable[object]) -> str:
    """The cache key of a page: everything it is built from. The version parts; the scheme and host
    (the feed's links are absolute); the path; and the whole query, every value of every parameter,
    in a normal order, so that ``?a=1&b=2`` and ``?b=2&a=1`` share one entry."""
    query = sorted((k, v) for k, values in request.GET.lists() for v in values)
    parts = [name, *(str(v) for v in version), request.scheme, request.get_host(), request.path, urlencode(query)]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached_page(
    request: HttpRequest,
    name: str,
    version: Iterable[object],
    build: Callable[[], HttpResponse],
    max_age: int = LIST_MAX_AGE,
) -> HttpResponse:
    """The page ``name`` for this request, from the cache while ``version`` is unchanged."""
    key = page_key(request, name, version)
    entry = cache.get(key)
    if entry is None:
        response = build()
        if response.status_code != 200 or response.streaming:
            return response
        content = response.content
        entry = (content, response["Content-Type"], hashlib.sha256(content).hexdigest()[:32])
        cache.set(key, entry, PAGE_TIMEOUT)
    content, content_type, digest = entry
    return conditional(request, digest, None, lambda: HttpResponse(content, content_type=content_type), max_age=max_age)
