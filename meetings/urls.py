from django.contrib.auth import views as auth_views
from django.urls import path

from .views import drafting

urlpatterns = [
    path("", drafting.dashboard, name="dashboard"),
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sammantraden/nytt/", drafting.meeting_create, name="meeting_create"),
    path("sammantraden/<int:pk>/", drafting.meeting_detail, name="meeting_detail"),
    path("sammantraden/<int:pk>/andra/", drafting.meeting_edit, name="meeting_edit"),
    path("sammantraden/<int:pk>/narvaro/", drafting.attendance, name="attendance"),
    path("sammantraden/<int:pk>/forhandsgranskning/", drafting.preview, name="preview"),
    path("sammantraden/<int:pk>/paragrafer/", drafting.paragraph_list, name="paragraph_list"),
    path("sammantraden/<int:pk>/paragrafer/ny/", drafting.paragraph_create, name="paragraph_create"),
    path("sammantraden/<int:pk>/paragrafer/numrera/", drafting.paragraph_renumber, name="paragraph_renumber"),
    path("sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/", drafting.paragraph_edit, name="paragraph_edit"),
    path("sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/flytta/", drafting.paragraph_move, name="paragraph_move"),
    path(
        "sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/ta-bort/",
        drafting.paragraph_delete,
        name="paragraph_delete",
    ),
    path(
        "sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/omrostningar/ny/", drafting.vote_edit, name="vote_create"
    ),
    path(
        "sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/omrostningar/<int:vote_pk>/",
        drafting.vote_edit,
        name="vote_edit",
    ),
    path(
        "sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/omrostningar/<int:vote_pk>/ta-bort/",
        drafting.vote_delete,
        name="vote_delete",
    ),
]
