"""Re-authentication for signing, rate-limited in the database.

A signature is given by entering one's password again in the same request. Failures are stored in
the database (not in process memory or a cache) so the limit holds across every app server, and each
attempt is counted and decided under a lock on the user's row, so that concurrent attempts are taken
one at a time: 30 simultaneous wrong passwords get exactly ``MAX_FAILURES`` checked, not more.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from meetings import models as m

MAX_FAILURES = 5
WINDOW = datetime.timedelta(minutes=15)


class ReauthError(Exception):
    """Wrong password or too many attempts; the message is shown to the user."""


def verify_password(user, password: str) -> None:
    with transaction.atomic():
        # Counting and then recording a failure races between requests; the row lock makes the two one step.
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        failures = m.PasswordFailure.objects.filter(user=user, at__gte=timezone.now() - WINDOW).count()
        locked = failures >= MAX_FAILURES
        wrong = not locked and not (password and user.check_password(password))
        if wrong:
            m.PasswordFailure.objects.create(user=user)
    if locked:
        raise ReauthError("För många felaktiga lösenord. Vänta en kvart och försök igen.")
    if wrong:
        left = MAX_FAILURES - failures - 1
        raise ReauthError("Fel lösenord." + (f" {left} försök kvar." if left else " Signering spärras nu i en kvart."))
