"""The secretary's edits of a draft protokoll: meeting, attendance, paragraphs and their sections,
roll-call votes.

Only while the protokoll is a draft (utkast) or has been sent back (återsänt): every save locks the
meeting's row first and checks its status (``lock_editable_meeting``), so a save either commits
before a send to justering or waits for it and is refused.

Lost updates are prevented with the ``version`` of the meeting and of each paragraph: every form
carries the version it was loaded with, and each save here locks the row, compares and increments in
one transaction (``_versioned``), raising ``StaleVersion`` when someone else saved in between.
Attendance belongs to the meeting's version; every section of a paragraph (att-satser, yrkanden,
votes, …) to the paragraph's.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.forms import BaseFormSet
from django.http import Http404

from .. import models as m
from ..locking import ProtokollLocked
from . import decision
from .base import swap_with_neighbour


class StaleVersion(Exception):
    """The row changed, or was deleted, since the form was loaded."""


def lock_editable_meeting(meeting_id: int) -> int:
    """Lock the meeting's row, check that the protokoll is still a draft and return its version.

    Must run inside ``transaction.atomic()``, first thing in every drafting save. Sending to
    justering locks the same row (``services.base.locked_meeting``), so a save either commits before
    the status changes or waits for it and is refused here; the model-layer check
    (``meetings.locking``) reads the status without a lock and cannot see a send that has not
    committed yet. The meeting row is always locked before any paragraph row, so that two saves
    cannot deadlock.
    """
    try:
        status, version = m.Meeting.objects.select_for_update().values_list("status", "version").get(pk=meeting_id)
    except m.Meeting.DoesNotExist:  # deleted (in the admin) a moment ago
        raise Http404("Sammanträdet finns inte längre.") from None
    if status not in m.EDITABLE_STATUSES:
        raise ProtokollLocked(
            f"Protokollet är {m.MeetingStatus(status).label.lower()} och kan inte längre ändras här. "
            "Dina ändringar har inte sparats."
        )
    return version


def claim_version(obj: m.Meeting | m.Paragraph, loaded_version: int | None) -> None:
    """Lock ``obj``'s row (a paragraph's meeting first) and take the next version, or raise
    StaleVersion, also when the paragraph was deleted meanwhile.

    The row lock keeps a concurrent save from reading the same version between our compare and our
    write, so exactly one of two racing saves wins.
    """
    if isinstance(obj, m.Meeting):
        current = lock_editable_meeting(obj.pk)
        if current != loaded_version:
            raise StaleVersion
        obj.version = current + 1
    else:
        lock_editable_meeting(obj.meeting_id)
        claim_row_version(obj, loaded_version)


def claim_row_version(obj: Any, loaded_version: int | None) -> None:
    """Lock ``obj``'s row and take its next ``version``, or raise StaleVersion (also when the row was
    deleted meanwhile). For any model with a ``version`` field; call it inside a transaction."""
    try:
        # get() drops the default ordering, whose join could lock a parent row a second time.
        current = type(obj).objects.select_for_update().values_list("version", flat=True).get(pk=obj.pk)
    except type(obj).DoesNotExist:
        raise StaleVersion from None
    if current != loaded_version:
        raise StaleVersion
    obj.version = current + 1


def save_versioned(obj: Any, loaded_version: int | None, fields: list[str]) -> None:
    """Save ``fields`` of ``obj`` (assigned by a form) on top of ``loaded_version``: an ärende, a
    handling, an agenda point. Raises StaleVersion when someone else saved in between."""
    stamps = ["updated_at"] if any(f.name == "updated_at" for f in obj._meta.concrete_fields) else []
    with transaction.atomic():
        claim_row_version(obj, loaded_version)
        obj.save(update_fields=[*fields, "version", *stamps])


@contextlib.contextmanager
def _versioned(obj: m.Meeting | m.Paragraph, loaded_version: int | None, *, bump: bool = True) -> Iterator[None]:
    """One save of a draft on top of the ``loaded_version`` of ``obj``: a transaction that claims
    the next version (or raises StaleVersion) and, with ``bump``, stores it when the block is done."""
    with transaction.atomic():
        claim_version(obj, loaded_version)
        yield
        if bump:
            obj.save(update_fields=["version", "updated_at"])


def _next_position(attendances: Iterable[m.Attendance]) -> int:
    return max((a.position for a in attendances), default=0) + 1


# ---------------------------------------------------------------------------------------------------
# Meeting and attendance
# ---------------------------------------------------------------------------------------------------


def _role_order(membership: m.Membership) -> int:
    return list(m.MembershipRole.values).index(membership.role)


def fill_attendance(meeting: m.Meeting) -> None:
    """Members valid on the meeting's date become beslutande, deputies ersättare; the organ's
    ordförande chairs by default. Saved one by one so that the audit log records each. Persons
    already in the attendance are left alone, so this also brings in later additions."""
    memberships = sorted(
        m.Membership.objects.filter(organ=meeting.organ).valid_on(meeting.date).select_related("person", "party"),
        key=lambda ms: (_role_order(ms), ms.person.name),
    )
    # Members already there (the register may have grown since the meeting was created) stay as they are.
    existing = list(meeting.attendances.values_list("person_id", "position"))
    seen = {person_id for person_id, _position in existing}
    position = max((p for _person_id, p in existing), default=0)
    for ms in memberships:
        if ms.person_id in seen:
            continue
        seen.add(ms.person_id)
        position += 1
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


def create_meeting(meeting: m.Meeting, secretary: m.Person | None) -> m.Meeting:
    """Store a new meeting (its fields set by the caller) with attendance from the organ's register."""
    with transaction.atomic():
        meeting.secretary = secretary
        meeting.save()
        fill_attendance(meeting)
    return meeting


def edit_meeting(meeting: m.Meeting, loaded_version: int | None, fields: list[str]) -> None:
    """Save the meeting's ``fields`` (already assigned by a form) on top of ``loaded_version``."""
    with _versioned(meeting, loaded_version, bump=False):
        meeting.save(update_fields=[*fields, "version", "updated_at"])


def _cover(attendance: m.Attendance, paragraphs: list[m.Paragraph], pending: list[int]) -> None:
    """Set the §§ a row covers: those that exist, and the numbers of those still to come."""
    if {p.pk for p in paragraphs} != {p.pk for p in attendance.paragraphs.all()}:
        attendance.paragraphs.set(paragraphs)
    text = " ".join(str(n) for n in pending)
    if attendance.pending_numbers != text:
        attendance.pending_numbers = text
        attendance.save(update_fields=["pending_numbers"])


def save_attendance(meeting: m.Meeting, loaded_version: int | None, formset: BaseFormSet) -> None:
    """The attendance editor's rows: absence, roles, replacements, arrival and departure, §§ and
    removals."""
    with _versioned(meeting, loaded_version):
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for form in formset.forms:
            if form in formset.deleted_forms or not form.has_changed():
                continue
            form.instance.save()
            sections = form.cleaned_data.get("sections")
            if sections is not None:
                _cover(form.instance, sections.paragraphs, sections.pending)


def add_serving_deputy(
    meeting: m.Meeting,
    loaded_version: int | None,
    attendances: list[m.Attendance],
    *,
    deputy: m.Person,
    replaces: m.Person,
    sections: list[m.Paragraph],
    party: m.Party | None,
    pending: list[int] = (),
) -> m.Attendance:
    """A deputy (ersättare) who serves instead of ``replaces``, at ``sections`` (and the §§ numbered
    ``pending`` once they exist) or the whole meeting."""
    with _versioned(meeting, loaded_version):
        serving = m.Attendance.objects.create(
            meeting=meeting,
            person=deputy,
            kind=m.AttendanceKind.TJANSTGORANDE_ERSATTARE,
            party=party,
            replaces=replaces,
            position=_next_position(attendances),
            pending_numbers=" ".join(str(n) for n in pending),
        )
        if sections:
            serving.paragraphs.set(sections)
        elif not pending:
            # A deputy serving the whole meeting is listed only as tjänstgörande, not also as ersättare.
            for a in attendances:
                if a.person_id == deputy.pk and a.kind == m.AttendanceKind.ERSATTARE:
                    a.delete()
    return serving


def add_guest(
    meeting: m.Meeting,
    loaded_version: int | None,
    attendances: list[m.Attendance],
    *,
    person: m.Person | None,
    name: str,
    title: str,
    organisation: str,
    sections: list[m.Paragraph],
    pending: list[int] = (),
) -> m.Attendance:
    """An official or guest (övriga), present at ``sections`` (and the §§ numbered ``pending`` once
    they exist) or the whole meeting: ``person`` from the register, or a new person named ``name``."""
    with _versioned(meeting, loaded_version):
        if person is None:
            person = m.Person.objects.create(name=name, title=title, organisation=organisation)
        guest = m.Attendance.objects.create(
            meeting=meeting,
            person=person,
            kind=m.AttendanceKind.OVRIG,
            title=title,
            organisation=organisation,
            position=_next_position(attendances),
            pending_numbers=" ".join(str(n) for n in pending),
        )
        if sections:
            guest.paragraphs.set(sections)
    return guest


def add_adjournment(meeting: m.Meeting, loaded_version: int | None, adjournment: m.Adjournment) -> None:
    """An ajournering (its fields set and validated by the caller)."""
    with _versioned(meeting, loaded_version):
        adjournment.meeting = meeting
        adjournment.save()


def remove_adjournment(meeting: m.Meeting, loaded_version: int | None, adjournment_id: int) -> None:
    with _versioned(meeting, loaded_version):
        m.Adjournment.objects.filter(meeting=meeting, pk=adjournment_id).delete()


def record_movement(
    meeting: m.Meeting,
    loaded_version: int | None,
    paragraph: m.Paragraph,
    *,
    arrived: m.Attendance | None = None,
    left: m.Attendance | None = None,
) -> None:
    """From the § editor: ``arrived`` came to the meeting at ``paragraph``, ``left`` went after it
    (changes of who serves happen between ärenden, so at a § boundary)."""
    with _versioned(meeting, loaded_version):
        if arrived is not None:
            arrived.from_number, arrived.absent = paragraph.number, False
            arrived.save(update_fields=["from_number", "absent"])
        if left is not None:
            left.to_number = paragraph.number
            left.save(update_fields=["to_number"])


# ---------------------------------------------------------------------------------------------------
# Paragraphs: add, move, renumber, delete, edit
# ---------------------------------------------------------------------------------------------------


def create_paragraph(meeting: m.Meeting, number: int | None, fields: dict[str, Any]) -> m.Paragraph:
    """A new § at the end of the meeting: with ``number``, or the next free one in the series.

    Raises IntegrityError when ``number`` was taken a moment ago.
    """
    with transaction.atomic():
        lock_editable_meeting(meeting.pk)
        return m.Paragraph.create_next(meeting, number=number, **fields)


def move_paragraph(meeting: m.Meeting, paragraph_pk: int, direction: str) -> m.Paragraph:
    """Swap the § with its neighbour above ("up") or below ("down")."""
    with transaction.atomic():
        lock_editable_meeting(meeting.pk)
        # Lock the meeting's paragraphs so that two moves at once see each other's result.
        try:
            paragraphs = swap_with_neighbour(
                list(meeting.paragraphs.select_for_update().order_by("position", "number")), paragraph_pk, direction
            )
        except LookupError:  # deleted by someone else a moment ago
            raise Http404("Paragrafen finns inte.") from None
        # Positions are rewritten as 1..n so that ties (e.g. imported rows at 0) cannot hide a move.
        for position, p in enumerate(paragraphs, start=1):
            if p.position != position:
                p.meeting = meeting
                p.position = position
                p.save(update_fields=["position", "updated_at"])
    return next(p for p in paragraphs if p.pk == paragraph_pk)


def renumber_paragraphs(meeting: m.Meeting) -> bool:
    """Give the meeting's §§ their own numbers in list order ("numrera om i ordning"). Returns
    whether any number changed."""
    with transaction.atomic():
        lock_editable_meeting(meeting.pk)
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
                p.attach_waiting_attendance()
    return bool(changing)


def delete_paragraph(paragraph: m.Paragraph, loaded_version: int | None) -> None:
    with _versioned(paragraph, loaded_version, bump=False):
        paragraph.delete()


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
    """The förslag till beslut becomes the Beslut; returns why not, or an empty string."""
    if paragraph.clauses.exists() or paragraph.decision_text:
        return "Beslutet har redan text; förslaget kopierades inte. Töm beslutet först om du vill ersätta det."
    if not paragraph.proposal.strip():
        return "Det finns inget förslag till beslut att kopiera."
    clauses = proposal_clauses(paragraph.proposal)
    limit = m.DecisionClause._meta.get_field("text").max_length
    if any(len(text) > limit for text in clauses):
        return f"En att-sats i förslaget är längre än {limit} tecken; förslaget kopierades inte. Dela upp den."
    if clauses:
        for position, text in enumerate(clauses, start=1):
            m.DecisionClause.objects.create(paragraph=paragraph, position=position, text=text)
    else:
        paragraph.decision_text = paragraph.proposal
        paragraph.save(update_fields=["decision_text"])
    return ""


def _sync_vote_means(paragraph: m.Paragraph) -> None:
    """A vote on a proposition says Ja and Nej as the proposition does, also after it was edited."""
    for vote in m.Vote.objects.filter(paragraph=paragraph, proposition__isnull=False).select_related("proposition"):
        means = decision.vote_means(vote.proposition)
        if (vote.ja_means, vote.nej_means) != means:
            vote.ja_means, vote.nej_means = means
            vote.save(update_fields=["ja_means", "nej_means"])


def _propose_order(paragraph: m.Paragraph) -> str:
    """Fill in the usual propositionsordning from the yrkanden; returns why not, or an empty string."""
    if paragraph.propositions.exists():
        return (
            "Paragrafen har redan en propositionsordning; ingen ny föreslogs. "
            "Ta bort raderna först om du vill börja om."
        )
    motions = m.Motion.objects.filter(paragraph=paragraph).select_related("person")
    parties = {a.person_id: a.party.abbreviation for a in paragraph.meeting.attendances.all() if a.party_id}
    specs = decision.default_propositions(
        [(x.person.name, parties.get(x.person_id, ""), x.kind) for x in motions], decision.MAIN_PROPOSAL
    )
    if not specs:
        return "Det finns inga yrkanden som ställs mot förslaget; ingen propositionsordning behövs."
    for position, spec in enumerate(specs, start=1):
        m.Proposition.objects.create(
            paragraph=paragraph, position=position, kind=spec.kind, ja_label=spec.ja_label, nej_label=spec.nej_label
        )
    return ""


def save_paragraph(
    paragraph: m.Paragraph,
    loaded_version: int | None,
    fields: list[str],
    sections: Iterable[BaseFormSet],
    *,
    copy_proposal: bool = False,
    propose_order: bool = False,
) -> str:
    """Save the § editor: the §'s own ``fields`` (already assigned by a form) and every section's
    rows (additions, changes, removals and order). With ``copy_proposal`` the förslag till beslut
    becomes the Beslut, with ``propose_order`` the yrkanden become the usual propositionsordning;
    returns a note for the user when that could not be done. Raises IntegrityError when a typed
    number was taken a moment ago."""
    with _versioned(paragraph, loaded_version, bump=False):
        paragraph.save(update_fields=[*fields, "version", "updated_at"])
        if "number" in fields:
            paragraph.attach_waiting_attendance()
        for formset in sections:
            formset.save_ordered()
        _sync_vote_means(paragraph)
        if copy_proposal:
            return _copy_proposal(paragraph)
        return _propose_order(paragraph) if propose_order else ""


# ---------------------------------------------------------------------------------------------------
# Roll-call votes
# ---------------------------------------------------------------------------------------------------


def save_vote(
    paragraph: m.Paragraph,
    loaded_version: int | None,
    vote: m.Vote,
    *,
    voters: list[m.Attendance],
    chosen: dict[int, str],
    existing: dict[int, m.VoteCast],
) -> m.Vote:
    """Save an omröstning (``vote``, its Ja/Nej meanings assigned) and its casts: one per voter who
    has a choice in ``chosen``, in voter order; casts of voters without a choice are removed."""
    with _versioned(paragraph, loaded_version):
        if vote.pk is None:
            vote.position = len(paragraph.votes.all()) + 1
        if vote.proposition_id:
            vote.ja_means, vote.nej_means = decision.vote_means(vote.proposition)
        vote.save()
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
    return vote


def delete_vote(paragraph: m.Paragraph, loaded_version: int | None, vote: m.Vote) -> None:
    with _versioned(paragraph, loaded_version):
        vote.delete()
