"""Views for the secretary: the dashboard, creating and editing a meeting, attendance, paragraphs
with all their sections, roll-call votes, and the protokoll preview.

Only the organ's secretaries and administrators may change anything (``access.can_edit_meeting``),
and only while the protokoll is a draft (utkast) or has been sent back (återsänt). Those who may
only read a meeting (its chair, justerare, the organ's members) get 403 on editing views; everyone
else gets 404, so that an outsider cannot tell a meeting exists.

Lost updates are prevented with the ``version`` of the meeting and of each paragraph: every form
carries the version it was loaded with, and the save locks the row, compares and increments in one
transaction (``_claim_version``). Attendance belongs to the meeting's version; every section of a
paragraph (att-satser, yrkanden, votes, …) to the paragraph's.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import access, forms
from .. import models as m
from ..document import build_document
from ..locking import ProtokollLocked
from .signing import meeting_panel

EDITABLE_STATUSES = m.EDITABLE_STATUSES

CONFLICT_MESSAGE = (
    "Någon annan har sparat ändringar i {what} medan du redigerade. Dina ändringar har inte sparats och "
    "ingenting har skrivits över. Kopiera det du skrivit, ladda om sidan och gör om ändringen."
)


class StaleVersion(Exception):
    """The row changed, or was deleted, since the form was loaded."""


def _lock_editable_meeting(meeting_id: int) -> int:
    """Lock the meeting's row, check that the protokoll is still a draft and return its version.

    Must run inside ``transaction.atomic()``, first thing in every drafting save. Sending to
    justering locks the same row (``workflow._locked_meeting``), so a save either commits before the
    status changes or waits for it and is refused here; the model-layer check (``meetings.locking``)
    reads the status without a lock and cannot see a send that has not committed yet. The meeting
    row is always locked before any paragraph row, so that two saves cannot deadlock.
    """
    try:
        status, version = m.Meeting.objects.select_for_update().values_list("status", "version").get(pk=meeting_id)
    except m.Meeting.DoesNotExist:  # deleted (in the admin) a moment ago
        raise Http404("Sammanträdet finns inte längre.") from None
    if status not in EDITABLE_STATUSES:
        raise ProtokollLocked(
            f"Protokollet är {m.MeetingStatus(status).label.lower()} och kan inte längre ändras här. "
            "Dina ändringar har inte sparats."
        )
    return version


def _claim_version(obj: m.Meeting | m.Paragraph, loaded_version: int | None) -> None:
    """Lock ``obj``'s row (a paragraph's meeting first) and take the next version, or raise
    StaleVersion, also when the paragraph was deleted meanwhile.

    Must run inside ``transaction.atomic()``: the row lock keeps a concurrent save from reading the
    same version between our compare and our write, so exactly one of two racing saves wins.
    """
    if isinstance(obj, m.Meeting):
        current = _lock_editable_meeting(obj.pk)
    else:
        _lock_editable_meeting(obj.meeting_id)
        try:
            # get() drops the default ordering, whose join would lock the meeting row a second time.
            current = m.Paragraph.objects.select_for_update().values_list("version", flat=True).get(pk=obj.pk)
        except m.Paragraph.DoesNotExist:  # deleted by someone else meanwhile
            raise StaleVersion from None
    if current != loaded_version:
        raise StaleVersion
    obj.version = current + 1


def _model_fields(form: forms.forms.ModelForm) -> list[str]:
    """The model fields a form edits, for ``save(update_fields=…)``."""
    return [name for name in form._meta.fields if name in form.fields]


def _conflict(request: HttpRequest, what: str) -> None:
    messages.error(request, CONFLICT_MESSAGE.format(what=what))


def _get_meeting_for_editing(request: HttpRequest, pk: int) -> m.Meeting:
    """The meeting if the user may edit it now: 404 if they may not see it, 403 if they may only
    read it or it is no longer a draft."""
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.can_edit_meeting(request.user, meeting):
        raise PermissionDenied("Du kan läsa men inte ändra det här sammanträdet.")
    if meeting.status not in EDITABLE_STATUSES:
        raise PermissionDenied("Protokollet är inte längre ett utkast och kan inte ändras här.")
    return meeting


def _get_paragraph_for_editing(request: HttpRequest, pk: int, paragraph_pk: int) -> tuple[m.Meeting, m.Paragraph]:
    meeting = _get_meeting_for_editing(request, pk)
    paragraph = get_object_or_404(meeting.paragraphs.for_protokoll(), pk=paragraph_pk)
    paragraph.meeting = meeting
    return meeting, paragraph


def _paragraphs_in_order(meeting: m.Meeting) -> list[m.Paragraph]:
    return list(
        meeting.paragraphs.order_by("position", "number").only(
            "id",
            "meeting_id",
            "number",
            "position",
            "title",
            "dnr",
            "secret",
            "immediate_justering",
            "justerad_at",
            "version",
        )
    )


def _secretary_people(meeting: m.Meeting) -> list[m.Person]:
    return list(m.Person.objects.filter(user__secretary_of=meeting.organ_id))


# ---------------------------------------------------------------------------------------------------
# Dashboard and meeting
# ---------------------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    meetings = list(
        access.visible_meetings(request.user)
        .select_related("organ")
        .annotate(paragraph_count=Count("paragraphs", distinct=True))
        .order_by("-date", "-start_time")
    )
    groups = [(label, [mt for mt in meetings if mt.status == value]) for value, label in m.MeetingStatus.choices]
    return render(
        request,
        "drafting/dashboard.html",
        {"groups": [g for g in groups if g[1]], "can_create": access.editable_organs(request.user).exists()},
    )


def _role_order(membership: m.Membership) -> int:
    return list(m.MembershipRole.values).index(membership.role)


def _fill_attendance(meeting: m.Meeting) -> None:
    """Members valid on the meeting's date become beslutande, deputies ersättare; the organ's
    ordförande chairs by default. Saved one by one so that the audit log records each."""
    memberships = sorted(
        m.Membership.objects.filter(organ=meeting.organ).valid_on(meeting.date).select_related("person", "party"),
        key=lambda ms: (_role_order(ms), ms.person.name),
    )
    seen: set[int] = set()
    for position, ms in enumerate(memberships, start=1):
        if ms.person_id in seen:
            continue
        seen.add(ms.person_id)
        voting = ms.is_voting_member
        role = ms.get_role_display() if ms.role != m.MembershipRole.LEDAMOT and voting else ""
        m.Attendance.objects.create(
            meeting=meeting,
            person=ms.person,
            kind=m.AttendanceKind.BESLUTANDE if voting else m.AttendanceKind.ERSATTARE,
            party=ms.party,
            role=role,
            position=position,
        )
        if ms.role == m.MembershipRole.ORDFORANDE and meeting.chair_id is None:
            meeting.chair = ms.person
    meeting.save(update_fields=["chair", "updated_at"])


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    organs = access.editable_organs(request.user)
    if not organs.exists():
        raise PermissionDenied("Du är inte sekreterare för något organ.")
    form = forms.MeetingCreateForm(request.POST or None, organs=organs)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            meeting = form.save(commit=False)
            meeting.secretary = getattr(request.user, "person", None)
            meeting.save()
            _fill_attendance(meeting)
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
    attendances = list(meeting.attendances.all())
    paragraphs = _paragraphs_in_order(meeting)
    return render(
        request,
        "drafting/meeting_detail.html",
        {
            "meeting": meeting,
            "paragraphs": paragraphs,
            "present_count": sum(1 for a in attendances if not a.absent),
            "absent_count": sum(1 for a in attendances if a.absent),
            "can_edit": can_edit,
            "editable": can_edit and meeting.status in EDITABLE_STATUSES,
            "justering": meeting_panel(meeting, can_edit, paragraphs),
        },
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_editing(request, pk)
    form = forms.MeetingForm(request.POST or None, instance=meeting, secretaries=_secretary_people(meeting))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _claim_version(meeting, form.cleaned_data["version"])
                form.save(commit=False)
                meeting.save(update_fields=[*_model_fields(form), "version", "updated_at"])
        except StaleVersion:
            _conflict(request, "sammanträdet")
            status = 409
        else:
            messages.success(request, "Sammanträdet är sparat.")
            return redirect(meeting)
    return render(request, "drafting/meeting_form.html", {"form": form, "meeting": meeting}, status=status)


# ---------------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------------


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_editing(request, pk)
    paragraphs = _paragraphs_in_order(meeting)
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
    guest_form = forms.GuestForm(data if action == "add_guest" else None, paragraphs=paragraphs, prefix="guest")
    version_form = forms.VersionForm(data if action else None, initial={"version": meeting.version})
    status = 200

    bound = {"save": formset, "add_deputy": deputy_form, "add_guest": guest_form}.get(action)
    if bound is not None and bound.is_valid() and version_form.is_valid():
        try:
            with transaction.atomic():
                _claim_version(meeting, version_form.cleaned_data["version"])
                meeting.save(update_fields=["version", "updated_at"])
                if action == "save":
                    _save_attendance(formset)
                    text = "Närvaron är sparad."
                elif action == "add_deputy":
                    text = _add_deputy(meeting, deputy_form, attendances)
                else:
                    text = _add_guest(meeting, guest_form, attendances)
        except StaleVersion:
            _conflict(request, "närvaron")
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


def _save_attendance(formset: forms.AttendanceFormSet) -> None:
    formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    for form in formset.forms:
        if form in formset.deleted_forms or not form.has_changed():
            continue
        form.instance.save()
        wanted = form.cleaned_data.get("sections", [])
        if {p.pk for p in wanted} != {p.pk for p in form.instance.paragraphs.all()}:
            form.instance.paragraphs.set(wanted)


def _add_deputy(meeting: m.Meeting, form: forms.ServingDeputyForm, attendances: list[m.Attendance]) -> str:
    deputy, replaces = form.cleaned_data["deputy"], form.cleaned_data["replaces"]
    sections = form.cleaned_data["sections"]
    serving = m.Attendance.objects.create(
        meeting=meeting,
        person=deputy,
        kind=m.AttendanceKind.TJANSTGORANDE_ERSATTARE,
        party=form.party_of.get(deputy.pk),
        replaces=replaces,
        position=max((a.position for a in attendances), default=0) + 1,
    )
    if sections:
        serving.paragraphs.set(sections)
    else:
        # A deputy serving the whole meeting is listed only as tjänstgörande, not also as ersättare.
        for a in attendances:
            if a.person_id == deputy.pk and a.kind == m.AttendanceKind.ERSATTARE:
                a.delete()
    return f"{deputy.name} tjänstgör för {replaces.name}."


def _add_guest(meeting: m.Meeting, form: forms.GuestForm, attendances: list[m.Attendance]) -> str:
    data = form.cleaned_data
    person = m.Person.objects.create(name=data["name"], title=data["title"], organisation=data["organisation"])
    guest = m.Attendance.objects.create(
        meeting=meeting,
        person=person,
        kind=m.AttendanceKind.OVRIG,
        title=data["title"],
        organisation=data["organisation"],
        position=max((a.position for a in attendances), default=0) + 1,
    )
    if data["sections"]:
        guest.paragraphs.set(data["sections"])
    return f"{person.name} är tillagd bland övriga."


# ---------------------------------------------------------------------------------------------------
# Paragraph list: add, move, renumber, delete
# ---------------------------------------------------------------------------------------------------


@login_required
def paragraph_list(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_editing(request, pk)
    paragraphs = _paragraphs_in_order(meeting)
    numbers = [p.number for p in paragraphs]
    in_order = numbers == sorted(numbers)
    return render(
        request,
        "drafting/paragraph_list.html",
        {"meeting": meeting, "paragraphs": paragraphs, "numbers_in_order": in_order},
    )


@login_required
def paragraph_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get_meeting_for_editing(request, pk)
    form = forms.ParagraphForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("number", "version")}
        number = form.cleaned_data["number"]
        try:
            with transaction.atomic():
                _lock_editable_meeting(meeting.pk)
                if number is None:
                    paragraph = m.Paragraph.create_next(meeting, **fields)
                else:
                    last = meeting.paragraphs.aggregate(x=models.Max("position"))["x"] or 0
                    paragraph = m.Paragraph.objects.create(meeting=meeting, number=number, position=last + 1, **fields)
        except IntegrityError:
            form.add_error("number", "Paragrafnumret togs just av någon annan. Välj ett annat.")
        else:
            messages.success(request, f"§ {paragraph.number} är skapad.")
            return redirect("paragraph_edit", pk=meeting.pk, paragraph_pk=paragraph.pk)
    return render(request, "drafting/paragraph_create.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def paragraph_move(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    meeting = _get_meeting_for_editing(request, pk)
    get_object_or_404(meeting.paragraphs, pk=paragraph_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Okänd riktning.")
        return redirect("paragraph_list", pk=meeting.pk)
    with transaction.atomic():
        _lock_editable_meeting(meeting.pk)
        # Lock the meeting's paragraphs so that two moves at once see each other's result.
        paragraphs = list(meeting.paragraphs.select_for_update().order_by("position", "number"))
        index = next((i for i, p in enumerate(paragraphs) if p.pk == paragraph_pk), None)
        if index is None:  # deleted by someone else a moment ago
            raise Http404("Paragrafen finns inte.")
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(paragraphs):
            paragraphs[index], paragraphs[other] = paragraphs[other], paragraphs[index]
        # Positions are rewritten as 1..n so that ties (e.g. imported rows at 0) cannot hide a move.
        for position, p in enumerate(paragraphs, start=1):
            if p.position != position:
                p.meeting = meeting
                p.position = position
                p.save(update_fields=["position", "updated_at"])
    moved = next(p for p in paragraphs if p.pk == paragraph_pk)
    messages.success(request, f"§ {moved.number} är flyttad.")
    return redirect(reverse("paragraph_list", args=[meeting.pk]) + f"#rad-{moved.pk}")


@login_required
@require_POST
def paragraph_renumber(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the meeting's paragraphs their own numbers in list order ("numrera om i ordning")."""
    meeting = _get_meeting_for_editing(request, pk)
    with transaction.atomic():
        _lock_editable_meeting(meeting.pk)
        m.Organ.objects.select_for_update().filter(pk=meeting.organ_id).first()
        paragraphs = list(meeting.paragraphs.select_for_update().order_by("position", "number"))
        wanted = sorted(p.number for p in paragraphs)
        changing = [(p, n) for p, n in zip(paragraphs, wanted, strict=True) if p.number != n]
        if changing:
            # Two passes, because (organ, year, number) is unique and checked per statement: first
            # park the changing paragraphs above the series' highest number, then set the real ones.
            parked = m.Paragraph.next_number(meeting.organ, meeting.date.year)
            for offset, (p, _number) in enumerate(changing):
                p.meeting = meeting
                p.number = parked + offset
                p.save(update_fields=["number"])
            for p, number in changing:
                p.number = number
                # An open editor holds the old number; its save must be refused, not revert this.
                p.version += 1
                p.save(update_fields=["number", "version", "updated_at"])
    if changing:
        messages.success(request, "Paragraferna är numrerade i ordning.")
    else:
        messages.info(request, "Paragraferna var redan numrerade i ordning.")
    return redirect("paragraph_list", pk=meeting.pk)


@login_required
def paragraph_delete(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    meeting, paragraph = _get_paragraph_for_editing(request, pk, paragraph_pk)
    form = forms.VersionForm(request.POST or None, initial={"version": paragraph.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _claim_version(paragraph, form.cleaned_data["version"])
                paragraph.delete()
        except StaleVersion:
            _conflict(request, f"§ {paragraph.number}")
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


# ---------------------------------------------------------------------------------------------------
# Paragraph editor
# ---------------------------------------------------------------------------------------------------


def _people_at(meeting: m.Meeting, paragraph: m.Paragraph) -> dict[str, list[m.Attendance]]:
    """Who can be named in each section of ``paragraph`` (DOMAIN.md, "Rules of attendance").

    - present: everyone there at the § (protokollsanteckningar);
    - serving: members and deputies serving at the §, before jäv (who can have jäv);
    - deputies: ersättare there who do not serve already (who can take a jävig member's place);
    - voters: those who take part in the decision, i.e. serving minus jäv plus the jäv substitutes
      (yrkanden, reservationer: only those who took part in a decision can reserve themselves).
    """
    present = meeting.present_at(paragraph)
    serving = meeting.serving_at(paragraph, present)
    serving_ids = {a.person_id for a in serving}
    return {
        "present": present,
        "serving": serving,
        "deputies": [a for a in present if a.kind == m.AttendanceKind.ERSATTARE and a.person_id not in serving_ids],
        "voters": meeting.voters_for(paragraph),
    }


_ATT = re.compile(r"^\s*[-–•*]?\s*(att\s)", re.IGNORECASE)


def proposal_clauses(proposal: str) -> list[str]:
    """Split a förslag till beslut into att-satser: each line starting with "att" opens one."""
    clauses: list[str] = []
    for line in proposal.splitlines():
        if not line.strip():
            continue
        match = _ATT.match(line)
        if match:
            clauses.append(line[match.start(1) :].strip())
        elif clauses:
            clauses[-1] = f"{clauses[-1]} {line.strip()}"
    return clauses


def _copy_proposal(paragraph: m.Paragraph) -> str:
    if paragraph.clauses.exists() or paragraph.decision_text:
        return "Beslutet har redan text; förslaget kopierades inte. Töm beslutet först om du vill ersätta det."
    if not paragraph.proposal.strip():
        return "Det finns inget förslag till beslut att kopiera."
    clauses = proposal_clauses(paragraph.proposal)
    if clauses:
        for position, text in enumerate(clauses, start=1):
            m.DecisionClause.objects.create(paragraph=paragraph, position=position, text=text)
    else:
        paragraph.decision_text = paragraph.proposal
        paragraph.save(update_fields=["decision_text"])
    return ""


@login_required
def paragraph_edit(request: HttpRequest, pk: int, paragraph_pk: int) -> HttpResponse:
    meeting, paragraph = _get_paragraph_for_editing(request, pk, paragraph_pk)
    people = _people_at(meeting, paragraph)
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
                with transaction.atomic():
                    _claim_version(paragraph, form.cleaned_data["version"])
                    form.save(commit=False)
                    paragraph.save(update_fields=[*_model_fields(form), "version", "updated_at"])
                    for *_labels, formset in sections:
                        formset.save_ordered()
                    note = _copy_proposal(paragraph) if request.POST.get("action") == "copy_proposal" else ""
            except StaleVersion:
                _conflict(request, f"§ {paragraph.number}")
                status = 409
            except IntegrityError:
                form.add_error("number", "Paragrafnumret togs just av någon annan. Välj ett annat.")
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
            "votes": list(paragraph.votes.all()),
            "voter_count": len(people["voters"]),
            "member_count": sum(1 for a in meeting.attendances.all() if a.kind == m.AttendanceKind.BESLUTANDE),
        },
        status=status,
    )


# ---------------------------------------------------------------------------------------------------
# Roll-call vote
# ---------------------------------------------------------------------------------------------------


@login_required
def vote_edit(request: HttpRequest, pk: int, paragraph_pk: int, vote_pk: int | None = None) -> HttpResponse:
    meeting, paragraph = _get_paragraph_for_editing(request, pk, paragraph_pk)
    # vote_create passes no vote_pk; 0 is an id like any other (and not found).
    vote = m.Vote(paragraph=paragraph) if vote_pk is None else get_object_or_404(paragraph.votes.all(), pk=vote_pk)
    existing = {c.person_id: c for c in vote.casts.all()} if vote.pk else {}
    voters = meeting.voters_for(paragraph)
    form = forms.VoteForm(
        request.POST or None,
        instance=vote,
        voters=voters,
        casts={pid: c.choice for pid, c in existing.items()},
        initial={"version": paragraph.version},
    )
    voter_ids = {a.person_id for a in voters}
    not_entitled = [c for pid, c in existing.items() if pid not in voter_ids]
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _claim_version(paragraph, form.cleaned_data["version"])
                paragraph.save(update_fields=["version", "updated_at"])
                if vote.pk is None:
                    vote.position = len(paragraph.votes.all()) + 1
                form.save()
                _save_casts(vote, voters, form.choices_by_person(), existing)
        except StaleVersion:
            _conflict(request, f"§ {paragraph.number}")
            status = 409
        else:
            vote = m.Vote.objects.prefetch_related("casts").get(pk=vote.pk)
            messages.success(request, f"Omröstningen är sparad. {vote.result_text}")
            return redirect("paragraph_edit", pk=meeting.pk, paragraph_pk=paragraph.pk)
    tally = {choice: 0 for choice in m.VoteChoice.values}
    for _attendance, field in form.rows():
        value = field.value()
        if value in tally:
            tally[value] += 1
    return render(
        request,
        "drafting/vote_form.html",
        {
            "meeting": meeting,
            "paragraph": paragraph,
            "vote": vote,
            "form": form,
            "tally": [(value, label, tally[value]) for value, label in m.VoteChoice.choices],
            "not_entitled": not_entitled,
        },
        status=status,
    )


def _save_casts(vote: m.Vote, voters: list[m.Attendance], chosen: dict[int, str], existing: dict) -> None:
    for position, a in enumerate(voters, start=1):
        cast = existing.get(a.person_id)
        choice = chosen.get(a.person_id)
        if choice is None:
            if cast is not None:
                cast.delete()
        elif cast is None:
            m.VoteCast.objects.create(vote=vote, person=a.person, party=a.party, choice=choice, position=position)
        elif (cast.choice, cast.position, cast.party_id) != (choice, position, a.party_id):
            cast.choice, cast.position, cast.party = choice, position, a.party
            cast.save()


@login_required
@require_POST
def vote_delete(request: HttpRequest, pk: int, paragraph_pk: int, vote_pk: int) -> HttpResponse:
    meeting, paragraph = _get_paragraph_for_editing(request, pk, paragraph_pk)
    vote = get_object_or_404(paragraph.votes.all(), pk=vote_pk)
    form = forms.VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleVersion
        with transaction.atomic():
            _claim_version(paragraph, form.cleaned_data["version"])
            paragraph.save(update_fields=["version", "updated_at"])
            vote.delete()
    except StaleVersion:
        _conflict(request, f"§ {paragraph.number}")
        return redirect("vote_edit", pk=meeting.pk, paragraph_pk=paragraph.pk, vote_pk=vote.pk)
    messages.success(request, "Omröstningen är borttagen.")
    return redirect("paragraph_edit", pk=meeting.pk, paragraph_pk=paragraph.pk)


# ---------------------------------------------------------------------------------------------------
# Preview
# ---------------------------------------------------------------------------------------------------


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk)
    return render(
        request,
        "drafting/preview.html",
        {
            "meeting": meeting,
            "doc": build_document(meeting),
            "editable": access.can_edit_meeting(request.user, meeting) and meeting.status in EDITABLE_STATUSES,
        },
    )
