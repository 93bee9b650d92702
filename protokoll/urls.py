"""The project's URLs: one include per app (after pretix: the back office, the public front, accounts,
the open-data API)."""

from django.contrib import admin
from django.urls import include, path

from accounts.views_oidc import admin_login

urlpatterns = [
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("backoffice.urls")),
    path("", include("anslagstavla.urls")),
    path("", include("api.urls")),
]

# 400, 403 and 404: Django's handlers with our templates; 500 (and 503 for the database) our own.
handler500 = "protokoll.errors.server_error"
