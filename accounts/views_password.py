"""Password reset by e-mail: Django's own views with our templates, while password login is on.

The message goes straight to the mail server (Django's ``send_mail`` through ``EMAIL_BACKEND``), not
through the outbox (``meetings.services.mail``): the outbox keeps every body in the database and shows
it in the admin, and a reset link there would let anyone who reads that table or a backup take over
the account while the link is valid.
"""

from __future__ import annotations

from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse

from . import oidc


def _context() -> dict:
    return {"site_url": settings.SITE_URL, "timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}


class _PasswordLoginOnly:
    """No password to reset while everyone logs in with e-legitimation (OIDC_PASSWORD_LOGIN=0)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not oidc.password_login_enabled():
            raise Http404("Inloggning med lösenord är avstängd.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), **_context()}


class PasswordResetView(_PasswordLoginOnly, auth_views.PasswordResetView):
    """The same answer whether or not the address belongs to an account (Django's form)."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self) -> dict:
        # Read per request, not when the module is imported.
        return _context()


class PasswordResetDoneView(_PasswordLoginOnly, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(_PasswordLoginOnly, auth_views.PasswordResetConfirmView):
    def form_valid(self, form) -> HttpResponse:
        # Whoever proved the mailbox may log in with the new password at once, lock or not.
        reset_login_failures(username=self.user.get_username())
        return super().form_valid(form)


class PasswordResetCompleteView(_PasswordLoginOnly, auth_views.PasswordResetCompleteView):
    pass
