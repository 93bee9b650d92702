"""Views of the justering workflow: the chair and the justerare read, sign or send back; the
secretary sends the protokoll (or omedelbart justerade §§) and follows the rounds on the meeting page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import oidc, stepup
from accounts.reauth import ReauthError, verify_password
from meetings import access
from meetings import models as m
from meetings.export.canonical import content_hash
from meetings.export.diff import Change, changes_since
from meetings.export.document import build_document, load_meeting
from meetings.services import justering as justering_service
from meetings.services import notifications
from meetings.services.base import WorkflowError

from ..forms import SendBackForm, SignForm, form_errors


def _report_mail(request: HttpRequest, report) -> None:
    """Say whom the e-mail reached ("3 av 3 undertecknare fick e-post; …"), once it has been sent;
    nothing while it has not (the change is not committed yet), and a warning when someone missed it."""
    if report is not None and report.done:
        messages.add_message(request, report.level, report.summary())


def _person(user) -> m.Person | None:
    return getattr(user, "person", None)


def _rounds():
    return m.Justering.objects.select_related("meeting__organ", "returned_by", "anslag").prefetch_related(
        Prefetch("signatures", queryset=m.Signature.objects.select_related("person")),
        Prefetch("paragraphs", queryset=m.Paragraph.objects.only("id", "number")),
    )


@login_required
def att_justera(request: HttpRequest) -> HttpResponse:
    """Signers: what waits for my signature. Secretaries: their organs' rounds under way or returned."""
    person = _person(request.user)
    mine = []
    if person is not None:
        mine = list(
            _rounds()
            .filter(
                status=m.JusteringStatus.PAGAR,
                signatures__person=person,
                signatures__status__in=m.LIVE_SIGNATURE_STATUSES,
            )
            .distinct()
            .order_by("meeting__date")
        )
    organs = access.editable_organs(request.user)
    followed = list(
        _rounds()
        .filter(meeting__organ__in=organs)
        .filter(
            Q(status=m.JusteringStatus.PAGAR)
            | Q(meeting__status=m.MeetingStatus.ATERSANT, status=m.JusteringStatus.ATERSANT)
        )
        .order_by("meeting__date")
    )
    today = timezone.localdate()
    return render(request, "signing/att_justera.html", {"mine": mine, "followed": followed, "today": today})


def meeting_panel(meeting: m.Meeting, can_edit: bool, paragraphs: list[m.Paragraph]) -> dict:
    """What the meeting page shows of the justering workflow: rounds, and what to do next.

    Takes the page's own paragraph list so that the panel adds only the queries for the rounds.
    """
    rounds = list(_rounds().filter(meeting=meeting))
    drafting = can_edit and meeting.status in m.EDITABLE_STATUSES
    pending_immediate = {
        p.pk for j in rounds if j.immediate and j.status == m.JusteringStatus.PAGAR for p in j.paragraphs.all()
    }
    returned = [j for j in rounds if j.status == m.JusteringStatus.ATERSANT]
    return {
        "can_edit": can_edit,
        "rounds": rounds,
        "returned": returned[0] if returned and meeting.status == m.MeetingStatus.ATERSANT else None,
        "can_send": drafting,
        "problems": justering_service.readiness_problems(meeting, paragraphs) if drafting else [],
        "warnings": justering_service.signer_warnings(meeting) if drafting else [],
        "immediate_candidates": [
            p
            for p in paragraphs
            if drafting and p.immediate_justering and p.justerad_at is None and p.pk not in pending_immediate
        ],
        "can_correct": can_edit and meeting.may_be_corrected(paragraphs),
        "to_post": [j for j in rounds if can_edit and j.status == m.JusteringStatus.JUSTERAT and not _has_anslag(j)],
    }


def _has_anslag(justering: m.Justering) -> bool:
    try:
        return justering.anslag is not None
    except m.Anslag.DoesNotExist:
        return False


def _get_round_for_user(user, pk: int) -> m.Justering:
    """The round if the user signs it, or follows it as the organ's secretary or an admin; else 404."""
    justering = _rounds().filter(pk=pk).first()
    if justering is None:
        raise Http404("Justeringen finns inte.")
    person = _person(user)
    is_signer = person is not None and any(s.person_id == person.pk for s in justering.signatures.all())
    if not is_signer and not access.can_edit_meeting(user, justering.meeting):
        raise Http404("Justeringen finns inte.")
    return justering


def _get_round_to_sign(user, pk: int) -> tuple[m.Justering, m.Person]:
    """The round and the user's person, for signing or sending back; the workflow checks the rest."""
    justering = _get_round_for_user(user, pk)
    person = _person(user)
    if person is None:
        raise Http404("Justeringen finns inte.")
    return justering, person


@dataclass
class SinceSigned:
    """What a signer whose earlier signature was voided is shown: when they signed, and the changes
    since (None when the content they signed was not kept, in rounds from before it was)."""

    signed_at: datetime.datetime
    changes: list[Change] | None


def _since_signed(person, justering: m.Justering, meeting: m.Meeting, paragraphs, current: str) -> SinceSigned | None:
    """The signer's last signature on this protokoll that no longer counts, if its content differs
    from what they are asked to sign now."""
    earlier = (
        m.Signature.objects.filter(
            person=person,
            justering__meeting=meeting,
            justering__immediate=justering.immediate,
            status=m.SignatureStatus.ATERKALLAT,
            signed_at__isnull=False,
        )
        .order_by("-signed_at")
        .first()
    )
    if earlier is None or earlier.content_hash == current:
        return None
    kept = m.SignedContent.objects.filter(sha256=earlier.content_hash).first()
    return SinceSigned(earlier.signed_at, changes_since(kept, meeting, paragraphs) if kept else None)


@login_required
def justering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    justering = _get_round_for_user(request.user, pk)
    meeting = load_meeting(justering.meeting_id)
    numbers = [p.number for p in justering.paragraphs.all()] if justering.immediate else None
    person = _person(request.user)
    mine = next(
        (
            s
            for s in justering.signatures.all()
            if person and s.person_id == person.pk and s.status in m.LIVE_SIGNATURE_STATUSES
        ),
        None,
    )
    can_sign = (
        mine is not None and mine.status == m.SignatureStatus.PAGAR and justering.status == m.JusteringStatus.PAGAR
    )
    paragraphs = list(justering.paragraphs.all()) if numbers else None
    current = content_hash(meeting, paragraphs) if can_sign else ""
    if can_sign:
        # The sign form leads to the provider: its endpoints must be known to this page's CSP.
        oidc.discover_quietly()
    return render(
        request,
        "signing/justering_detail.html",
        {
            "justering": justering,
            "meeting": meeting,
            "doc": build_document(meeting, numbers),
            "my_signature": mine,
            "can_sign": can_sign,
            "eid_signing": oidc.enabled(),
            "eid_name": settings.OIDC_PROVIDER_NAME,
            # Only the sign form carries it; reading needs no hash of the whole content.
            "content_hash": current,
            "returned": (
                notifications.previous_return(justering) if justering.status == m.JusteringStatus.PAGAR else None
            ),
            "since_signed": _since_signed(person, justering, meeting, paragraphs, current) if can_sign else None,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def justering_sign(request: HttpRequest, pk: int) -> HttpResponse:
    justering, person = _get_round_to_sign(request.user, pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("justering_detail", pk=pk)
    seen = form.cleaned_data["content_hash"]
    try:
        if oidc.enabled():
            # With e-legitimation the signer authenticates anew at the provider; the signature is
            # given when the provider answers (accounts.stepup).
            return stepup.start(request, justering, person, seen)
        verify_password(request.user, form.cleaned_data["password"])
        justering = justering_service.sign(justering, person, seen=seen)
    except (ReauthError, WorkflowError) as exc:
        messages.error(request, str(exc))
        return redirect("justering_detail", pk=pk)
    report = justering.mail_report
    justering.refresh_from_db()
    if justering.status == m.JusteringStatus.JUSTERAT:
        messages.success(request, "Du har signerat. Protokollet är nu justerat av alla.")
    else:
        messages.success(request, "Du har signerat.")
    _report_mail(request, report)
    return redirect("justering_detail", pk=pk)


@login_required
@require_POST
def justering_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    justering, person = _get_round_to_sign(request.user, pk)
    form = SendBackForm(request.POST)
    try:
        if not form.is_valid():
            raise WorkflowError(form_errors(form))
        justering = justering_service.send_back(justering, person, form.cleaned_data["comment"])
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("justering_detail", pk=pk)
    messages.success(request, "Protokollet är skickat tillbaka till sekreteraren med din kommentar.")
    _report_mail(request, justering.mail_report)
    return redirect("att_justera")


@login_required
@require_POST
def send_to_justering(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, edit=True)
    try:
        justering = justering_service.send_to_justering(meeting, request.user)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(meeting)
    messages.success(request, "Protokollet är skickat till justering.")
    _report_mail(request, justering.mail_report)
    return redirect("justering_detail", pk=justering.pk)


@login_required
@require_POST
def send_immediate_justering(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, edit=True)
    ids = [int(v) for v in request.POST.getlist("paragraphs") if v.isascii() and v.isdigit() and len(v) < 19]
    paragraphs = list(m.Paragraph.objects.filter(meeting=meeting, pk__in=ids))
    try:
        justering = justering_service.send_immediate_justering(meeting, request.user, paragraphs)
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(meeting)
    messages.success(request, "Paragraferna är skickade för omedelbar justering.")
    _report_mail(request, justering.mail_report)
    return redirect("justering_detail", pk=justering.pk)
