"""URLs of the OParl 1.1 API. Paths are ours (OParl fixes none); each is an object's canonical id."""

from django.urls import include, path, re_path

from . import views

oparl = [
    path("", views.system, name="oparl_system"),
    path("body", views.body_list, name="oparl_body_list"),
    path("body/<int:pk>", views.body, name="oparl_body"),
    path("body/1/organization", views.organization_list, name="oparl_organization_list"),
    path("body/1/person", views.person_list, name="oparl_person_list"),
    path("body/1/membership", views.membership_list, name="oparl_membership_list"),
    path("body/1/meeting", views.meeting_list, name="oparl_meeting_list"),
    path("body/1/agendaitem", views.agenda_item_list, name="oparl_agenda_item_list"),
    path("body/1/paper", views.paper_list, name="oparl_paper_list"),
    path("body/1/file", views.file_list, name="oparl_file_list"),
    path("organization/<int:pk>", views.organization, name="oparl_organization"),
    path("organization/<int:pk>/meeting", views.organization_meetings, name="oparl_organization_meetings"),
    path("party/<int:pk>", views.party, name="oparl_party"),
    path("person/<int:pk>", views.person, name="oparl_person"),
    path("membership/<int:pk>", views.membership, name="oparl_membership"),
    path("meeting/<int:pk>", views.meeting, name="oparl_meeting"),
    path("location/<int:pk>", views.location, name="oparl_location"),
    path("protocol/<int:pk>", views.protocol, name="oparl_protocol"),
    path("agendaitem/<int:pk>", views.agenda_item, name="oparl_agenda_item"),
    path("paper/<int:pk>", views.paper, name="oparl_paper"),
    path("consultation/<int:pk>", views.consultation, name="oparl_consultation"),
    path("file/<int:pk>", views.file, name="oparl_file"),
    # Anything else under the prefix: an OParl Error object, not the site's HTML 404 page.
    re_path(r"^(?P<rest>.*)$", views.not_found),
]

urlpatterns = [path("api/oparl/1.1/", include(oparl))]
