"""URLs of the public digital anslagstavla (no login), included at /anslagstavla/."""

from django.urls import path

from .feeds import AnslagFeed
from .views import public

urlpatterns = [
    path("", public.board, name="public_board"),
    path("<int:pk>/", public.anslag_detail, name="public_anslag"),
    path("<int:pk>/protokoll.pdf", public.anslag_pdf, name="public_anslag_pdf"),
    path("arkiv/", public.archive, name="public_archive"),
    path("sok/", public.search, name="public_search"),
    path("feed/", AnslagFeed(), name="public_feed"),
]
