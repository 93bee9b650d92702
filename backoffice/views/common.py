"""What the back office's views share: fetching a meeting or § for editing with its access check
(404 for those who may not see it, 403 for those who may only read it or when it is no longer a
draft), and the message after a lost race (optimistic locking)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from meetings import access
from meetings import models as m

CONFLICT_MESSAGE = (
    "Någon annan har sparat ändringar i {what} medan du redigerade. Dina ändringar har inte sparats och "
    "ingenting har skrivits över. Kopiera det du skrivit, ladda om sidan och gör om ändringen."
)


def conflict(request: HttpRequest, what: str) -> None:
    """Tell the user their save lost to someone else's (``services.drafting.StaleVersion``)."""
    messages.error(request, CONFLICT_MESSAGE.format(what=what))


def get_meeting_for_editing(request: HttpRequest, pk: int) -> m.Meeting:
    """The meeting if the user may edit it now: 404 if they may not see it, 403 if they may only
    read it or it is no longer a draft."""
    meeting = access.get_meeting_for_user(request.user, pk)
    if not access.can_edit_meeting(request.user, meeting):
        raise PermissionDenied("Du kan läsa men inte ändra det här sammanträdet.")
    if meeting.status not in m.EDITABLE_STATUSES:
        raise PermissionDenied("Protokollet är inte längre ett utkast och kan inte ändras här.")
    return meeting


def get_paragraph_for_editing(request: HttpRequest, pk: int, paragraph_pk: int) -> tuple[m.Meeting, m.Paragraph]:
    meeting = get_meeting_for_editing(request, pk)
    paragraph = get_object_or_404(meeting.paragraphs.for_protokoll(), pk=paragraph_pk)
    paragraph.meeting = meeting
    return meeting, paragraph


def paragraphs_in_order(meeting: m.Meeting) -> list[m.Paragraph]:
    """The meeting's §§ in protokoll order with just what lists and panels show."""
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
