"""URLs of the secretary's side of the anslag (posting); the public board is meetings.urls_public."""

from django.urls import path

from .views import anslag

urlpatterns = [
    path("anslag/", anslag.anslag_pending, name="anslag_pending"),
    path("anslag/justering/<int:pk>/", anslag.anslag_post, name="anslag_post"),
]
