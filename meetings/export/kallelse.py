"""The kallelse with its föredragningslista, as a document and as a PDF in the protokoll's family.

``build_kallelse`` loads what the staff page, the members' page and the PDF show in a fixed number
of queries whatever the number of points: time, place, the ordered points with their Dnr,
förslag till beslut and handlingar, and who is called. The PDF shares the protokoll's print CSS,
page header, fonts, PDF/A options and static-only URL fetcher (``meetings.export.render``), so
nothing a user typed can make WeasyPrint fetch anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string

from .. import models as m
from .render import html_to_pdf

KIND = "Kallelse"


@dataclass
class KallelsePoint:
    number: int
    item: m.AgendaItem
    files: list[m.File] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return self.item.reference


@dataclass
class KallelseDocument:
    meeting: m.Meeting
    points: list[KallelsePoint]
    members: list[str]
    deputies: list[str]
    kind: str = KIND

    @property
    def organ(self) -> m.Organ:
        return self.meeting.organ


def agenda_items(meeting: m.Meeting):
    """The meeting's agenda with each ärende and its handlingar, in order (three queries)."""
    return (
        meeting.agenda_items.select_related("paper", "paragraph")
        .prefetch_related(Prefetch("paper__files", queryset=m.File.objects.order_by("position", "id")))
        .order_by("position", "id")
    )


def called(meeting: m.Meeting) -> list[m.Membership]:
    """Who is called: the organ's members and ersättare on the meeting's day, one seat per person,
    in role order (KL 5 kap. 15 §; for nämnder the reglemente and 6 kap. 17 §)."""
    order = list(m.MembershipRole.values)
    seats = sorted(
        m.Membership.objects.filter(organ_id=meeting.organ_id)
        .valid_on(meeting.date)
        .select_related("person__user", "party"),
        key=lambda ms: (order.index(ms.role), ms.person.name),
    )
    first: dict[int, m.Membership] = {}
    for ms in seats:
        first.setdefault(ms.person_id, ms)
    return list(first.values())


def build_kallelse(meeting: m.Meeting) -> KallelseDocument:
    """The kallelse of ``meeting`` (loaded with its organ)."""
    points = [
        KallelsePoint(number, item, list(item.paper.files.all()) if item.paper_id else [])
        for number, item in enumerate(agenda_items(meeting), start=1)
    ]
    members, deputies = [], []
    for ms in called(meeting):
        line = f"{ms.person.name} ({ms.party.abbreviation})" if ms.party_id else ms.person.name
        if ms.role == m.MembershipRole.ERSATTARE:
            deputies.append(line)
        else:
            role = "" if ms.role == m.MembershipRole.LEDAMOT else f", {ms.get_role_display().lower()}"
            members.append(f"{line}{role}")
    return KallelseDocument(meeting=meeting, points=points, members=members, deputies=deputies)


def kallelse_title(meeting: m.Meeting) -> str:
    """ "Kallelse KSAU 2026-05-14"; also the PDF's filename."""
    return f"{KIND} {meeting.organ.short_name} {meeting.date.isoformat()}"


def render_kallelse_html(doc: KallelseDocument) -> str:
    return render_to_string("pdf/kallelse.html", {"doc": doc, "title": kallelse_title(doc.meeting)})


def render_kallelse_pdf(meeting: m.Meeting) -> bytes:
    return html_to_pdf(render_kallelse_html(build_kallelse(meeting)))
