"""URLs of the back office: the secretary's register, ärenden, kallelse, drafting, justering, anslag
and rättelse pages, the signers' and members' pages, and downloads."""

from django.urls import path

from .views import (
    agenda,
    anslag,
    attendance,
    correction,
    expediering,
    history,
    meetings,
    papers,
    paragraphs,
    pdf,
    register,
    signing,
    votes,
)

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
        "sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/narvaro/",
        attendance.paragraph_movement,
        name="paragraph_movement",
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
    path(
        "sammantraden/<int:pk>/paragrafer/<int:paragraph_pk>/bilagor/",
        papers.paragraph_attachments,
        name="paragraph_attachments",
    ),
    # Before the meeting: kallelse and föredragningslista; the protokoll from the agenda
    path("sammantraden/<int:pk>/kallelse/", agenda.kallelse, name="kallelse"),
    path("sammantraden/<int:pk>/kallelse/punkter/<int:item_pk>/", agenda.agenda_item_edit, name="agenda_item_edit"),
    path(
        "sammantraden/<int:pk>/kallelse/punkter/<int:item_pk>/flytta/",
        agenda.agenda_item_move,
        name="agenda_item_move",
    ),
    path("sammantraden/<int:pk>/kallelse.pdf", agenda.kallelse_pdf, name="kallelse_pdf"),
    path("kallelser/<int:pk>/", agenda.meeting_kallelse, name="meeting_kallelse"),
    # The register
    path("register/", register.register_home, name="register_home"),
    path("register/organ/<int:pk>/", register.organ_register, name="organ_register"),
    path("register/organ/<int:pk>/uppdrag/nytt/", register.membership_create, name="membership_create"),
    path("register/organ/<int:pk>/uppdrag/<int:membership_pk>/", register.membership_edit, name="membership_edit"),
    path("register/organ/<int:pk>/importera/", register.register_import, name="register_import"),
    path("register/personer/", register.person_list, name="person_list"),
    path("register/personer/ny/", register.person_create, name="person_create"),
    path("register/personer/<int:person_pk>/", register.person_edit, name="person_edit"),
    # Ärenden and handlingar
    path("arenden/", papers.paper_list, name="paper_list"),
    path("arenden/nytt/", papers.paper_create, name="paper_create"),
    path("arenden/<int:pk>/", papers.paper_detail, name="paper_detail"),
    path("arenden/<int:pk>/ta-bort/", papers.paper_delete, name="paper_delete"),
    path("handlingar/<int:pk>/", papers.file_download, name="file_download"),
    path("handlingar/<int:pk>/andra/", papers.file_edit, name="file_edit"),
    path("handlingar/<int:pk>/ta-bort/", papers.file_delete, name="file_delete"),
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
    path("sammantraden/<int:pk>/expediering/", expediering.expediering_page, name="expediering"),
]
