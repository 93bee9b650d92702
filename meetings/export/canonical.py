"""The canonical content of a protokoll: deterministic bytes that change exactly when its text does.

Two users of these bytes: the PDF store keys a justerat protokoll's PDFs by their SHA-256
(``meetings.export.store.render_pdf_cached``), and the justering work hashes them to fix what was
signed (``content_hash``).
So they hold what the protokoll shows (meeting fields, attendance, every § and its sections, in
protokoll order) and nothing that changes without the text changing (status, version numbers,
timestamps, database ids). People are named as the protokoll names them.

Keys added after the first format (bilagor, propositions, appeal routes, arrival and departure, ajournering)
are written only when they hold something other than their default (``_set``), so a protokoll
without them has the same bytes, and the same hash, as before they existed: signatures and stored
PDFs of older protokoll still match their content.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F

from .. import models as m

FORMAT = "protokoll-canonical/1"

# The meeting's identity (models.IDENTITY_FIELDS) as canonical_data names it: the organ is the
# protokoll's own and both justerare are one list. What an omedelbar justering's signatures cover.
IDENTITY_KEYS = ("date", "start_time", "end_time", "place", "diarienummer", "chair", "justerare")
# A §'s appeal route and what goes with it (meetings.appeal), printed with every §.
APPEAL_FIELDS = ("appeal_route", "appeal_body", "appeal_law", "not_appealable_reason")


def _grouped(rows: Iterable[dict[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    """Rows of a values() query by their parent's id, in query order, without the parent key."""
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row.pop(key)].append(row)
    return groups


def _rows(model: type[models.Model], order: tuple[str, ...], parent: str, **fields: Any) -> dict[int, list]:
    """The rows of ``model`` in one meeting's paragraphs, grouped by ``parent``, as plain dicts."""
    lookup = "paragraph__meeting" if parent == "paragraph_id" else "vote__paragraph__meeting"
    queryset = model.objects.filter(**{lookup: fields.pop("meeting")}).order_by(*order)
    return _grouped(queryset.values(parent, **fields), parent)


def _set(data: dict[str, Any], key: str, value: Any, default: Any = None) -> dict[str, Any]:
    """Add ``key`` only when ``value`` differs from its default (see the module docstring)."""
    if value != default and value not in ((), [], ""):
        data[key] = value
    return data


def _vote(v: dict[str, Any], casts: list[dict[str, Any]], proposition_index: dict[int, int]) -> dict[str, Any]:
    data = {
        "ja_means": v["ja"],
        "nej_means": v["nej"],
        "casts": [{"person": c["who"], "party": c["party_abbreviation"], "choice": c["c"]} for c in casts],
    }
    # Which of the §'s propositions (by its place in the list) the vote was held on.
    return _set(data, "proposition", proposition_index.get(v["on"]))


def canonical_data(meeting: m.Meeting) -> dict[str, Any]:
    """The content as plain data.

    Read with one ``values()`` query per kind of row instead of model instances: a 100-§ protokoll
    has thousands of rows (roll calls), and this runs on every request for a stored PDF.
    """
    organ = meeting.organ
    numbers_of: dict[int, list[int]] = defaultdict(list)
    through = m.Attendance.paragraphs.through.objects.filter(attendance__meeting=meeting)
    for attendance_id, number in through.values_list("attendance_id", "paragraph__number"):
        numbers_of[attendance_id].append(number)
    attendances = (
        m.Attendance.objects.filter(meeting=meeting)
        .order_by("position", "id")
        .values(
            "id",
            "kind",
            "role",
            "title",
            "organisation",
            "absent",
            "pending_numbers",
            "from_number",
            "to_number",
            "arrived_at",
            "left_at",
            person_name=F("person__name"),
            party_abbreviation=F("party__abbreviation"),
            replaces_name=F("replaces__name"),
        )
    )
    order = ("position", "id")
    clauses = _rows(m.DecisionClause, order, "paragraph_id", meeting=meeting, t=F("text"))
    motions = _rows(m.Motion, order, "paragraph_id", meeting=meeting, who=F("person__name"), k=F("kind"), t=F("text"))
    votes = _rows(
        m.Vote,
        order,
        "paragraph_id",
        meeting=meeting,
        vote_id=F("id"),
        ja=F("ja_means"),
        nej=F("nej_means"),
        on=F("proposition"),
    )
    propositions = _rows(
        m.Proposition,
        order,
        "paragraph_id",
        meeting=meeting,
        pid=F("id"),
        k=F("kind"),
        ja=F("ja_label"),
        nej=F("nej_label"),
        finds=F("chair_finds"),
        is_election=F("election"),
        lot=F("lot_winner"),
    )
    proposition_index = {row["pid"]: index for rows in propositions.values() for index, row in enumerate(rows)}
    casts = _rows(
        m.VoteCast,
        order,
        "vote_id",
        meeting=meeting,
        who=F("person__name"),
        party_abbreviation=F("party__abbreviation"),
        c=F("choice"),
    )
    reservations = _rows(
        m.Reservation, order, "paragraph_id", meeting=meeting, reservation_id=F("id"), motivation_text=F("motivation")
    )
    reserving: dict[int, list[str]] = defaultdict(list)
    through = m.Reservation.persons.through.objects.filter(reservation__paragraph__meeting=meeting)
    for reservation_id, name in through.values_list("reservation_id", "person__name"):
        reserving[reservation_id].append(name)
    notes = _rows(
        m.ProtocolNote, order, "paragraph_id", meeting=meeting, k=F("kind"), who=F("person__name"), t=F("text")
    )
    recusals = _rows(
        m.Recusal, ("id",), "paragraph_id", meeting=meeting, who=F("person__name"), sub=F("substitute__name")
    )
    attachments = _rows(m.File, order, "paragraph_id", meeting=meeting, n=F("name"), sha=F("sha256"))
    paragraphs = (
        m.Paragraph.objects.filter(meeting=meeting)
        .order_by("position", "number")
        .values("id", "number", "secret", "immediate_justering", *m.PARAGRAPH_TEXT_FIELDS, *APPEAL_FIELDS)
    )
    return {
        "format": FORMAT,
        "organ": {"name": organ.name, "short_name": organ.short_name, "storage_location": organ.storage_location},
        "meeting": {
            "date": meeting.date,
            "start_time": meeting.start_time,
            "end_time": meeting.end_time,
            "place": meeting.place,
            "diarienummer": meeting.diarienummer,
            "secretary": meeting.secretary.name if meeting.secretary else None,
            "chair": meeting.chair.name if meeting.chair else None,
            "justerare": [person.name for person in meeting.justerare],
            "justering_place": meeting.justering_place,
            "justering_date": meeting.justering_date,
            "justering_time": meeting.justering_time,
            **_set(
                {},
                "adjournments",
                [
                    {"starts": x.starts, "ends": x.ends, "after": x.after_number}
                    for x in m.Adjournment.objects.filter(meeting=meeting).order_by("starts", "id")
                ],
            ),
        },
        "attendance": [
            {
                "person": a["person_name"],
                "kind": a["kind"],
                "party": a["party_abbreviation"],
                "role": a["role"],
                "title": a["title"],
                "organisation": a["organisation"],
                "replaces": a["replaces_name"],
                "absent": a["absent"],
                "paragraphs": sorted(numbers_of[a["id"]] + [int(n) for n in a["pending_numbers"].split()]),
                **_attendance_additions(a),
            }
            for a in attendances
        ],
        "paragraphs": [
            {
                "number": p["number"],
                "title": p["title"],
                "dnr": p["dnr"],
                "secret": p["secret"],
                "immediate_justering": p["immediate_justering"],
                "summary": p["summary"],
                "basis": p["basis"],
                "proposal": p["proposal"],
                "decision_intro": p["decision_intro"],
                "clauses": [c["t"] for c in clauses[p["id"]]],
                "decision_text": p["decision_text"],
                "motions": [{"person": x["who"], "kind": x["k"], "text": x["t"]} for x in motions[p["id"]]],
                "proposition_order": p["proposition_order"],
                "votes": [_vote(v, casts[v["vote_id"]], proposition_index) for v in votes[p["id"]]],
                "reservations": [
                    # A reservation's members are a set; sorted, the order of the M2M rows is irrelevant.
                    {"persons": sorted(reserving[r["reservation_id"]]), "motivation": r["motivation_text"]}
                    for r in reservations[p["id"]]
                ],
                "notes": [{"kind": n["k"], "person": n["who"], "text": n["t"]} for n in notes[p["id"]]],
                "recusals": [{"person": r["who"], "substitute": r["sub"]} for r in recusals[p["id"]]],
                "recipients": [line.strip() for line in p["recipients"].splitlines() if line.strip()],
                **_paragraph_additions(p, propositions[p["id"]], attachments[p["id"]]),
            }
            for p in paragraphs
        ],
    }


def _attendance_additions(a: dict[str, Any]) -> dict[str, Any]:
    """Arrival and departure, each only when set (see the module docstring)."""
    data: dict[str, Any] = {}
    for key, name in (("from", "from_number"), ("to", "to_number"), ("arrived", "arrived_at"), ("left", "left_at")):
        _set(data, key, a[name])
    return data


def _paragraph_additions(
    p: dict[str, Any], propositions: list[dict[str, Any]], attachments: list[dict[str, Any]]
) -> dict[str, Any]:
    """A §'s keys that came after the first format, each only when set (see the module docstring)."""
    data: dict[str, Any] = {}
    # Bilagor: their titles and the SHA-256 of their bytes are signed with their §.
    _set(data, "attachments", [{"name": a["n"], "sha256": a["sha"]} for a in attachments])
    _set(
        data,
        "propositions",
        [
            {
                "kind": x["k"],
                "ja": x["ja"],
                "nej": x["nej"],
                "chair_finds": x["finds"],
                "election": x["is_election"],
                "lot_winner": x["lot"],
            }
            for x in propositions
        ],
    )
    if p["appeal_route"] != m.AppealRoute.LAGLIGHETSPROVNING:
        data["appeal"] = {
            "route": p["appeal_route"],
            "body": p["appeal_body"],
            "law": p["appeal_law"],
            "reason": p["not_appealable_reason"],
        }
    return data


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


def signed_content(meeting: m.Meeting, paragraphs: list[m.Paragraph] | None = None) -> bytes:
    """What a signature covers: the canonical content, or for an omedelbar justering its §§ (with
    their votes, reservations and jäv) and the meeting's identity."""
    if paragraphs is None:
        return canonical_content(meeting)
    numbers = {p.number for p in paragraphs}
    data = canonical_data(meeting)
    data["paragraphs"] = [p for p in data["paragraphs"] if p["number"] in numbers]
    data["meeting"] = {key: data["meeting"][key] for key in IDENTITY_KEYS}
    del data["attendance"]
    return encode(data)


def content_hash(meeting: m.Meeting, paragraphs: list[m.Paragraph] | None = None) -> str:
    """SHA-256 of ``signed_content``: what a signature covers."""
    return hashlib.sha256(signed_content(meeting, paragraphs)).hexdigest()


def keep(content: bytes) -> str:
    """Store ``content`` (once) as a ``SignedContent`` and return its SHA-256."""
    digest = hashlib.sha256(content).hexdigest()
    if not m.SignedContent.objects.filter(sha256=digest).exists():
        m.SignedContent.objects.get_or_create(sha256=digest, defaults={"content": content.decode("utf-8")})
    return digest
