"""Before the meeting: the föredragningslista, sending the kallelse, the notice of a fullmäktige
meeting; after it, the protokoll made from the agenda.

The agenda belongs to the meeting and changes only while the protokoll is a draft: every change
here first takes the meeting's row lock and checks its status (``drafting.lock_editable_meeting``),
as every drafting save does, so that it cannot race a send to justering.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max, Prefetch
from django.http import Http404

from .. import models as m
from .. import publication
from ..export.kallelse import called
from . import notifications
from .base import WorkflowError, swap_with_neighbour
from .drafting import fill_attendance, lock_editable_meeting, save_versioned


def _next_position(meeting: m.Meeting) -> int:
    return (meeting.agenda_items.aggregate(p=Max("position"))["p"] or 0) + 1


def add_paper_item(meeting: m.Meeting, paper: m.Paper) -> m.AgendaItem:
    """Put an ärende on the agenda, last; its rubrik and förslag till beslut are copied."""
    with transaction.atomic():
        lock_editable_meeting(meeting.pk)
        if meeting.agenda_items.filter(paper=paper).exists():
            raise WorkflowError(f"Ärendet {paper} finns redan på föredragningslistan.")
        return m.AgendaItem.objects.create(
            meeting=meeting, position=_next_position(meeting), paper=paper, name=paper.name, proposal=paper.proposal
        )


def add_free_item(meeting: m.Meeting, name: str, proposal: str = "", public: bool = True) -> m.AgendaItem:
    """A point without an ärende, such as "Informationsärenden", last."""
    with transaction.atomic():
        lock_editable_meeting(meeting.pk)
        return m.AgendaItem.objects.create(
            meeting=meeting, position=_next_position(meeting), name=name, proposal=proposal, public=public
        )


def add_standing_items(meeting: m.Meeting, items: list[m.StandingItem]) -> list[m.AgendaItem]:
    """The organ's standing points, first on the agenda and in their order; those already on it
    (by rubrik) are not added twice."""
    with transaction.atomic():
        lock_editable_meeting(meeting.pk)
        current = list(meeting.agenda_items.all())
        names = {item.name for item in current}
        new = [s for s in items if s.name not in names]
        for position, item in enumerate(current, start=len(new) + 1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        return [
            m.AgendaItem.objects.create(meeting=meeting, position=position, name=s.name, proposal=s.proposal)
            for position, s in enumerate(new, start=1)
        ]


def move_item(meeting: m.Meeting, item_pk: int, direction: str) -> m.AgendaItem:
    """Swap the point with its neighbour above ("up") or below ("down")."""
    with transaction.atomic():
        lock_editable_meeting(meeting.pk)
        try:
            items = swap_with_neighbour(list(meeting.agenda_items.order_by("position", "id")), item_pk, direction)
        except LookupError:  # removed by someone else a moment ago
            raise Http404("Punkten finns inte.") from None
        for position, item in enumerate(items, start=1):
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
    return next(item for item in items if item.pk == item_pk)


def delete_item(item: m.AgendaItem) -> None:
    """Take a point off the agenda. A § already made from it stays in the protokoll."""
    with transaction.atomic():
        lock_editable_meeting(item.meeting_id)
        item.delete()


def save_item(item: m.AgendaItem, loaded_version: int | None, fields: list[str]) -> None:
    """Save a point's ``fields`` (assigned by a form) on top of ``loaded_version``; a point made not
    public puts its § under sekretess."""
    with transaction.atomic():
        lock_editable_meeting(item.meeting_id)
        save_versioned(item, loaded_version, fields)
        if not item.public and item.paragraph_id is not None:
            # Closed after its § was made: the § follows (sekretess, OSL 2009:400), never the reverse.
            # A new version, so that a § form open meanwhile cannot save it public again unseen.
            paragraph = m.Paragraph.objects.get(pk=item.paragraph_id)
            if not paragraph.secret:
                paragraph.secret = True
                save_versioned(paragraph, paragraph.version, ["secret"])


# ---------------------------------------------------------------------------------------------------
# Kallelse and notice
# ---------------------------------------------------------------------------------------------------


def send_kallelse(meeting: m.Meeting, user) -> m.Kallelse:
    """Send the kallelse by e-mail to every member and ersättare with an address, and record who it
    went to and who has none. Sending again (a revised agenda) sends it to all once more."""
    with transaction.atomic():
        lock_editable_meeting(meeting.pk)
        if not meeting.agenda_items.exists():
            raise WorkflowError("Föredragningslistan är tom. Lägg till ärenden innan kallelsen skickas.")
        seats = called(meeting)
        if not seats:
            raise WorkflowError(f"{meeting.organ.name} har inga ledamöter eller ersättare i registret den dagen.")
        recipients, missing = [], []
        for ms in seats:
            address = notifications.email_of(ms.person)
            if address:
                recipients.append({"person": ms.person_id, "name": ms.person.name, "email": address, "role": ms.role})
            else:
                missing.append(ms.person.name)
        kallelse = m.Kallelse.objects.create(meeting=meeting, sent_by=user, recipients=recipients, missing=missing)
        transaction.on_commit(lambda: notifications.kallelse(kallelse.pk), robust=True)
    return kallelse


def post_notice(meeting: m.Meeting, user, posted_on: datetime.date, today: datetime.date) -> m.MeetingNotice:
    """Put up the notice of a fullmäktige meeting (KL 5 kap. 13 §) on ``posted_on`` (today or later)."""
    with transaction.atomic():
        lock_editable_meeting(meeting.pk)
        if not meeting.organ.is_fullmaktige:
            raise WorkflowError("Bara fullmäktiges sammanträden tillkännages på anslagstavlan.")
        if m.MeetingNotice.objects.filter(meeting=meeting).exists():
            raise WorkflowError("Sammanträdet är redan tillkännagivet.")
        if not meeting.agenda_items.exists():
            raise WorkflowError("Föredragningslistan är tom. Tillkännagivandet ska ange ärendena.")
        if posted_on < today:
            raise WorkflowError("Tillkännagivandet kan inte sättas upp ett tidigare datum än i dag.")
        if posted_on > meeting.date:
            raise WorkflowError("Tillkännagivandet måste sättas upp före sammanträdet.")
        notice = m.MeetingNotice.objects.create(meeting=meeting, posted_on=posted_on, posted_by=user)
        publication.bump()  # the board lists it
        return notice


# ---------------------------------------------------------------------------------------------------
# The protokoll from the agenda
# ---------------------------------------------------------------------------------------------------


def basis_text(files: list[m.File]) -> str:
    """The Beslutsunderlag of a §: one handling per line."""
    return "\n".join(f.name for f in files)


def create_protokoll_from_agenda(meeting: m.Meeting) -> list[m.Paragraph]:
    """One § per agenda point that has none yet, in agenda order, with rubrik, Dnr, beslutsunderlag
    (the ärende's handlingar), sammanfattning and förslag till beslut filled in, and a point that is
    not public under sekretess; and the attendance
    brought up to date from the register. Pressing it again adds only points added since."""
    with transaction.atomic():
        lock_editable_meeting(meeting.pk)
        items = list(
            meeting.agenda_items.filter(paragraph__isnull=True)
            .select_related("paper")
            .prefetch_related(Prefetch("paper__files", queryset=m.File.objects.order_by("position", "id")))
            .order_by("position", "id")
        )
        fill_attendance(meeting)
        paragraphs = []
        for item in items:
            paper = item.paper
            paragraph = m.Paragraph.create_next(
                meeting,
                title=item.name,
                dnr=paper.reference if paper else "",
                summary=paper.description if paper else "",
                basis=basis_text(list(paper.files.all())) if paper else "",
                proposal=item.proposal,
                # A point kept from the public (sekretess, OSL 2009:400) is a § under sekretess,
                # never published (``meetings.public``); the secretary may lift it on the §.
                secret=not item.public,
            )
            item.paragraph = paragraph
            item.save(update_fields=["paragraph"])
            paragraphs.append(paragraph)
    return paragraphs
