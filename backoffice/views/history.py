"""The audit log of one meeting, for its secretaries and administrators."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meetings import access
from meetings.audit import meeting_history


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, edit=True)
    return render(request, "drafting/history.html", {"meeting": meeting, "entries": meeting_history(meeting)})
