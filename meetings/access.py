"""Who may see and change what. Every view fetches its object through these helpers."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
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
