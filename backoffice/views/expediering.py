"""Expediering: the addresses of a protokoll's recipients, sending the sealed extracts, and the
record of every send. For the organ's secretaries and administrators; anyone else who may see the
meeting gets 403, anyone else 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meetings import access
from meetings import models as m
from meetings.services import expediering
from meetings.services.base import WorkflowError

from ..forms.expediering import AddressesForm


def _get_meeting_for_expediering(request: HttpRequest, pk: int) -> m.Meeting:
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.can_edit_meeting(request.user, meeting):
        raise PermissionDenied("Bara organets sekreterare expedierar protokollet.")
    return meeting


@login_required
def expediering_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_expediering(request, pk)
    paragraphs = list(meeting.paragraphs.order_by("position", "number"))
    action = request.POST.get("action") if request.method == "POST" else None
    form = AddressesForm(request.POST or None, paragraphs=paragraphs, book=expediering.address_book(meeting))
    if action in ("save", "send") and form.is_valid():
        try:
            changed = expediering.save_addresses(meeting, form.addresses())
            if action == "send":
                report = expediering.send_extracts(meeting, request.user)
                level = messages.success if report.sent and not report.failed else messages.warning
                level(request, report.summary())
            else:
                messages.success(request, f"Adresserna är sparade ({changed} ändrade).")
        except WorkflowError as error:
            messages.error(request, str(error))
        return redirect("expediering", pk=meeting.pk)
    if action == "retry":
        report = expediering.retry(meeting, request.user)
        (messages.success if not report.failed else messages.warning)(request, report.summary())
        return redirect("expediering", pk=meeting.pk)
    if action is not None and form.errors:
        messages.error(request, "Adresserna sparades inte. Rätta de markerade e-postadresserna.")
    dispatches = list(
        m.Dispatch.objects.filter(paragraph__meeting=meeting)
        .select_related("paragraph", "mail", "created_by__person")
        .order_by("paragraph__position", "paragraph__number", "name", "-created_at")
    )
    sendable = [p for p in paragraphs if p.recipient_list and p.may_be_corrected]  # justerad: final text
    return render(
        request,
        "drafting/expediering.html",
        {
            "meeting": meeting,
            "can_expedite": True,
            "form": form,
            "dispatches": dispatches,
            "can_send": bool(sendable),
            "any_failed": any(d.mail.status == m.MailStatus.FAILED for d in dispatches),
        },
        status=400 if action is not None and form.errors else 200,
    )
