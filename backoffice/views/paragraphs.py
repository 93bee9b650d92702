"""The §§ of a protokoll: the list (add, move, renumber, delete) and the § editor with every section."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meetings import models as m
from meetings.appeal import route_warnings
from meetings.export.document import DocProposition
from meetings.services import decision, drafting

from .. import forms
from .common import conflict, get_meeting_for_editing, get_paragraph_for_editing, paragraphs_in_order

NUMBER_TAKEN = "Paragrafnumret togs just av någon annan. Välj ett annat."


@login_required
def paragraph_list(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_editing(request, pk)
    paragraphs = paragraphs_in_order(meeting)
    numbers = [p.number for p in paragraphs]
    in_order = numbers == sorted(numbers)
    return render(
        request,
        "drafting/paragraph_list.html",
        {"meeting": meeting, "paragraphs": paragraphs, "numbers_in_order": in_order},
    )


@login_required
def paragraph_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_editing(request, pk)
    form = forms.ParagraphForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("number", "version")}
        try:
            paragraph = drafting.create_paragraph(meeting, form.cleaned_data["number"], fields)
        except IntegrityError:
            form.add_error("number", NUMBER_TAKEN)
        else:
            messages.success(request, f"§ {paragraph.number} är skapad.")
            return redirect("paragraph_edit", pk=meeting.pk, paragraph_pk=paragraph.pk)
    return render(request, "drafting/paragraph_create.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def paragraph_move(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    meeting = get_meeting_for_editing(request, pk)
    get_object_or_404(meeting.paragraphs, pk=paragraph_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Okänd riktning.")
        return redirect("paragraph_list", pk=meeting.pk)
    moved = drafting.move_paragraph(meeting, paragraph_pk, direction)
    messages.success(request, f"§ {moved.number} är flyttad.")
    return redirect(reverse("paragraph_list", args=[meeting.pk]) + f"#rad-{moved.pk}")


@login_required
@require_POST
def paragraph_renumber(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the meeting's paragraphs their own numbers in list order ("numrera om i ordning")."""
    meeting = get_meeting_for_editing(request, pk)
    if drafting.renumber_paragraphs(meeting):
        messages.success(request, "Paragraferna är numrerade i ordning.")
    else:
        messages.info(request, "Paragraferna var redan numrerade i ordning.")
    return redirect("paragraph_list", pk=meeting.pk)


@login_required
def paragraph_delete(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    meeting, paragraph = get_paragraph_for_editing(request, pk, paragraph_pk)
    form = forms.VersionForm(request.POST or None, initial={"version": paragraph.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            drafting.delete_paragraph(paragraph, form.cleaned_data["version"])
        except drafting.StaleVersion:
            conflict(request, f"§ {paragraph.number}")
            status = 409
        else:
            messages.success(request, f"§ {paragraph.number} {paragraph.title} är borttagen.")
            return redirect("paragraph_list", pk=meeting.pk)
    return render(
        request,
        "drafting/paragraph_delete.html",
        {"meeting": meeting, "paragraph": paragraph, "form": form},
        status=status,
    )


def decision_steps(meeting: m.Meeting, paragraph: m.Paragraph) -> list[DocProposition]:
    """The saved propositions as the protokoll will print them, each with its vote if one was held."""
    vote_of = {v.proposition_id: v for v in paragraph.votes.all() if v.proposition_id}
    return [DocProposition(p, meeting.organ.name, vote_of.get(p.pk)) for p in paragraph.propositions.all()]


def order_warnings(paragraph: m.Paragraph) -> list[str]:
    """Departures from the usual propositionsordning (practice, so warnings only)."""
    proposals = 1 + sum(1 for x in paragraph.motions.all() if x.kind in (m.MotionKind.AVSLAG, m.MotionKind.ANDRING))
    return decision.order_warnings([p.kind for p in paragraph.propositions.all()], proposals)


@login_required
def paragraph_edit(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    meeting, paragraph = get_paragraph_for_editing(request, pk, paragraph_pk)
    people = meeting.people_at(paragraph)
    data = request.POST or None
    form = forms.ParagraphForm(data, instance=paragraph, meeting=meeting)
    sections = [
        (key, label, row_label, formset_class(data, instance=paragraph, prefix=key, people=people))
        for key, (label, row_label, formset_class) in forms.SECTION_FORMSETS.items()
    ]
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        valid = all([fs.is_valid() for *_labels, fs in sections]) and valid
        if valid:
            try:
                note = drafting.save_paragraph(
                    paragraph,
                    form.cleaned_data["version"],
                    forms.model_fields(form),
                    [formset for *_labels, formset in sections],
                    copy_proposal=request.POST.get("action") == "copy_proposal",
                    propose_order=request.POST.get("action") == "propose_order",
                )
            except drafting.StaleVersion:
                conflict(request, f"§ {paragraph.number}")
                status = 409
            except IntegrityError:
                form.add_error("number", NUMBER_TAKEN)
                status = 409
            else:
                if note:
                    messages.warning(request, note)
                messages.success(request, f"§ {paragraph.number} är sparad.")
                return redirect("paragraph_edit", pk=meeting.pk, paragraph_pk=paragraph.pk)
        else:
            messages.error(request, "Paragrafen sparades inte. Rätta felen som är markerade nedan.")
    return render(
        request,
        "drafting/paragraph_edit.html",
        {
            "meeting": meeting,
            "paragraph": paragraph,
            "form": form,
            "sections": sections,
            "steps": decision_steps(meeting, paragraph),
            "votes": [vote for vote in paragraph.votes.all() if vote.proposition_id is None],
            "order_warnings": order_warnings(paragraph),
            "appeal_warnings": route_warnings(
                paragraph.appeal_route, paragraph.not_appealable_reason, meeting.organ.kind
            ),
            "movement_form": forms.MovementForm(meeting=meeting, present=people["present"]),
            "serving_here": people["voters"],
            "voter_count": len(people["voters"]),
            "member_count": sum(1 for a in meeting.attendances.all() if a.kind == m.AttendanceKind.BESLUTANDE),
        },
        status=status,
    )
