"""Rättelse of a justerat protokoll by the secretary: a recorded, visible correction (JO 581-2013)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meetings import access
from meetings import models as m
from meetings.services import correction as correction_service
from meetings.services.base import WorkflowError

from ..forms import CorrectionForm, form_errors


def _field_choices() -> list[tuple[str, str]]:
    fields = correction_service.CORRECTABLE_FIELDS[m.Paragraph]
    return [(name, str(m.Paragraph._meta.get_field(name).verbose_name).capitalize()) for name in fields]


def _target(meeting: m.Meeting, paragraph_id: str, field: str) -> tuple[m.Paragraph, object, str] | None:
    """The § and the object/field to correct: a § text field, or "clause-<id>" for an att-sats."""
    if not (paragraph_id.isascii() and paragraph_id.isdigit()) or len(paragraph_id) > 18:
        return None
    paragraph = m.Paragraph.objects.filter(meeting=meeting, pk=int(paragraph_id)).first()
    if paragraph is None:
        return None
    if field in dict(_field_choices()):
        return paragraph, paragraph, field
    if field.startswith("clause-") and field[7:].isascii() and field[7:].isdigit() and len(field) < 30:
        clause = paragraph.clauses.filter(pk=int(field[7:])).first()
        if clause is not None:
            return paragraph, clause, "text"
    return None


@login_required
def correction(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, edit=True)
    if not meeting.may_be_corrected():
        raise Http404("Rättelse görs bara i justerade protokoll.")
    data = request.POST if request.method == "POST" else request.GET
    target = _target(meeting, data.get("paragraph", ""), data.get("field", ""))
    context = {
        "meeting": meeting,
        "paragraphs": meeting.paragraphs.prefetch_related("clauses").order_by("position", "number"),
        "field_choices": _field_choices(),
        "corrections": meeting.corrections.select_related("made_by"),
    }
    if target is not None:
        paragraph, obj, field = target
        form = CorrectionForm(
            request.POST if request.method == "POST" else None, target=type(obj)._meta.get_field(field)
        )
        context.update(
            {
                "paragraph": paragraph,
                "field": data.get("field"),
                "current": getattr(obj, field),
                "target": obj,
                "form": form,
                "max_length": form.fields["new_text"].max_length,
            }
        )
    if request.method == "POST" and target is not None:
        try:
            if not form.is_valid():
                raise WorkflowError(form_errors(form))
            new_text, reason = form.cleaned_data["new_text"], form.cleaned_data["reason"]
            correction_service.correct(obj, field, new_text, reason, request.user)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            # Show back what was typed, without a character the page could not carry.
            typed = {name: request.POST.get(name, "").replace("\x00", "") for name in ("new_text", "reason")}
            context.update({"current": typed["new_text"], "reason": typed["reason"]})
            return render(request, "drafting/correction.html", context, status=400)
        messages.success(request, "Rättelsen är gjord och visas i protokollet.")
        return redirect(meeting)
    if request.method == "POST":
        messages.error(request, "Välj vilken paragraf och vilket fält som ska rättas.")
    return render(request, "drafting/correction.html", context)
