"""Downloads of the protokoll as PDF: the whole "Protokoll" and a "Protokollsutdrag" of chosen §§."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from .. import access
from .. import models as m
from ..document import load_meeting
from ..pdf import UnknownParagraphError, ascii_filename, export_pdf


def may_download(user, meeting: m.Meeting) -> bool:
    """Staff who may see the meeting download its PDFs in any state.

    The public anslagstavla will add: anyone may download a justerat protokoll that is published
    (extend here, and the views below serve anonymous users too).
    """
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


def pdf_response(filename: str, content: bytes) -> HttpResponse:
    """A PDF download: the staff PDFs here and the public anslagstavla's PDF alike."""
    response = HttpResponse(content, content_type="application/pdf")
    # RFC 6266/5987: a plain-ASCII filename for old clients, the real one (with "§") in filename*.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
