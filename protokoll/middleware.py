"""The project's middleware: a strict Content-Security-Policy, the size of a request bounded before its
body is read, ``Cache-Control: private, no-store`` on what a login shows, and the 409 of locked content."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
]
POLICY = "; ".join([*DIRECTIVES, "form-action 'self'"])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", policy())
        return response


def policy() -> str:
    """The policy; with e-legitimation, forms may also lead to the identity provider ("Signera" and
    "Logga ut" answer with a redirect there, and browsers apply form-action to redirects)."""
    from accounts import oidc

    origins = oidc.form_action_origins()
    if not origins:
        return POLICY
    return "; ".join([*DIRECTIVES, " ".join(["form-action 'self'", *origins])])


class ProtokollLockedMiddleware:
    """Turn a refused change of locked protokoll content into a clear Swedish answer (409), not a 500.

    The lock is enforced at the model layer (meetings.locking), so any view or the admin can hit it
    when the state changed under the user's feet.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from meetings.locking import ProtokollLocked

        if isinstance(exception, ProtokollLocked):
            return render(request, "409.html", {"message": exception.message}, status=409)
        return None


def limit_request_size(max_bytes: int) -> Callable:
    """Give a view its own bound on the request body (``RequestSizeMiddleware``), e.g. a larger upload."""

    def decorator(view: Callable) -> Callable:
        view.max_request_bytes = max_bytes
        return view

    return decorator


class RequestSizeMiddleware:
    """Refuse a request whose declared body is larger than its view accepts (413), before anything reads
    the body: it sits before the CSRF check, which parses a POST. Django's own limits count only what
    is held in memory; an uploaded file would otherwise be written to disk in full first. The proxy in
    front bounds the body too (README: client_max_body_size)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs) -> HttpResponse | None:
        from django.shortcuts import render

        limit = getattr(view_func, "max_request_bytes", settings.REQUEST_MAX_BYTES)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= limit:
            return None
        context = {"max_mb": max(1, limit // (1024 * 1024))}
        return render(request, "413.html", context, status=413)


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response to a request with a session (a logged-in
    user's pages, draft PDFs, downloads of non-public files), unless the view marked it public (the
    anslagstavla's cached pages, protokoll.caching): no shared cache or browser history keeps them.

    The session cookie decides, not ``request.user``: that would ask the database on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response
