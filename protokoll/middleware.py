"""A strict Content-Security-Policy: everything from our own origin, no inline script, no CDN."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
            return render(request, "locked.html", {"message": exception.message}, status=409)
        return None
