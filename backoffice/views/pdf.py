"""Downloads of the protokoll as PDF: the whole "Protokoll" and a "Protokollsutdrag" of chosen §§."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from meetings import access
from meetings import models as m
from meetings.export.document import load_meeting
from meetings.export.http import pdf_response
from meetings.export.pdf import export_pdf
from meetings.export.render import UnknownParagraphError


def may_download(user, meeting: m.Meeting) -> bool:
    """Staff who may see the meeting download its PDFs in any state. The public reads the published
    version on the anslagstavla (``anslagstavla.views.anslag_pdf``)."""
    return access.visible_meetings(user).filter(pk=meeting.pk).exists()


class _LoginRequired(Exception):
    pass


def _get_meeting_for_download(request: HttpRequest, pk: int) -> m.Meeting:
    """The meeting if the user may download it; 404 otherwise, so outsiders cannot tell it exists."""
    try:
        meeting = load_meeting(pk)
    except m.Meeting.DoesNotExist:
        meeting = None
    if meeting is not None and may_download(request.user, meeting):
        return meeting
    if not request.user.is_authenticated:
        raise _LoginRequired
    raise Http404("Sammanträdet finns inte.")


def protokoll_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = _get_meeting_for_download(request, pk)
    except _LoginRequired:
        return redirect_to_login(request.get_full_path())
    exported = export_pdf(meeting)
    return pdf_response(exported.filename, exported.content)


def protokollsutdrag_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ?p=344&p=345: an extract of those §§ (the § picker on the meeting page)."""
    try:
        meeting = _get_meeting_for_download(request, pk)
    except _LoginRequired:
        return redirect_to_login(request.get_full_path())
    raw = request.GET.getlist("p")
    if not raw:
        messages.error(request, "Välj minst en paragraf till protokollsutdraget.")
        return redirect(meeting)
    try:
        numbers = [int(value) for value in raw]
    except ValueError as error:
        raise Http404("Paragrafen finns inte i protokollet.") from error
    try:
        exported = export_pdf(meeting, numbers)
    except UnknownParagraphError as error:
        raise Http404(str(error)) from error
    return pdf_response(exported.filename, exported.content)
