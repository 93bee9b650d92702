"""What every back-office page needs in its template: whether to show the register's menu items, and
"Att justera (2)" when rounds wait for the user's signature."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from meetings import access
from meetings import models as m


def waiting_for_signature(user) -> int:
    """How many justering rounds wait for ``user``'s signature (one query)."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return 0
    return m.Justering.objects.waiting_for(person).count()


def navigation(request: HttpRequest) -> dict:
    # Lazy: only a page that shows the menu (a signed-in user's) asks the database.
    return {
        "keeps_register": SimpleLazyObject(lambda: access.keeps_register(request.user)),
        "waiting_count": SimpleLazyObject(lambda: waiting_for_signature(request.user)),
    }
