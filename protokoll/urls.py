from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("meetings.urls")),
    path("", include("meetings.urls_pdf")),
    path("", include("meetings.urls_signing")),
    path("", include("meetings.urls_anslag")),
    path("anslagstavla/", include("meetings.urls_public")),
]
