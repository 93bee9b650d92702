"""Kallelse and föredragningslista: the secretary builds the agenda from ärenden and standing points,
downloads the Kallelse PDF, sends it, puts up a fullmäktige meeting's notice, and after the meeting
makes the protokoll's §§ from the agenda. Members and ersättare read their kallelse and its
handlingar on their own page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from meetings import access
from meetings import models as m
from meetings.export.document import load_meeting
from meetings.export.http import pdf_response
from meetings.export.kallelse import build_kallelse, kallelse_title, render_kallelse_pdf
from meetings.services import agenda, drafting, notifications
from meetings.services.base import WorkflowError
from meetings.services.register import standing_items_of

from .. import forms
from ..forms import model_fields
from .common import conflict, get_meeting_for_editing


def _papers_to_add(user, meeting: m.Meeting):
    return (
        access.editable_papers(user)
        .filter(organ_id=meeting.organ_id)
        .exclude(consultations__meeting=meeting)
        .order_by("-date", "-pk")
    )


def _sent_text(kallelse: m.Kallelse) -> str:
    """What the outbox has done with the kallelse so far (sent, waiting, failed), never more."""
    text = f"Kallelsen: {notifications.kallelse_reports([kallelse])[kallelse.pk].summary()}"
    if kallelse.missing:
        text += " Den som saknar e-postadress behöver kallas på annat sätt."
    return text


def _sendings(meeting: m.Meeting) -> list[tuple[m.Kallelse, notifications.MailReport]]:
    sendings = list(meeting.kallelser.select_related("sent_by__person"))
    reports = notifications.kallelse_reports(sendings)
    return [(k, reports[k.pk]) for k in sendings]


@login_required
def kallelse(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's page for the agenda, the kallelse, the notice and the protokoll from the agenda."""
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.can_edit_meeting(request.user, meeting):
        return redirect("meeting_kallelse", pk=meeting.pk)
    editable = meeting.status in m.EDITABLE_STATUSES
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and not editable:
        raise PermissionDenied("Protokollet är inte längre ett utkast; föredragningslistan kan inte ändras.")
    data = request.POST if action else None
    paper_form = forms.AgendaPaperForm(
        data if action == "add_paper" else None, papers=_papers_to_add(request.user, meeting), prefix="paper"
    )
    free_form = forms.AgendaFreeItemForm(data if action == "add_free" else None, prefix="free")
    today = timezone.localdate()
    notice_form = forms.NoticeForm(data if action == "notice" else None, prefix="notice", initial={"posted_on": today})
    status = 200
    try:
        if action == "add_paper" and paper_form.is_valid():
            item = agenda.add_paper_item(meeting, paper_form.cleaned_data["paper"])
            messages.success(request, f"{item.name} är tillagt på föredragningslistan.")
            return redirect("kallelse", pk=meeting.pk)
        if action == "add_free" and free_form.is_valid():
            item = agenda.add_free_item(meeting, free_form.cleaned_data["name"], free_form.cleaned_data["proposal"])
            messages.success(request, f"{item.name} är tillagd på föredragningslistan.")
            return redirect("kallelse", pk=meeting.pk)
        if action == "add_standing":
            added = agenda.add_standing_items(meeting, standing_items_of(meeting.organ))
            if added:
                messages.success(request, f"{len(added)} stående punkter är tillagda först på föredragningslistan.")
            else:
                messages.info(request, "De stående punkterna finns redan på föredragningslistan.")
            return redirect("kallelse", pk=meeting.pk)
        if action == "send":
            messages.success(request, _sent_text(agenda.send_kallelse(meeting, request.user)))
            return redirect("kallelse", pk=meeting.pk)
        if action == "notice" and notice_form.is_valid():
            notice = agenda.post_notice(meeting, request.user, notice_form.cleaned_data["posted_on"], today)
            text = f"Tillkännagivandet sätts upp på anslagstavlan {notice.posted_on:%Y-%m-%d}."
            if notice.posted_on > meeting.notice_deadline:
                messages.warning(
                    request,
                    f"{text} Det är senare än {meeting.notice_deadline:%Y-%m-%d}: fullmäktiges sammanträden ska "
                    "tillkännages minst en vecka före sammanträdesdagen (kommunallagen 5 kap. 13 §).",
                )
            else:
                messages.success(request, text)
            return redirect("kallelse", pk=meeting.pk)
        if action == "protokoll":
            created = agenda.create_protokoll_from_agenda(load_meeting(meeting.pk))
            if created:
                messages.success(
                    request,
                    f"{len(created)} paragrafer är skapade från föredragningslistan och närvaron är hämtad från "
                    "registret. Markera frånvaro under Närvaro.",
                )
                return redirect("paragraph_list", pk=meeting.pk)
            messages.info(request, "Alla punkter på föredragningslistan har redan en paragraf.")
            return redirect("kallelse", pk=meeting.pk)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("kallelse", pk=meeting.pk)
    if action is not None:
        status = 400
    doc = build_kallelse(meeting)
    return render(
        request,
        "agenda/kallelse.html",
        {
            "meeting": meeting,
            "doc": doc,
            "editable": editable,
            "paper_form": paper_form,
            "free_form": free_form,
            "notice_form": notice_form,
            "notice": m.MeetingNotice.objects.filter(meeting=meeting).first(),
            "sent": _sendings(meeting),
            "without_paragraph": sum(1 for point in doc.points if point.item.paragraph_id is None),
            "today": today,
        },
        status=status,
    )


@login_required
def agenda_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = get_meeting_for_editing(request, pk)
    item = get_object_or_404(meeting.agenda_items.select_related("paper"), pk=item_pk)
    if request.method == "POST" and request.POST.get("action") == "delete":
        agenda.delete_item(item)
        messages.success(request, f"{item.name} är borttagen från föredragningslistan.")
        return redirect("kallelse", pk=meeting.pk)
    form = forms.AgendaItemForm(request.POST or None, instance=item)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            agenda.save_item(item, form.cleaned_data["version"], model_fields(form))
        except drafting.StaleVersion:
            conflict(request, "punkten")
            status = 409
        else:
            messages.success(request, f"{item.name} är sparad.")
            return redirect("kallelse", pk=meeting.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "agenda/item_form.html", {"meeting": meeting, "item": item, "form": form}, status=status)


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = get_meeting_for_editing(request, pk)
    get_object_or_404(meeting.agenda_items, pk=item_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Okänd riktning.")
        return redirect("kallelse", pk=meeting.pk)
    item = agenda.move_item(meeting, item_pk, direction)
    messages.success(request, f"{item.name} är flyttad.")
    return redirect(reverse("kallelse", args=[meeting.pk]) + f"#punkt-{item.pk}")


@require_safe
def kallelse_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The Kallelse as PDF, for the secretary and those called (anyone who may see the meeting)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.visible_meetings(request.user).filter(pk=pk).exists():
        raise Http404("Sammanträdet finns inte.")
    meeting = load_meeting(pk)
    return pdf_response(f"{kallelse_title(meeting)}.pdf", render_kallelse_pdf(meeting))


@login_required
@require_safe
def meeting_kallelse(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's or ersättare's kallelse with links to the handlingar (the e-mail links here)."""
    meeting = access.get_meeting_for_user(request.user, pk)
    return render(
        request,
        "agenda/meeting_kallelse.html",
        {
            "meeting": meeting,
            "doc": build_kallelse(meeting),
            "can_edit": access.can_edit_meeting(request.user, meeting),
        },
    )
