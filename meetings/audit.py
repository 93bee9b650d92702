"""The audit log of one meeting, assembled from django-simple-history's snapshots.

Every model of meeting data (``models.MEETING_DATA_MODELS``) stores a snapshot on each create,
change and delete, with the user of the request (HistoryRequestMiddleware) and the time. Here those
snapshots are gathered for one meeting, including rows that have since been deleted, and each change
is described by the fields that differ from the previous snapshot of the same row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, Model

from . import models as m
from .export.diff import word_pieces

ACTIONS = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}


@dataclass
class FieldChange:
    """One field's change: ``field`` is the model field's name, ``label`` its Swedish name, ``before``
    and ``after`` the values as the user reads them (choices by their label, people by name, §§ by
    number), in full, and ``pieces`` the word-level difference of longer texts."""

    field: str
    old: object
    new: object
    label: str = ""
    before: str = ""
    after: str = ""
    pieces: list[tuple[str, str]] = dataclass_field(default_factory=list)


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
    model_class: type[Model] | None = None


def _history_rows(meeting_id: int) -> list[Model]:
    """All snapshots of one meeting's data, deleted rows included, in a fixed number of queries."""
    paragraph_ids = set(m.Paragraph.history.filter(meeting_id=meeting_id).values_list("id", flat=True))
    vote_ids = set(m.Vote.history.filter(paragraph_id__in=paragraph_ids).values_list("id", flat=True))
    querysets = [
        m.Meeting.history.filter(id=meeting_id),
        m.Attendance.history.filter(meeting_id=meeting_id),
        m.Adjournment.history.filter(meeting_id=meeting_id),
        m.Paragraph.history.filter(meeting_id=meeting_id),
        m.VoteCast.history.filter(vote_id__in=vote_ids),
    ]
    for model in (m.DecisionClause, m.Motion, m.Proposition, m.Vote, m.Reservation, m.ProtocolNote, m.Recusal, m.File):
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


def _related_ids(model: type[Model], change, wanted: dict[type[Model], set]) -> None:
    """Collect the ids a change names (a foreign key's, or an M2M list's other side) to name them later."""
    try:
        field_obj = model._meta.get_field(change.field)
    except FieldDoesNotExist:
        return
    if field_obj.many_to_many:
        target = field_obj.related_model
        key = target._meta.model_name
        for value in (change.old or []) + (change.new or []):
            wanted.setdefault(target, set()).add(value.get(key))
    elif field_obj.is_relation:
        wanted.setdefault(field_obj.related_model, set()).update(v for v in (change.old, change.new) if v is not None)


def _names(wanted: dict[type[Model], set], numbers: dict[int, int]) -> dict[tuple[type[Model], object], str]:
    """A readable name per (model, id): a person's name, a § by its number, an organ's name; one query per model."""
    names: dict[tuple[type[Model], object], str] = {}
    for model, ids in wanted.items():
        ids = {i for i in ids if i is not None}
        if model is m.Paragraph:
            names.update({(model, pk): f"§ {numbers[pk]}" for pk in ids if pk in numbers})
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = str(obj)
    return names


def _display(model: type[Model], change, value, names) -> str:
    """``value`` of the changed field as the user reads it."""
    try:
        field_obj = model._meta.get_field(change.field)
    except FieldDoesNotExist:
        return "–" if value in (None, "") else str(value)
    if field_obj.many_to_many:
        target = field_obj.related_model
        key = target._meta.model_name
        shown = sorted(names.get((target, row.get(key)), f"#{row.get(key)}") for row in value or [])
        return ", ".join(shown) or "–"
    if value is None or value == "":
        return "–"
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(field_obj, BooleanField):
        return "Ja" if value else "Nej"
    if field_obj.is_relation:
        return names.get((field_obj.related_model, value), f"#{value}")
    if isinstance(value, datetime.time):
        return value.strftime("%H.%M")
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def _readable(model: type[Model], change, names) -> FieldChange:
    try:
        label = str(model._meta.get_field(change.field).verbose_name)
    except FieldDoesNotExist:
        label = change.field
    before, after = _display(model, change, change.old, names), _display(model, change, change.new, names)
    # Long texts are compared word by word; short values read best as before → after.
    pieces = word_pieces(before, after) if max(len(before), len(after)) > LONG_TEXT else []
    return FieldChange(change.field, change.old, change.new, label[:1].upper() + label[1:], before, after, pieces)


# A text longer than this is shown as its word-level difference.
LONG_TEXT = 80


def meeting_history(meeting: m.Meeting) -> list[AuditEntry]:
    """Every create, change and delete of the meeting's data, newest first, described in Swedish."""
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
            changes = list(delta.changes)
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
                model_class=row.instance_type,
            )
        )
    wanted: dict[type[Model], set] = {}
    for entry in entries:
        for change in entry.changes:
            _related_ids(entry.model_class, change, wanted)
    names = _names(wanted, numbers)
    for entry in entries:
        entry.changes = [_readable(entry.model_class, change, names) for change in entry.changes]
    entries.reverse()
    return entries
