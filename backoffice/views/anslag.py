"""The secretary's side of the anslag: which justerade protokoll wait for their anslag, and posting one.

Only the organ's secretaries and administrators (``access.can_edit_meeting``) see these pages; anyone
else gets 404, so that an outsider cannot tell a justering exists. Posting itself, with its legal
dates and the public text, is ``meetings.services.anslag.post_anslag``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from meetings import access, dates
from meetings import models as m
from meetings.services import anslag as anslag_service
from meetings.services.base import WorkflowError

from ..forms.anslag import PostAnslagForm, planned_dates


def _get_justering_for_secretary(user, pk: int) -> m.Justering:
    """A completed justering round the user may post the anslag of; 404 otherwise."""
    justering = (
        m.Justering.objects.select_related("meeting__organ")
        .prefetch_related("paragraphs")
        .filter(pk=pk, status=m.JusteringStatus.JUSTERAT)
        .first()
    )
    if justering is None or not access.can_edit_meeting(user, justering.meeting):
        raise Http404("Justeringen finns inte.")
    return justering


@login_required
def anslag_pending(request: HttpRequest) -> HttpResponse:
    """Justerade protokoll (and omedelbart justerade §§) of the user's organs without an anslag yet,
    and the anslag put up most recently."""
    organs = access.editable_organs(request.user)
    waiting = list(
        m.Justering.objects.filter(meeting__organ__in=organs, status=m.JusteringStatus.JUSTERAT, anslag__isnull=True)
        .select_related("meeting__organ")
        .prefetch_related("paragraphs")
        .order_by("completed_at")
    )
    for justering in waiting:
        justering.latest_anslag_date = dates.latest_anslag_date(timezone.localdate(justering.completed_at))
    recent = list(
        m.Anslag.objects.filter(organ__in=organs).select_related("organ", "meeting").order_by("-posted_on", "-id")[:20]
    )
    return render(request, "anslag/pending.html", {"waiting": waiting, "recent": recent, "today": timezone.localdate()})


@login_required
def anslag_post(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the day (today proposed), see the legal dates that follow, then put the anslag up.

    "Sätt upp" posts only when the dates on the page are those of the submitted day: a changed day
    is shown first, so the secretary always sees the last appeal day before posting.
    """
    justering = _get_justering_for_secretary(request.user, pk)
    if m.Anslag.objects.filter(justering=justering).exists():
        messages.info(request, "Anslaget är redan uppsatt.")
        return redirect("anslag_pending")
    today = timezone.localdate()
    justerat_on = timezone.localdate(justering.completed_at)
    if request.method == "POST":
        form = PostAnslagForm(request.POST, justerat_on=justerat_on, today=today)
        confirmed = request.POST.get("action") == "post"
        if form.is_valid() and confirmed and request.POST.get("shown_for") == str(form.cleaned_data["posted_on"]):
            try:
                anslag = anslag_service.post_anslag(justering, request.user, form.cleaned_data["posted_on"])
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"Anslaget sätts upp {anslag.posted_on:%Y-%m-%d}. Sista dag för överklagande är "
                    f"{anslag.appeal_until:%Y-%m-%d} och anslaget tas ned {anslag.take_down_on:%Y-%m-%d}.",
                )
                if anslag.posted_on <= today:
                    return redirect(anslag)
                return redirect("anslag_pending")
        chosen = form.chosen_date()
    else:
        form = PostAnslagForm(initial={"posted_on": today}, justerat_on=justerat_on, today=today)
        chosen = today if today >= justerat_on else justerat_on
    return render(
        request,
        "anslag/post.html",
        {
            "justering": justering,
            "meeting": justering.meeting,
            "form": form,
            "justerat_on": justerat_on,
            "latest": form.latest,
            "planned": planned_dates(chosen) if chosen else None,
            "late": chosen is not None and chosen > form.latest,
            "numbers": sorted(p.number for p in justering.paragraphs.all()),
        },
    )
