"""Re-authentication for signing, rate-limited in the database.

A signature is given by entering one's password again in the same request. Failures are stored in
the database (not in process memory or a cache) so the limit holds across every app server.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from meetings import models as m

MAX_FAILURES = 5
WINDOW = datetime.timedelta(minutes=15)


class ReauthError(Exception):
    """Wrong password or too many attempts; the message is shown to the user."""


def verify_password(user, password: str) -> None:
    since = timezone.now() - WINDOW
    failures = m.PasswordFailure.objects.filter(user=user, at__gte=since).count()
    if failures >= MAX_FAILURES:
        raise ReauthError("För många felaktiga lösenord. Vänta en kvart och försök igen.")
    if not password or not user.check_password(password):
        m.PasswordFailure.objects.create(user=user)
        left = MAX_FAILURES - failures - 1
        raise ReauthError("Fel lösenord." + (f" {left} försök kvar." if left else " Signering spärras nu i en kvart."))
