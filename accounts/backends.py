"""The password backend: Django's, answering only while password login is on."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from . import oidc


class PasswordBackend(ModelBackend):
    """Passwords in our database: the default, and off when the municipality logs everyone in with
    e-legitimation (``OIDC_PASSWORD_LOGIN=0``). Checked here, so that the admin's login form and
    every other ``authenticate()`` refuse passwords too, not only our login page."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not oidc.password_login_enabled():
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
