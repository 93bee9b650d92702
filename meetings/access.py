"""Who may see and change what. Every view fetches its object through these helpers."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from . import models as m
from .export.document import load_meeting


def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_superuser


def editable_organs(user) -> QuerySet[m.Organ]:
    """Organs whose meetings the user may create and edit: their secretary organs, or all for admins."""
    if is_administrator(user):
        return m.Organ.objects.all()
    if not user.is_authenticated:
        return m.Organ.objects.none()
    return m.Organ.objects.filter(secretaries=user)


def visible_meetings(user) -> QuerySet[m.Meeting]:
    """Meetings the user may read in any state: secretaries and admins, members of the organ, and
    the meeting's own chair and justerare."""
    if is_administrator(user):
        return m.Meeting.objects.all()
    if not user.is_authenticated:
        return m.Meeting.objects.none()
    person = getattr(user, "person", None)
    condition = Q(organ__secretaries=user)
    if person is not None:
        # Members of the organ on the meeting's date (one join: all three conditions on the same row).
        condition |= Q(organ__memberships__person=person, organ__memberships__start__lte=F("date")) & (
            Q(organ__memberships__end__isnull=True) | Q(organ__memberships__end__gte=F("date"))
        )
        condition |= Q(chair=person) | Q(justerare_1=person) | Q(justerare_2=person) | Q(secretary=person)
    return m.Meeting.objects.filter(condition).distinct()


def can_edit_meeting(user, meeting: m.Meeting) -> bool:
    return is_administrator(user) or (user.is_authenticated and meeting.organ.secretaries.filter(pk=user.pk).exists())


def get_meeting_for_user(user, pk: int, edit: bool = False) -> m.Meeting:
    """The meeting if the user may see it (or edit it, with ``edit``); 404 otherwise, so that an
    outsider cannot tell a meeting exists."""
    if not visible_meetings(user).filter(pk=pk).exists():
        raise Http404("Sammanträdet finns inte.")
    try:
        meeting = load_meeting(pk)
    except m.Meeting.DoesNotExist as exc:  # deleted between the two queries
        raise Http404("Sammanträdet finns inte.") from exc
    if edit and not can_edit_meeting(user, meeting):
        raise Http404("Sammanträdet finns inte.")
    return meeting


# ---------------------------------------------------------------------------------------------------
# The register, ärenden and their files
# ---------------------------------------------------------------------------------------------------


def get_organ_for_editing(user, pk: int) -> m.Organ:
    """An organ whose register the user keeps (its secretary, or an administrator); 404 otherwise."""
    organ = editable_organs(user).filter(pk=pk).first()
    if organ is None:
        raise Http404("Organet finns inte.")
    return organ


def keeps_register(user) -> bool:
    """Whether the user keeps any register: a secretary of some organ, or an administrator."""
    return editable_organs(user).exists()


def editable_persons(user) -> QuerySet[m.Person]:
    """Persons whose details the user may change: those with a seat in one of the user's organs,
    and those with no seat anywhere that are no one else's: officials and guests without an
    account, the user's own person, and a fellow secretary of only the user's organs. A person who
    sits only in other organs, or another organ's secretary, belongs to that organ's secretaries
    (their name and e-mail decide where that organ's mail goes and who signs)."""
    if is_administrator(user):
        return m.Person.objects.all()
    organs = editable_organs(user)
    if not organs.exists():
        return m.Person.objects.none()
    seats = m.Membership.objects.filter(person=OuterRef("pk"))
    secretary = m.Organ.secretaries.through.objects.filter(user_id=OuterRef("user_id"))
    no_one_elses = (
        Q(user__isnull=True)
        | Q(user=user)
        | (Exists(secretary.filter(organ__in=organs)) & ~Exists(secretary.exclude(organ__in=organs)))
    )
    return m.Person.objects.filter(Exists(seats.filter(organ__in=organs)) | (~Exists(seats) & no_one_elses))


def editable_papers(user) -> QuerySet[m.Paper]:
    """Ärenden of the organs whose secretary the user is (all for administrators)."""
    if is_administrator(user):
        return m.Paper.objects.all()
    return m.Paper.objects.filter(organ__in=editable_organs(user))


def get_paper_for_editing(user, pk: int) -> m.Paper:
    paper = editable_papers(user).select_related("organ", "case_officer__party").filter(pk=pk).first()
    if paper is None:
        raise Http404("Ärendet finns inte.")
    return paper


def readable_files(user) -> QuerySet[m.File]:
    """Handlingar and bilagor a signed-in user may read: the secretaries' (of the ärende's or the §'s
    organ), and those of a meeting the user may see (``visible_meetings``: its members and
    ersättare, chair and justerare) that the meeting's agenda or protokoll holds. Everyone else,
    the public included, gets only ``File.objects.published``."""
    if is_administrator(user):
        return m.File.objects.all()
    if not user.is_authenticated:
        return m.File.objects.none()
    meetings = visible_meetings(user).values("pk")
    return m.File.objects.filter(
        Q(paper__organ__in=editable_organs(user))
        | Q(paper__consultations__meeting__in=meetings)
        | Q(paragraph__meeting__in=meetings)
    ).distinct()


def get_file_for_user(user, pk: int) -> m.File:
    """The file if the user may read it; 404 otherwise, so that no one can tell it exists."""
    file = readable_files(user).filter(pk=pk).first()
    if file is None:
        raise Http404("Handlingen finns inte.")
    return file


def may_edit_file(user, file: m.File) -> bool:
    """A handling is changed by its ärende's secretaries, a bilaga by its protokoll's."""
    organ_id = file.paper.organ_id if file.paper_id else file.paragraph.meeting.organ_id
    return editable_organs(user).filter(pk=organ_id).exists()
