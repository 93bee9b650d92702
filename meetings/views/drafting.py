"""Views for the secretary (and other staff of an organ): dashboard and the protokoll preview."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import access
from .. import models as m
from ..document import build_document


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    meetings = list(access.visible_meetings(request.user).select_related("organ").order_by("-date", "-start_time"))
    groups = [(label, [mt for mt in meetings if mt.status == value]) for value, label in m.MeetingStatus.choices]
    return render(
        request,
        "drafting/dashboard.html",
        {"groups": [g for g in groups if g[1]], "organs": access.editable_organs(request.user)},
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    document = build_document(meeting)
    return render(
        request,
        "drafting/meeting_detail.html",
        {"meeting": meeting, "doc": document, "can_edit": access.can_edit_meeting(request.user, meeting)},
    )
