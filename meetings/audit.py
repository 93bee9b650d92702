"""The audit log of one meeting, assembled from django-simple-history's snapshots.

Every model of meeting data (``models.MEETING_DATA_MODELS``) stores a snapshot on each create,
change and delete, with the user of the request (HistoryRequestMiddleware) and the time. Here those
snapshots are gathered for one meeting, including rows that have since been deleted, and each change
is described by the fields that differ from the previous snapshot of the same row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Model

from . import models as m

ACTIONS = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}


@dataclass
class FieldChange:
    field: str
    old: object
    new: object


@dataclass
class AuditEntry:
    when: datetime.datetime
    user: object
    action: str
    model: str
    object_id: int
    object_repr: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _history_rows(meeting_id: int) -> list[Model]:
    """All snapshots of one meeting's data, deleted rows included, in a fixed number of queries."""
    paragraph_ids = set(m.Paragraph.history.filter(meeting_id=meeting_id).values_list("id", flat=True))
    vote_ids = set(m.Vote.history.filter(paragraph_id__in=paragraph_ids).values_list("id", flat=True))
    querysets = [
        m.Meeting.history.filter(id=meeting_id),
        m.Attendance.history.filter(meeting_id=meeting_id),
        m.Paragraph.history.filter(meeting_id=meeting_id),
        m.VoteCast.history.filter(vote_id__in=vote_ids),
    ]
    for model in (m.DecisionClause, m.Motion, m.Vote, m.Reservation, m.ProtocolNote, m.Recusal, m.File):
        querysets.append(model.history.filter(paragraph_id__in=paragraph_ids))
    # The föredragningslista is not protokoll content, but what was on it and when is worth knowing.
    querysets.append(m.AgendaItem.history.filter(meeting_id=meeting_id))
    rows: list[Model] = []
    for qs in querysets:
        rows.extend(qs.select_related("history_user__person").order_by("history_date", "history_id"))
    return rows


def _describe(row: Model, numbers: dict[int, int]) -> str:
    """What the row is, from the snapshot itself (no query per row): "§ 12 Budget", "att-sats i § 12"."""
    model = row.instance_type
    if model is m.Meeting:
        return "Sammanträdet"
    if model is m.Paragraph:
        return f"§ {row.number} {row.title}"
    if model is m.AgendaItem:
        return f"Punkt på föredragningslistan: {row.name}"
    where = numbers.get(getattr(row, "paragraph_id", None))
    if model is m.File:
        return f"Bilaga i § {where}: {row.name}" if where else f"Bilaga: {row.name}"
    label = str(model._meta.verbose_name)
    if model in (m.DecisionClause, m.Motion, m.ProtocolNote):
        text = (row.text or "")[:60]
        return f"{label} i § {where}: {text}" if where else f"{label}: {text}"
    return f"{label} i § {where}" if where else label


def meeting_history(meeting: m.Meeting) -> list[AuditEntry]:
    """Every create, change and delete of the meeting's data, newest first."""
    rows = _history_rows(meeting.pk)
    numbers = {row.id: row.number for row in rows if row.instance_type is m.Paragraph}
    previous: dict[tuple[str, int], Model] = {}
    entries: list[AuditEntry] = []
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        model_name = row.instance_type._meta.verbose_name
        key = (row.instance_type.__name__, row.id)
        changes: list[FieldChange] = []
        prev = previous.get(key)
        if row.history_type == "~" and prev is not None:
            delta = row.diff_against(prev, excluded_fields=["version", "updated_at"])
            changes = [FieldChange(c.field, c.old, c.new) for c in delta.changes]
        previous[key] = row
        entries.append(
            AuditEntry(
                when=row.history_date,
                user=row.history_user,
                action=ACTIONS[row.history_type],
                model=str(model_name),
                object_id=row.id,
                object_repr=_describe(row, numbers),
                reason=row.history_change_reason or "",
                changes=changes,
            )
        )
    entries.reverse()
    return entries
