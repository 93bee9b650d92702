"""The attendance editor: who was there, who served for whom, övriga, with the §§ of each, arrival
and departure, and ajourneringar; and, from the § editor, who came or left at a §."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meetings import models as m
from meetings.services import drafting

from .. import forms
from .common import conflict, get_meeting_for_editing, get_paragraph_for_editing, paragraphs_in_order


def _int(raw: str | None) -> int:
    """A posted id, or 0 (which matches no row)."""
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 19 else 0


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_editing(request, pk)
    paragraphs = paragraphs_in_order(meeting)
    attendances = list(meeting.attendances.all())
    members = [a for a in attendances if a.kind == m.AttendanceKind.BESLUTANDE]
    action = request.POST.get("action", "save") if request.method == "POST" else None
    data = request.POST or None

    first_free = m.Paragraph.next_number(meeting.organ, meeting.date.year)
    sections = {"paragraphs": paragraphs, "first_free": first_free}
    formset = forms.AttendanceFormSet(
        data if action == "save" else None,
        queryset=meeting.attendances.all(),
        form_kwargs={**sections, "members": members},
        prefix="att",
    )
    deputy_form = forms.ServingDeputyForm(
        data if action == "add_deputy" else None, attendances=attendances, prefix="deputy", **sections
    )
    guest_form = forms.GuestForm(
        data if action == "add_guest" else None, attendances=attendances, prefix="guest", **sections
    )
    adjournment_form = forms.AdjournmentForm(
        data if action == "add_adjournment" else None, meeting=meeting, prefix="adjournment"
    )
    version_form = forms.VersionForm(data if action else None, initial={"version": meeting.version})
    status = 200

    bound = {
        "save": formset,
        "add_deputy": deputy_form,
        "add_guest": guest_form,
        "add_adjournment": adjournment_form,
        "remove_adjournment": version_form,
    }.get(action)
    if bound is not None and bound.is_valid() and version_form.is_valid():
        version = version_form.cleaned_data["version"]
        try:
            if action == "save":
                drafting.save_attendance(meeting, version, formset)
                text = "Närvaron är sparad."
            elif action == "add_deputy":
                deputy, replaces = deputy_form.cleaned_data["deputy"], deputy_form.cleaned_data["replaces"]
                at = deputy_form.cleaned_data["sections"]
                drafting.add_serving_deputy(
                    meeting,
                    version,
                    attendances,
                    deputy=deputy,
                    replaces=replaces,
                    sections=at.paragraphs,
                    pending=at.pending,
                    party=deputy_form.party_of.get(deputy.pk),
                )
                text = f"{deputy.name} tjänstgör för {replaces.name}."
            elif action == "add_adjournment":
                drafting.add_adjournment(meeting, version, adjournment_form.save(commit=False))
                text = "Ajourneringen är tillagd."
            elif action == "remove_adjournment":
                drafting.remove_adjournment(meeting, version, _int(request.POST.get("adjournment")))
                text = "Ajourneringen är borttagen."
            else:
                fields = dict(guest_form.cleaned_data)
                at = fields.pop("sections")
                guest = drafting.add_guest(
                    meeting, version, attendances, sections=at.paragraphs, pending=at.pending, **fields
                )
                text = f"{guest.person.name} är tillagd bland övriga."
        except drafting.StaleVersion:
            conflict(request, "närvaron")
            status = 409
        else:
            messages.success(request, text)
            return redirect("attendance", pk=meeting.pk)
    elif action is not None:
        status = 400 if not version_form.is_valid() else 200
        if not version_form.is_valid():
            messages.error(request, "Formuläret saknar versionsuppgift. Ladda om sidan och försök igen.")

    groups = [
        (label, [f for f in formset.forms if f.instance.kind == kind]) for kind, label in m.AttendanceKind.choices
    ]
    return render(
        request,
        "drafting/attendance.html",
        {
            "meeting": meeting,
            "formset": formset,
            "groups": groups,
            "deputy_form": deputy_form,
            "guest_form": guest_form,
            "adjournment_form": adjournment_form,
            "adjournments": list(meeting.adjournments.all()),
            "version": meeting.version if status != 409 else version_form.data.get("version"),
            "has_paragraphs": bool(paragraphs),
        },
        status=status,
    )


@login_required
@require_POST
def paragraph_movement(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    """From the § editor: who came to the meeting at this §, or left after it."""
    meeting, paragraph = get_paragraph_for_editing(request, pk, paragraph_pk)
    form = forms.MovementForm(request.POST, meeting=meeting, present=meeting.present_at(paragraph))
    version_form = forms.VersionForm(request.POST)
    if not (form.is_valid() and version_form.is_valid()):
        errors = [e for errors in form.errors.values() for e in errors] or ["Ladda om sidan och försök igen."]
        messages.error(request, " ".join(errors))
        return redirect(reverse("paragraph_edit", args=[meeting.pk, paragraph.pk]) + "#sektion-narvaro")
    arrived, left = form.cleaned_data["arrived"], form.cleaned_data["left"]
    try:
        drafting.record_movement(meeting, version_form.cleaned_data["version"], paragraph, arrived=arrived, left=left)
    except drafting.StaleVersion:
        conflict(request, "närvaron")
    else:
        done = [f"{a.person.name} kom vid § {paragraph.number}" for a in (arrived,) if a]
        done += [f"{a.person.name} lämnade efter § {paragraph.number}" for a in (left,) if a]
        messages.success(request, "Närvaron är sparad: " + "; ".join(done) + ".")
    return redirect(reverse("paragraph_edit", args=[meeting.pk, paragraph.pk]) + "#sektion-narvaro")
