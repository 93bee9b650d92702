"""What changed in a protokoll between two versions of its signed content, in words a signer reads.

A signer whose signature was voided (the protokoll changed after they signed, or it was sent back
and corrected) is shown the change since their signature: the canonical content they signed
(``SignedContent``) against the content now, both turned into labelled lines ("§ 312, Beslut", "§
312, Omröstning 1") and compared line by line, each changed line word by word.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .. import models as m
from .canonical import signed_content

KIND_LABELS = {str(k): str(label) for k, label in m.AttendanceKind.choices}
MOTION_LABELS = {str(k): str(label) for k, label in m.MotionKind.choices}
CHOICE_LABELS = {str(k): str(label) for k, label in m.VoteChoice.choices}
PROPOSITION_LABELS = {str(k): str(label) for k, label in m.PropositionKind.choices}
ROUTE_LABELS = {str(k): str(label) for k, label in m.AppealRoute.choices}
REASON_LABELS = {str(k): str(label) for k, label in m.NotAppealableReason.choices}


@dataclass
class Change:
    """One labelled part of the protokoll that differs: its text before and after, and the words
    as (operation, text) pieces, operation being "equal", "delete" or "insert"."""

    label: str
    before: str
    after: str
    pieces: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if not self.before:
            return "Tillagt"
        if not self.after:
            return "Borttaget"
        return "Ändrat"


def _person(name: str | None, party: str | None) -> str:
    return f"{name} ({party})" if party else (name or "")


def _front(data: dict[str, Any]) -> dict[str, str]:
    meeting = data.get("meeting", {})
    lines = {
        "Sammanträdet": "\n".join(
            f"{label}: {value}"
            for label, value in (
                ("Datum", meeting.get("date")),
                ("Tid", f"{meeting.get('start_time') or ''}–{meeting.get('end_time') or ''}"),
                ("Plats", meeting.get("place")),
                ("Diarienummer", meeting.get("diarienummer")),
                ("Ordförande", meeting.get("chair")),
                ("Justerare", ", ".join(meeting.get("justerare", []))),
            )
            if value
        )
    }
    numbers = [str(p["number"]) for p in data.get("paragraphs", [])]
    if numbers:
        lines["Paragrafernas ordning"] = ", ".join(numbers)
    for a in data.get("attendance", []):
        facts = [KIND_LABELS.get(a["kind"], a["kind"])]
        facts += ["frånvarande"] if a.get("absent") else []
        facts += [a[key] for key in ("role", "title", "organisation") if a.get(key)]
        facts += [f"ersätter {a['replaces']}"] if a.get("replaces") else []
        facts += [f"§§ {', '.join(str(n) for n in a['paragraphs'])}"] if a.get("paragraphs") else []
        facts += [f"från § {a['from']}"] if a.get("from") else []
        facts += [f"till och med § {a['to']}"] if a.get("to") else []
        lines[f"Närvaro: {_person(a['person'], a.get('party'))}"] = ", ".join(facts)
    return lines


def _paragraph(p: dict[str, Any]) -> dict[str, str]:
    """The labelled texts of one § (keys as in meetings.export.canonical)."""
    where = f"§ {p['number']}"
    decision = [p.get("decision_intro", ""), *p.get("clauses", []), p.get("decision_text", "")]
    lines = {
        f"{where}, Rubrik": p.get("title", ""),
        f"{where}, Sekretess": "Omfattas av sekretess" if p.get("secret") else "",
        f"{where}, Dnr": p.get("dnr", ""),
        f"{where}, Sammanfattning": p.get("summary", ""),
        f"{where}, Beslutsunderlag": p.get("basis", ""),
        f"{where}, Förslag till beslut": p.get("proposal", ""),
        f"{where}, Beslut": "\n".join(decision).strip(),
        f"{where}, Propositionsordning": p.get("proposition_order", ""),
        f"{where}, Beslutet skickas till": "\n".join(p.get("recipients", [])),
    }
    for i, x in enumerate(p.get("motions", []), start=1):
        lines[f"{where}, Yrkande {i}"] = f"{x['person']} yrkar {MOTION_LABELS.get(x['kind'], x['kind'])}: {x['text']}"
    for i, x in enumerate(p.get("propositions", []), start=1):
        finds = "Ja" if x.get("chair_finds") == "ja" else "Nej"
        lines[f"{where}, Proposition {i}"] = (
            f"{PROPOSITION_LABELS.get(x['kind'], x['kind'])}: Ja {x['ja']}, Nej {x['nej']}; ordföranden finner {finds}"
            + ("; val" if x.get("election") else "")
        )
    for i, v in enumerate(p.get("votes", []), start=1):
        casts = "; ".join(
            f"{_person(c['person'], c.get('party'))}: {CHOICE_LABELS.get(c['choice'], c['choice'])}" for c in v["casts"]
        )
        lines[f"{where}, Omröstning {i}"] = f"Ja-röst för {v['ja_means']}, Nej-röst för {v['nej_means']}.\n{casts}"
    for i, r in enumerate(p.get("reservations", []), start=1):
        lines[f"{where}, Reservation {i}"] = f"{', '.join(r['persons'])}: {r['motivation']}"
    for i, n in enumerate(p.get("notes", []), start=1):
        lines[f"{where}, Anteckning {i}"] = f"{n.get('person') or ''}: {n['text']}"
    for i, r in enumerate(p.get("recusals", []), start=1):
        substitute = f", ersatt av {r['substitute']}" if r.get("substitute") else ""
        lines[f"{where}, Jäv {i}"] = f"{r['person']}{substitute}"
    appeal = p.get("appeal")
    if appeal:
        parts = [ROUTE_LABELS.get(appeal["route"], appeal["route"]), appeal.get("body", ""), appeal.get("law", "")]
        parts.append(REASON_LABELS.get(appeal.get("reason", ""), ""))
        lines[f"{where}, Överklagande"] = ", ".join(part for part in parts if part)
    return lines


def readable(data: dict[str, Any]) -> dict[str, str]:
    """The content as labelled texts in protokoll order; empty texts left out."""
    lines = _front(data)
    for p in data.get("paragraphs", []):
        lines.update(_paragraph(p))
    return {label: text for label, text in lines.items() if text}


_WORDS = re.compile(r"\s+|[^\s]+")


def word_pieces(before: str, after: str) -> list[tuple[str, str]]:
    """Word-level differences as (operation, text) pieces."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("delete", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", "".join(new[j1:j2])))
    return pieces


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every labelled part that differs between two versions, in the order of the newer one
    (removed parts where they stood in the older)."""
    before, after = readable(old), readable(new)
    order = list(after)
    for position, label in enumerate(before):
        if label not in after:
            order.insert(min(position, len(order)), label)
    result = []
    for label in order:
        a, b = before.get(label, ""), after.get(label, "")
        if a != b:
            result.append(Change(label, a, b, word_pieces(a, b)))
    return result


def changes_since(signed: m.SignedContent, meeting: m.Meeting, paragraphs: list[m.Paragraph] | None) -> list[Change]:
    """What changed between the content a signer signed and the protokoll's content now."""
    return changes(json.loads(signed.content), json.loads(signed_content(meeting, paragraphs)))
