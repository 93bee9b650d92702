"""The login page (password and/or e-legitimation), the OpenID Connect login and its callback, logout
(here and at the provider), and the admin's login when passwords are off.

One callback URL serves both logins and signatures: a ``state`` that belongs to a SigningRequest is a
signature (``accounts.stepup``), any other is a login (mozilla-django-oidc). The provider needs only
this one redirect URI registered.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from django.conf import settings
from django.contrib import admin, auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from meetings import models as m
from meetings.services import eid as eid_service

from . import oidc, stepup

logger = logging.getLogger(__name__)

# Set in the session of a login through the provider: logging out then ends the provider's session too.
EID_SESSION_KEY = "eid_login"
# The code of a person the provider knows but Protokoll does not, for the page that says whom to contact.
UNKNOWN_CODE_KEY = "eid_unknown_code"


class LoginView(auth_views.LoginView):
    """The login page: the e-legitimation button when configured, the password form unless it is off."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["eid"] = oidc.enabled()
        context["eid_name"] = settings.OIDC_PROVIDER_NAME
        context["password_login"] = oidc.password_login_enabled()
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not oidc.password_login_enabled():
            messages.error(request, "Inloggning med lösenord är avstängd. Logga in med e-legitimation.")
            return redirect("login")
        return super().post(request, *args, **kwargs)


def _failure(request: HttpRequest, status: int, unknown: bool = False, code: str = "") -> HttpResponse:
    context = {
        "unknown": unknown,
        "code": " ".join(code[i : i + 8] for i in range(0, len(code), 8)),
        "contact": settings.OIDC_CONTACT,
        "eid_name": settings.OIDC_PROVIDER_NAME,
    }
    return render(request, "registration/eid_failed.html", context, status=status)


class LoginStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider to log in (state, nonce and PKCE kept in the session)."""

    def __init__(self, *args, **kwargs) -> None:
        # The library reads the endpoints here; ours come from discovery in get().
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc.enabled():
            raise Http404("E-legitimation är inte konfigurerad.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.provider().authorization_endpoint
        except oidc.ProviderUnavailable:
            return _failure(request, 503)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        response = super().get(request)
        # The library takes the redirect URI from the request's Host; ours comes from SITE_URL.
        url = urlsplit(response["Location"])
        query = [(k, oidc.callback_url(request) if k == "redirect_uri" else v) for k, v in parse_qsl(url.query)]
        response["Location"] = urlunsplit(url._replace(query=urlencode(query)))
        return response


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back, after a login or a signature."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc.enabled():
            raise Http404("E-legitimation är inte konfigurerad.")
        signing = eid_service.find_request(request.GET.get("state", ""))
        if signing is not None:
            return self._signature(request, signing)
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException, oidc.ProviderUnavailable) as exc:
            # A replayed or foreign state, a refused ID token, or a provider that did not answer.
            logger.warning("OpenID Connect login refused: %s", exc)
            return _failure(request, 400)

    def _signature(self, request: HttpRequest, signing: m.SigningRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            justering = stepup.complete(request, signing)
        except eid_service.SigningRefused as exc:
            messages.error(request, str(exc))
            return redirect("justering_detail", pk=signing.justering_id)
        if justering.status == m.JusteringStatus.JUSTERAT:
            messages.success(request, "Du har signerat med e-legitimation. Protokollet är nu justerat av alla.")
        else:
            messages.success(request, "Du har signerat med e-legitimation.")
        report = getattr(justering, "mail_report", None)
        if report is not None and report.done:  # whom the e-mail reached, once it has been sent
            messages.add_message(request, report.level, report.summary())
        return redirect("justering_detail", pk=signing.justering_id)

    def login_failure(self) -> HttpResponse:
        failure = getattr(self.request, "oidc_failure", None)
        if failure is not None and failure.unknown:
            # A page of its own, so that reloading it does not send the used code again.
            self.request.session[UNKNOWN_CODE_KEY] = failure.code
            return redirect("eid_unknown")
        return _failure(self.request, 400)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        self.request.session[EID_SESSION_KEY] = True
        return response


def unknown(request: HttpRequest) -> HttpResponse:
    """Whom to contact, and the code to give them, after a login by a person nobody registered."""
    code = request.session.get(UNKNOWN_CODE_KEY)
    if not code:
        return redirect("login")
    return _failure(request, 200, unknown=True, code=code)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Log out here; after a login through the provider, also at the provider where it supports
    RP-initiated logout (it asks the user, then sends them back to the login page)."""
    through_provider = bool(request.session.get(EID_SESSION_KEY))
    auth.logout(request)
    if through_provider and oidc.enabled():
        try:
            end_session = oidc.provider().end_session_endpoint
        except oidc.ProviderUnavailable:
            end_session = ""
        if end_session:
            # client_id rather than id_token_hint: the ID token is never kept (it may carry a personnummer).
            params = {
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "post_logout_redirect_uri": oidc.absolute_url(request, resolve_url(settings.LOGOUT_REDIRECT_URL)),
            }
            return HttpResponseRedirect(f"{end_session}?{urlencode(params)}")
    return redirect(settings.LOGOUT_REDIRECT_URL)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's own login form, while passwords are on; otherwise our login page."""
    if oidc.password_login_enabled():
        return admin.site.login(request)
    return redirect_to_login(request.GET.get("next", reverse("admin:index")), resolve_url(settings.LOGIN_URL))
