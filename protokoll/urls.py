"""The project's URLs: one include per app (after pretix: the back office, the public front, accounts)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("backoffice.urls")),
    path("", include("anslagstavla.urls")),
]
