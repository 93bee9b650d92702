"""What every workflow service shares: the error users see, the meeting's row lock, and the
protokoll's state machine."""

from __future__ import annotations

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
    meeting._change_reason = reason
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
