"""Model-layer locking of protokoll content.

While a protokoll is under justering its content cannot change, and once it is justerat it is
immutable: every save or delete of a meeting, paragraph or any of their parts raises
``ProtokollLocked``, whatever path it comes from (views, admin, shell). A § that has been
omedelbart justerad is locked on its own. Signals are used rather than ``save()`` overrides
because queryset deletes (the admin's bulk delete) and many-to-many changes bypass ``save()``.

The workflow (meetings.services) changes status fields of a locked meeting, and a recorded
rättelse changes content, inside ``unlocked()``.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.dispatch import receiver

from . import models as m

# Fields of Meeting that the workflow itself maintains; changing only these is not a content change.
WORKFLOW_FIELDS = frozenset({"status", "justerat_at", "version", "updated_at"})
# Fields of a bilaga (File) that may change after justering: whether the public may see it.
FILE_PUBLICATION_FIELDS = frozenset({"public", "version"})
# The meeting's identity, fixed as soon as an omedelbar justering of any of its §§ is complete
# (its signatures cover it: meetings.export.canonical.content_hash).
IDENTITY_ATTNAMES = frozenset(m.Meeting._meta.get_field(name).attname for name in m.IDENTITY_FIELDS)

# The rows that belong to one § (through their paragraph_id).
PARAGRAPH_PARTS = (m.DecisionClause, m.Motion, m.Proposition, m.Vote, m.Reservation, m.ProtocolNote, m.Recusal)

_unlocked: contextvars.ContextVar[bool] = contextvars.ContextVar("protokoll_unlocked", default=False)


class ProtokollLocked(Exception):
    """Raised on an attempt to change locked protokoll content."""

    def __init__(self, message: str = "Protokollet är låst och kan inte ändras.") -> None:
        super().__init__(message)
        self.message = message


@contextlib.contextmanager
def unlocked() -> Iterator[None]:
    """Let the workflow (status changes) and recorded rättelser write to a locked protokoll."""
    token = _unlocked.set(True)
    try:
        yield
    finally:
        _unlocked.reset(token)


def _changed_fields(old, new) -> set[str]:
    """The attnames in which ``new`` differs from the stored row ``old`` (everything if it is gone)."""
    fields = type(new)._meta.concrete_fields
    if old is None:
        return {f.attname for f in fields}
    return {f.attname for f in fields if getattr(old, f.attname) != getattr(new, f.attname)}


def _status_message(status: str) -> str:
    if status == m.MeetingStatus.UNDER_JUSTERING:
        return "Protokollet är under justering och kan inte ändras. Be justerarna skicka tillbaka det."
    return "Protokollet är justerat och kan inte ändras. Gör en rättelse i stället."


def _check_meeting(meeting_id: int | None) -> None:
    if meeting_id is None:
        return
    status = m.Meeting.objects.filter(pk=meeting_id).values_list("status", flat=True).first()
    if status in m.LOCKED_STATUSES:
        raise ProtokollLocked(_status_message(status))


def _check_paragraph(paragraph_id: int | None) -> None:
    if paragraph_id is None:
        return
    row = m.Paragraph.objects.filter(pk=paragraph_id).values_list("meeting__status", "justerad_at").first()
    if row is None:
        return
    status, justerad_at = row
    if status in m.LOCKED_STATUSES:
        raise ProtokollLocked(_status_message(status))
    if justerad_at is not None:
        raise ProtokollLocked("Paragrafen är omedelbart justerad och kan inte ändras.")


def check_editable(instance: object) -> None:
    """Raise ProtokollLocked if saving or deleting ``instance`` would change locked content."""
    if _unlocked.get():
        return
    if isinstance(instance, m.Meeting):
        if instance.pk is None:
            return
        old = m.Meeting.objects.filter(pk=instance.pk).first()
        if old is None:
            return
        changed = _changed_fields(old, instance)
        if old.status in m.LOCKED_STATUSES and changed - WORKFLOW_FIELDS:
            raise ProtokollLocked(_status_message(old.status))
        if changed & IDENTITY_ATTNAMES and m.Paragraph.objects.filter(meeting=old, justerad_at__isnull=False).exists():
            raise ProtokollLocked(
                "Datum, tid, plats, diarienummer, ordförande och justerare kan inte ändras efter en "
                "omedelbar justering: de ingår i det som justerats."
            )
    elif isinstance(instance, m.Paragraph):
        if instance.pk is None:
            _check_meeting(instance.meeting_id)
        else:
            _check_paragraph(instance.pk)
            # Moving a paragraph to another meeting must respect the target's lock as well.
            _check_meeting(instance.meeting_id)
    elif isinstance(instance, m.Attendance | m.Adjournment):
        _check_meeting(instance.meeting_id)
    elif isinstance(instance, m.VoteCast):
        _check_paragraph(m.Vote.objects.filter(pk=instance.vote_id).values_list("paragraph_id", flat=True).first())
    elif isinstance(instance, PARAGRAPH_PARTS):
        _check_paragraph(instance.paragraph_id)
    elif isinstance(instance, m.File):
        # A bilaga is part of its §; a handling of an ärende (no paragraph) is not protokoll content.
        # Whether a bilaga is public is not part of what was signed: it may be withdrawn from the
        # public, say for personal data found late, after justering.
        old = m.File.objects.filter(pk=instance.pk).first() if instance.pk is not None else None
        if old is not None and _changed_fields(old, instance) <= FILE_PUBLICATION_FIELDS:
            return
        _check_paragraph(instance.paragraph_id)


@receiver(pre_save)
def _refuse_locked_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or sender not in m.MEETING_DATA_MODELS:
        return
    check_editable(instance)


@receiver(pre_delete)
def _refuse_locked_delete(sender, instance, **kwargs) -> None:
    if sender not in m.MEETING_DATA_MODELS:
        return
    if isinstance(instance, m.Meeting):
        if not _unlocked.get() and instance.status in m.LOCKED_STATUSES:
            raise ProtokollLocked(_status_message(instance.status))
        return
    check_editable(instance)


@receiver(m2m_changed, sender=m.Attendance.paragraphs.through)
@receiver(m2m_changed, sender=m.Reservation.persons.through)
def _refuse_locked_m2m(sender, instance, action, reverse, **kwargs) -> None:
    if not action.startswith("pre_"):
        return
    check_editable(instance)
