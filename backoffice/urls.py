"""URLs of the back office: the secretary's drafting, justering, anslag and rättelse pages, the
signers' pages, and PDF downloads."""

from django.urls import path

from .views import anslag, attendance, correction, history, meetings, paragraphs, pdf, signing, votes

urlpatterns = [
    path("", meetings.dashboard, name="dashboard"),
    # Drafting
    path("sammantraden/nytt/", meetings.meeting_create, name="meeting_create"),
    path("sammantraden/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("sammantraden/<int:pk>/andra/", meetings.meeting_edit, name="meeting_edit"),
    path("sammantraden/<int:pk>/narvaro/", attendance.attendance, name="attendance"),
    path("sammantraden/<int:pk>/forhandsgranskning/", meetings.preview, name="preview"),
    path("sammantraden/<int:pk>/paragrafer/", paragraphs.paragraph_list, name="paragraph_list"),
    path("sammantraden/<int:pk>/paragrafer/ny/", paragraphs.paragraph_create, name="paragraph_create"),
    path("sammantraden/<int:pk>/paragrafer/numrera/", paragraphs.paragraph_renumber, name="paragraph_renumber"),
    path("sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/", paragraphs.paragraph_edit, name="paragraph_edit"),
    path(
        "sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/flytta/", paragraphs.paragraph_move, name="paragraph_move"
    ),
    path(
        "sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/ta-bort/",
        paragraphs.paragraph_delete,
        name="paragraph_delete",
    ),
    path("sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/omrostningar/ny/", votes.vote_edit, name="vote_create"),
    path(
        "sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/omrostningar/<int:vote_pk>/",
        votes.vote_edit,
        name="vote_edit",
    ),
    path(
        "sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/omrostningar/<int:vote_pk>/ta-bort/",
        votes.vote_delete,
        name="vote_delete",
    ),
    # PDF downloads
    path("sammantraden/<int:pk>/protokoll.pdf", pdf.protokoll_pdf, name="protokoll_pdf"),
    path("sammantraden/<int:pk>/protokollsutdrag.pdf", pdf.protokollsutdrag_pdf, name="protokollsutdrag_pdf"),
    # Justering: the secretary sends, the signers sign or send back
    path("sammantraden/<int:pk>/skicka-till-justering/", signing.send_to_justering, name="send_to_justering"),
    path(
        "sammantraden/<int:pk>/omedelbar-justering/",
        signing.send_immediate_justering,
        name="send_immediate_justering",
    ),
    path("att-justera/", signing.att_justera, name="att_justera"),
    path("justering/<int:pk>/", signing.justering_detail, name="justering_detail"),
    path("justering/<int:pk>/signera/", signing.justering_sign, name="justering_sign"),
    path("justering/<int:pk>/skicka-tillbaka/", signing.justering_send_back, name="justering_send_back"),
    # After justering: anslag, rättelse, history
    path("anslag/", anslag.anslag_pending, name="anslag_pending"),
    path("anslag/justering/<int:pk>/", anslag.anslag_post, name="anslag_post"),
    path("sammantraden/<int:pk>/rattelse/", correction.correction, name="correction"),
    path("sammantraden/<int:pk>/historik/", history.history, name="meeting_history"),
]
