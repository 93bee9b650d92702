"""The canonical content of a protokoll: deterministic bytes that change exactly when its text does.

Two users of these bytes: the PDF store keys a justerat protokoll's PDFs by their SHA-256
(``meetings.pdf.render_pdf_cached``), and the justering work hashes them to fix what was signed.
So they hold what the protokoll shows (meeting fields, attendance, every § and its sections, in
protokoll order) and nothing that changes without the text changing (status, version numbers,
timestamps, database ids). People are named as the protokoll names them.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from . import models as m

FORMAT = "protokoll-canonical/1"


def _name(person: m.Person | None) -> str | None:
    return person.name if person is not None else None


def _party(party: m.Party | None) -> str | None:
    return party.abbreviation if party is not None else None


def _paragraph(p: m.Paragraph) -> dict[str, Any]:
    return {
        "number": p.number,
        "title": p.title,
        "dnr": p.dnr,
        "secret": p.secret,
        "immediate_justering": p.immediate_justering,
        "summary": p.summary,
        "basis": p.basis,
        "proposal": p.proposal,
        "decision_intro": p.decision_intro,
        "clauses": [c.text for c in p.clauses.all()],
        "decision_text": p.decision_text,
        "motions": [{"person": _name(x.person), "kind": x.kind, "text": x.text} for x in p.motions.all()],
        "proposition_order": p.proposition_order,
        "votes": [
            {
                "ja_means": v.ja_means,
                "nej_means": v.nej_means,
                "casts": [
                    {"person": _name(c.person), "party": _party(c.party), "choice": c.choice} for c in v.casts.all()
                ],
            }
            for v in p.votes.all()
        ],
        "reservations": [
            # A reservation's members are a set; sort them so that the order of the M2M rows is irrelevant.
            {"persons": sorted(person.name for person in r.persons.all()), "motivation": r.motivation}
            for r in p.reservations.all()
        ],
        "notes": [{"kind": n.kind, "person": _name(n.person), "text": n.text} for n in p.notes.all()],
        "recusals": [{"person": _name(r.person), "substitute": _name(r.substitute)} for r in p.recusals.all()],
        "recipients": p.recipient_list,
    }


def canonical_data(meeting: m.Meeting) -> dict[str, Any]:
    """The content as plain data, loaded in a fixed number of queries."""
    organ = meeting.organ
    attendances = (
        m.Attendance.objects.filter(meeting=meeting)
        .select_related("person", "party", "replaces")
        .prefetch_related("paragraphs")
        .order_by("position", "id")
    )
    paragraphs = m.Paragraph.objects.filter(meeting=meeting).for_protokoll().order_by("position", "number")
    return {
        "format": FORMAT,
        "organ": {"name": organ.name, "short_name": organ.short_name, "storage_location": organ.storage_location},
        "meeting": {
            "date": meeting.date,
            "start_time": meeting.start_time,
            "end_time": meeting.end_time,
            "place": meeting.place,
            "diarienummer": meeting.diarienummer,
            "secretary": _name(meeting.secretary),
            "chair": _name(meeting.chair),
            "justerare": [person.name for person in meeting.justerare],
            "justering_place": meeting.justering_place,
            "justering_date": meeting.justering_date,
            "justering_time": meeting.justering_time,
        },
        "attendance": [
            {
                "person": a.person.name,
                "kind": a.kind,
                "party": _party(a.party),
                "role": a.role,
                "title": a.title,
                "organisation": a.organisation,
                "replaces": _name(a.replaces),
                "absent": a.absent,
                "paragraphs": sorted(p.number for p in a.paragraphs.all()),
            }
            for a in attendances
        ],
        "paragraphs": [_paragraph(p) for p in paragraphs],
    }


def canonical_content(meeting: m.Meeting) -> bytes:
    """Deterministic UTF-8 JSON of ``canonical_data``: sorted keys, no insignificant whitespace."""
    return encode(canonical_data(meeting))


def encode(data: dict[str, Any]) -> bytes:
    """The canonical encoding of (possibly a subset of, for omedelbar justering) ``canonical_data``."""
    return json.dumps(
        data,
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")
