"""What every back-office page needs in its template: whether to show the register's menu items."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from meetings import access


def navigation(request: HttpRequest) -> dict:
    # Lazy: only a page that shows the menu (a signed-in user's) asks the database.
    return {"keeps_register": SimpleLazyObject(lambda: access.keeps_register(request.user))}
