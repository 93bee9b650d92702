"""Ärenden and their handlingar, a §'s bilagor, and downloading either.

An ärende is kept by its organ's secretaries; a handling is read by them and by those called to a
meeting whose agenda holds the ärende; a bilaga by those who may see its protokoll
(``meetings.access.readable_files``). Everyone else gets a 404 by any id. The public reaches only
published files, through the anslagstavla (``anslagstavla.views.public_file``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from meetings import access
from meetings import models as m
from meetings.export.http import file_response
from meetings.locking import ProtokollLocked
from meetings.services import drafting, papers

from .. import forms
from ..forms import model_fields
from .common import conflict

PAPERS_PER_PAGE = 50


def _scan_warning(request: HttpRequest, file: m.File) -> None:
    """Tell the secretary what the search for personnummer found, when it matters."""
    if file.warns_personnummer:
        messages.warning(
            request,
            f"”{file.name}” innehåller något som ser ut som ett personnummer och är markerad som offentlig. "
            "Kontrollera handlingen innan den publiceras, eller markera den som inte offentlig.",
        )
    elif file.public and file.personnummer_scan == m.PersonnummerScan.UNREADABLE:
        messages.warning(
            request,
            f"Texten i ”{file.name}” kunde inte läsas (t.ex. en inskannad sida), så den kunde inte sökas efter "
            "personnummer. Kontrollera den själv innan den publiceras.",
        )


@login_required
def paper_list(request: HttpRequest) -> HttpResponse:
    papers_qs = access.editable_papers(request.user)
    if not access.keeps_register(request.user):
        raise Http404("Sidan finns inte.")
    search = forms.SearchForm(request.GET)
    query = search.query()
    if search.errors:
        messages.error(request, forms.form_errors(search))
    if query:
        papers_qs = papers_qs.filter(Q(name__icontains=query) | Q(reference__icontains=query))
    rows = (
        papers_qs.select_related("organ", "case_officer").annotate(file_count=Count("files")).order_by("-date", "-pk")
    )
    page = Paginator(rows, PAPERS_PER_PAGE).get_page(request.GET.get("sida"))
    return render(request, "papers/paper_list.html", {"page": page, "query": query})


@login_required
def paper_create(request: HttpRequest) -> HttpResponse:
    organs = access.editable_organs(request.user)
    if not organs.exists():
        raise Http404("Sidan finns inte.")
    form = forms.PaperForm(request.POST or None, organs=organs)
    if request.method == "POST" and form.is_valid():
        paper = papers.save_paper(form.save(commit=False))
        messages.success(request, f"Ärendet {paper} är skapat. Lägg till handlingarna nedan.")
        return redirect(paper)
    return render(request, "papers/paper_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def paper_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The ärende: its fields (editable), its handlingar, and the agendas it is on."""
    paper = access.get_paper_for_editing(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    form = forms.PaperForm(request.POST if action == "save" else None, instance=paper, organs=m.Organ.objects.none())
    upload = forms.FileUploadForm(
        request.POST if action == "upload" else None, request.FILES if action == "upload" else None, prefix="file"
    )
    status = 200
    if action == "save" and form.is_valid():
        try:
            drafting.save_versioned(paper, form.cleaned_data["version"], model_fields(form))
        except drafting.StaleVersion:
            conflict(request, "ärendet")
            status = 409
        else:
            messages.success(request, "Ärendet är sparat.")
            return redirect(paper)
    elif action == "upload" and upload.is_valid():
        file = papers.add_handling(paper, user=request.user, **upload.file_fields())
        messages.success(request, f"Handlingen ”{file.name}” är tillagd.")
        _scan_warning(request, file)
        return redirect(paper)
    elif action is not None:
        status = 400
    files = list(paper.files.all())
    consultations = list(paper.consultations.select_related("meeting__organ").order_by("-meeting__date"))
    return render(
        request,
        "papers/paper_detail.html",
        {"paper": paper, "form": form, "upload": upload, "files": files, "consultations": consultations},
        status=status,
    )


@login_required
@require_POST
def paper_delete(request: HttpRequest, pk: int) -> HttpResponse:
    paper = access.get_paper_for_editing(request.user, pk)
    try:
        papers.delete_paper(paper)
    except ProtectedError:
        messages.error(request, "Ärendet finns på en föredragningslista och kan inte tas bort. Ta först bort punkten.")
        return redirect(paper)
    messages.success(request, f"Ärendet {paper} är borttaget.")
    return redirect("paper_list")


# ---------------------------------------------------------------------------------------------------
# Files: download, change, remove; bilagor of a §
# ---------------------------------------------------------------------------------------------------


@login_required
@require_safe
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    return file_response(access.get_file_for_user(request.user, pk), private=True)


def _file_for_editing(request: HttpRequest, pk: int) -> m.File:
    file = access.get_file_for_user(request.user, pk)
    if not access.may_edit_file(request.user, file):
        raise Http404("Handlingen finns inte.")
    return file


def _back(file: m.File) -> str:
    if file.paper_id:
        return file.paper.get_absolute_url()
    paragraph = file.paragraph
    return reverse("paragraph_attachments", args=[paragraph.meeting_id, paragraph.pk])


@login_required
@require_POST
def file_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a handling or bilaga, or change whether it is public."""
    file = _file_for_editing(request, pk)
    paragraph = file.paragraph
    locked = paragraph is not None and (
        paragraph.meeting.status in m.LOCKED_STATUSES or paragraph.justerad_at is not None
    )
    form = forms.FileEditForm(request.POST, instance=file, locked=locked)
    if form.is_valid():
        try:
            papers.save_file(file, form.cleaned_data["version"], model_fields(form))
        except drafting.StaleVersion:
            conflict(request, f"”{file.name}”")
        else:
            messages.success(
                request, f"”{file.name}” är sparad{'' if file.public else ' och visas inte för allmänheten'}."
            )
            _scan_warning(request, file)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_back(file))


@login_required
@require_POST
def file_delete(request: HttpRequest, pk: int) -> HttpResponse:
    file = _file_for_editing(request, pk)
    back = _back(file)
    try:
        papers.delete_file(file)
    except ProtokollLocked as locked:
        messages.error(request, locked.message)
    else:
        messages.success(request, f"”{file.name}” är borttagen.")
    return redirect(back)


@login_required
def paragraph_attachments(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    """The bilagor of one §: list and download; while the § is a draft also upload, rename and remove.
    After justering only whether a bilaga is public can change."""
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.can_edit_meeting(request.user, meeting):
        raise PermissionDenied("Du kan läsa men inte ändra det här sammanträdet.")
    paragraph = get_object_or_404(meeting.paragraphs, pk=paragraph_pk)
    editable = meeting.status in m.EDITABLE_STATUSES and paragraph.justerad_at is None
    if request.method == "POST" and not editable:
        raise PermissionDenied("Paragrafen är justerad; bilagor kan inte läggas till.")
    upload = forms.FileUploadForm(request.POST or None, request.FILES or None, prefix="file")
    if request.method == "POST" and upload.is_valid():
        file = papers.add_bilaga(paragraph, user=request.user, **upload.file_fields())
        messages.success(request, f"Bilagan ”{file.name}” är tillagd till § {paragraph.number}.")
        _scan_warning(request, file)
        return redirect("paragraph_attachments", pk=meeting.pk, paragraph_pk=paragraph.pk)
    return render(
        request,
        "drafting/paragraph_attachments.html",
        {
            "meeting": meeting,
            "paragraph": paragraph,
            "files": list(paragraph.attachments.all()),
            "upload": upload,
            "editable": editable,
        },
        status=400 if upload.errors else 200,
    )
