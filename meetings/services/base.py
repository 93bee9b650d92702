"""What every workflow service shares: the error users see, the meeting's row lock, the
protokoll's state machine, the check of values no form has seen, and the change reason kept in the
history."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models

from .. import models as m
from ..locking import unlocked

S = m.MeetingStatus

# Legal transitions of the whole protokoll: Utkast → Under justering → Justerat → Anslaget →
# Arkiverat, plus Återsänt (sent back).
TRANSITIONS: dict[str, set[str]] = {
    S.UTKAST: {S.UNDER_JUSTERING},
    S.ATERSANT: {S.UNDER_JUSTERING},
    S.UNDER_JUSTERING: {S.JUSTERAT, S.ATERSANT},
    S.JUSTERAT: {S.ANSLAGET},
    S.ANSLAGET: {S.ARKIVERAT},
    S.ARKIVERAT: set(),
}


class WorkflowError(Exception):
    """A change that is not allowed now; the message is shown to the user (Swedish)."""


def check_fields(obj: models.Model, names: Iterable[str]) -> None:
    """Validate ``names`` of ``obj`` as the model defines them (max_length, blank, choices) and refuse
    a NUL character, which PostgreSQL cannot store in text: for a save no form has checked. Raises
    WorkflowError with the Swedish messages, field by field."""
    names = list(names)
    problems: list[str] = []
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, str) and "\x00" in value:
            problems.append(_labelled(obj, name, ProhibitNullCharactersValidator.message))
    try:
        obj.clean_fields(exclude=[f.name for f in obj._meta.concrete_fields if f.name not in names])
    except ValidationError as exc:
        problems += [_labelled(obj, name, text) for name, texts in exc.message_dict.items() for text in texts]
    if problems:
        raise WorkflowError(" ".join(problems))


def _labelled(obj: models.Model, name: str, text: str) -> str:
    return f"{str(obj._meta.get_field(name).verbose_name).capitalize()}: {text}"


def change_reason(obj: models.Model, reason: str) -> None:
    """Set the reason the history records with ``obj``'s next save, cut to its column
    (django-simple-history's history_change_reason, varchar(100)); whoever needs the whole text keeps
    it in a row of its own (a rättelse's reason is in its Correction)."""
    limit = type(obj).history.model._meta.get_field("history_change_reason").max_length
    obj._change_reason = reason if len(reason) <= limit else reason[: limit - 1] + "…"


def locked_meeting(meeting: m.Meeting) -> m.Meeting:
    """The meeting, re-read with a row lock. Two signers may press "Signera" at the same moment on
    different app servers: the lock serialises every transition of one meeting. Call it inside
    ``transaction.atomic()``."""
    return m.Meeting.objects.select_for_update().select_related("organ").get(pk=meeting.pk)


def set_status(meeting: m.Meeting, status: str, reason: str, **fields) -> None:
    """Move a locked meeting to ``status`` if TRANSITIONS allows it, with a change reason for the log."""
    if status not in TRANSITIONS[meeting.status]:
        raise WorkflowError(
            f"Protokollet kan inte gå från {S(meeting.status).label.lower()} till {S(status).label.lower()}."
        )
    meeting.status = status
    for name, value in fields.items():
        setattr(meeting, name, value)
    change_reason(meeting, reason)
    with unlocked():
        meeting.save(update_fields=["status", "updated_at", *fields])


def swap_with_neighbour(rows: list, pk: int, direction: str) -> list:
    """``rows`` in their order with the row ``pk`` swapped with the one above ("up") or below
    ("down"); unchanged at either end. Raises LookupError when ``pk`` is not among them."""
    index = next((i for i, row in enumerate(rows) if row.pk == pk), None)
    if index is None:
        raise LookupError(pk)
    other = index - 1 if direction == "up" else index + 1
    rows = list(rows)
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    return rows
