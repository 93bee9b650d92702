"""URLs of the public digital anslagstavla (no login) and the verification page."""

from django.urls import include, path

from . import views

board = [
    path("", views.board, name="public_board"),
    path("<int:pk>/", views.anslag_detail, name="public_anslag"),
    path("<int:pk>/protokoll.pdf", views.anslag_pdf, name="public_anslag_pdf"),
    path("sammantraden/<int:pk>/", views.notice_detail, name="public_notice"),
    path("handlingar/<int:pk>/", views.public_file, name="public_file"),
    path("arkiv/", views.archive, name="public_archive"),
    path("sok/", views.search, name="public_search"),
    path("feed/", views.feed, name="public_feed"),
]

urlpatterns = [
    path("anslagstavla/", include(board)),
    path("verifiera/", views.verify, name="verify"),
]
