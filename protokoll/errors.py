"""The error pages' handlers (templates/400.html … 503.html, in the site's layout).

Django's own handlers serve 400, 403 (with the reason the code gave) and 404 from our templates; this
module adds the 500 handler, which answers 503 with Retry-After when the database cannot be reached.
Both render without a request, so neither the session nor the menu asks the database.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import patch_cache_control

# How long a client should wait before trying again while the database is away (seconds).
RETRY_AFTER = 10


def database_unavailable() -> HttpResponse:
    """503: the database is down or restarting; the next request after it is back succeeds (the
    connection is tested before use: CONN_HEALTH_CHECKS)."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    patch_cache_control(response, no_store=True)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: called inside Django's handling of an uncaught exception, so ``sys.exc_info()`` is it.
    A database that cannot be reached (or dropped the connection) is a 503, anything else a 500."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable()
    return HttpResponse(loader.render_to_string("500.html"), status=500)
