"""Downloads of the protokoll as PDF: the whole "Protokoll" and a "Protokollsutdrag" of chosen §§.

A draft is rendered for the request. A justerat protokoll's PDFs are sealed and stored by a task when
it becomes justerat (``meetings.services.documents``); a download that comes before the task is done
gets a page that says so and refreshes itself, never a request that waits for WeasyPrint.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers

from meetings import access
from meetings import models as m
from meetings.export.document import load_meeting
from meetings.export.http import pdf_response
from meetings.export.render import UnknownParagraphError
from meetings.services.documents import Pending, prepared_pdf


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
    return _download(request, meeting, None)


def _download(request: HttpRequest, meeting: m.Meeting, numbers: list[int] | None) -> HttpResponse:
    exported = prepared_pdf(meeting, numbers)
    if isinstance(exported, Pending):
        context = {"meeting": meeting, "filename": exported.filename.removesuffix(".pdf")}
        if exported.failed:
            # Tried MAX_ATTEMPTS times: say so, rather than a page that waits for ever.
            response = render(request, "drafting/document_failed.html", context, status=503)
        else:
            response = render(request, "drafting/document_preparing.html", context, status=202)
        add_never_cache_headers(response)
        return response
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
        return _download(request, meeting, numbers)
    except UnknownParagraphError as error:
        raise Http404(str(error)) from error
