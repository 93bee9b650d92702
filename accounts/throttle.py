"""Login throttling with django-axes: failed logins counted in the database (so the limit holds across
every app server), per account and per client address, each against its own limit; a lockout ends by
itself after ``LOGIN_LOCKOUT_MINUTES`` without new attempts.

Every ``authenticate()`` with a request goes through axes' backend first (settings), so our login page,
the admin's login form and the OpenID Connect callback are all covered; the lockout page comes from
``lockout_response`` through axes' middleware.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind a reverse proxy the header it sets
    (``CLIENT_IP_HEADER``, e.g. X-Forwarded-For). The right-most entry is the one our proxy added; what
    a client wrote to the left of it is its own claim and never trusted."""
    header = settings.CLIENT_IP_HEADER
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        forwarded = [part.strip() for part in value.split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


class ThrottleHandler(AxesDatabaseHandler):
    """axes' database handler with a limit of its own for a client address: many people may share one
    (a town hall behind one NAT address), so it gets a higher limit than a single account.

    axes compares one number with ``AXES_FAILURE_LIMIT`` (the account's limit); the address's count is
    scaled to it, so the lock falls when either count reaches its own limit."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS, in its order: ["username", "ip_address"].
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if get_client_username(request, credentials) is None:
            # An e-legitimation login names no account: its failures, from anywhere, would all count
            # for "no name" and lock every e-legitimation login. Only its address counts.
            by_account = 0
        return max(by_account, by_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT)


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None):
    """The page after too many failed logins (429), in the site's layout, for our login and the admin's."""
    from . import oidc

    context = {
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "password_login": oidc.password_login_enabled(),
    }
    return render(request, "registration/locked_out.html", context, status=429)
