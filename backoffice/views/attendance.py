"""The attendance editor: who was there, who served for whom, and övriga, with the §§ of each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meetings import models as m
from meetings.services import drafting

from .. import forms
from .common import conflict, get_meeting_for_editing, paragraphs_in_order


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_editing(request, pk)
    paragraphs = paragraphs_in_order(meeting)
    attendances = list(meeting.attendances.all())
    members = [a for a in attendances if a.kind == m.AttendanceKind.BESLUTANDE]
    action = request.POST.get("action", "save") if request.method == "POST" else None
    data = request.POST or None

    formset = forms.AttendanceFormSet(
        data if action == "save" else None,
        queryset=meeting.attendances.all(),
        form_kwargs={"paragraphs": paragraphs, "members": members},
        prefix="att",
    )
    deputy_form = forms.ServingDeputyForm(
        data if action == "add_deputy" else None, attendances=attendances, paragraphs=paragraphs, prefix="deputy"
    )
    guest_form = forms.GuestForm(
        data if action == "add_guest" else None, paragraphs=paragraphs, attendances=attendances, prefix="guest"
    )
    version_form = forms.VersionForm(data if action else None, initial={"version": meeting.version})
    status = 200

    bound = {"save": formset, "add_deputy": deputy_form, "add_guest": guest_form}.get(action)
    if bound is not None and bound.is_valid() and version_form.is_valid():
        version = version_form.cleaned_data["version"]
        try:
            if action == "save":
                drafting.save_attendance(meeting, version, formset)
                text = "Närvaron är sparad."
            elif action == "add_deputy":
                deputy, replaces = deputy_form.cleaned_data["deputy"], deputy_form.cleaned_data["replaces"]
                drafting.add_serving_deputy(
                    meeting,
                    version,
                    attendances,
                    deputy=deputy,
                    replaces=replaces,
                    sections=deputy_form.cleaned_data["sections"],
                    party=deputy_form.party_of.get(deputy.pk),
                )
                text = f"{deputy.name} tjänstgör för {replaces.name}."
            else:
                guest = drafting.add_guest(meeting, version, attendances, **guest_form.cleaned_data)
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
            "version": meeting.version if status != 409 else version_form.data.get("version"),
            "has_paragraphs": bool(paragraphs),
        },
        status=status,
    )
