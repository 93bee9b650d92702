"""The secretary's dashboard, creating and editing a meeting, its overview page and the preview."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from meetings import access, dates
from meetings import models as m
from meetings.export.document import build_document
from meetings.services import drafting, expediering

from .. import forms
from .common import conflict, get_meeting_for_editing, paragraphs_in_order
from .signing import meeting_panel


def _rounds_with_signers():
    return m.Justering.objects.select_related("meeting__organ").prefetch_related(
        Prefetch(
            "signatures",
            queryset=m.Signature.objects.filter(status__in=m.LIVE_SIGNATURE_STATUSES).select_related("person"),
        )
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The user's meetings by status; what waits for the user's signature; and, for a secretary, the
    rounds of her organs past the 14-day justering deadline (KL 5 kap. 69 §, 6 kap. 35 §)."""
    meetings = list(
        access.visible_meetings(request.user)
        .select_related("organ")
        .annotate(paragraph_count=Count("paragraphs", distinct=True))
        .order_by("-date", "-start_time")
    )
    groups = [(label, [mt for mt in meetings if mt.status == value]) for value, label in m.MeetingStatus.choices]
    person = getattr(request.user, "person", None)
    waiting = []
    if person is not None:
        waiting = list(_rounds_with_signers().waiting_for(person).order_by("meeting__date"))
    today = timezone.localdate()
    overdue = list(
        _rounds_with_signers()
        .filter(
            meeting__organ__in=access.editable_organs(request.user),
            status=m.JusteringStatus.PAGAR,
            meeting__date__lt=today - datetime.timedelta(days=dates.JUSTERING_DAYS),
        )
        .order_by("meeting__date")
    )
    return render(
        request,
        "drafting/dashboard.html",
        {
            "groups": [g for g in groups if g[1]],
            "can_create": access.editable_organs(request.user).exists(),
            "waiting": waiting,
            "overdue": overdue,
            "today": today,
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    organs = access.editable_organs(request.user)
    if not organs.exists():
        raise PermissionDenied("Du är inte sekreterare för något organ.")
    form = forms.MeetingCreateForm(request.POST or None, organs=organs)
    if request.method == "POST" and form.is_valid():
        meeting = drafting.create_meeting(form.save(commit=False), getattr(request.user, "person", None))
        messages.success(
            request,
            "Sammanträdet är skapat och ledamöterna är inlagda från organets uppdrag. "
            "Markera frånvaro och lägg till tjänstgörande ersättare och övriga.",
        )
        return redirect("attendance", pk=meeting.pk)
    return render(request, "drafting/meeting_form.html", {"form": form, "creating": True})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    can_edit = access.can_edit_meeting(request.user, meeting)
    paragraphs = paragraphs_in_order(meeting)
    headcount = meeting.headcount()
    return render(
        request,
        "drafting/meeting_detail.html",
        {
            "meeting": meeting,
            "paragraphs": paragraphs,
            "present_count": headcount["present"],
            "absent_count": headcount["absent"],
            "can_edit": can_edit,
            "can_expedite": can_edit,
            "editable": can_edit and meeting.status in m.EDITABLE_STATUSES,
            # Something can have been sent only once something is justerat: drafts skip the query.
            "dispatches": expediering.dispatch_summary(meeting)
            if can_edit and meeting.may_be_corrected(paragraphs)
            else None,
            "justering": meeting_panel(meeting, can_edit, paragraphs),
        },
    )


def _secretary_people(meeting: m.Meeting) -> list[m.Person]:
    return list(m.Person.objects.filter(user__secretary_of=meeting.organ_id))


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_editing(request, pk)
    form = forms.MeetingForm(request.POST or None, instance=meeting, secretaries=_secretary_people(meeting))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            drafting.edit_meeting(meeting, form.cleaned_data["version"], forms.model_fields(form))
        except drafting.StaleVersion:
            conflict(request, "sammanträdet")
            status = 409
        else:
            messages.success(request, "Sammanträdet är sparat.")
            return redirect(meeting)
    return render(request, "drafting/meeting_form.html", {"form": form, "meeting": meeting}, status=status)


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    return render(
        request,
        "drafting/preview.html",
        {
            "meeting": meeting,
            "doc": build_document(meeting),
            "editable": access.can_edit_meeting(request.user, meeting) and meeting.status in m.EDITABLE_STATUSES,
            "attachment_url": "file_download",
        },
    )
