"""The secretary's register: persons, parties, an organ's memberships and settings (number of
justerare, kallelse days, standing agenda items), and the import of members and ersättare from a
list (read and checked by ``meetings.register_import``).

Persons are shared by every organ (one person may sit in several); the views limit who may change
what (``meetings.access``). Every change here is kept by django-simple-history where the model has
it, with the request's user.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .. import models as m
from ..register_import import ImportRow, check_rows, name_key, rows_from_raw
from .base import WorkflowError


def persons_named(name: str, exclude: int | None = None) -> list[m.Person]:
    """Persons in the register with this name (case and spacing aside): what a new person would
    duplicate."""
    key = name_key(name)
    same = [pk for pk, other in m.Person.objects.values_list("pk", "name") if name_key(other) == key and pk != exclude]
    return list(m.Person.objects.select_related("party").filter(pk__in=same)) if same else []


def save_person(person: m.Person, fields: list[str] | None = None) -> m.Person:
    """Create ``person`` or save its ``fields`` (already assigned by a form)."""
    person.save(update_fields=fields if person.pk and fields else None)
    return person


def save_membership(membership: m.Membership) -> m.Membership:
    """Create or change a seat (fields assigned by a form); a new seat's party defaults to the person's."""
    if membership.party_id is None and membership.pk is None:
        membership.party_id = membership.person.party_id
    membership.save()
    return membership


def delete_membership(membership: m.Membership, today: datetime.date | None = None) -> None:
    """Remove a seat entered by mistake. A seat that was valid at a meeting of the organ already
    held, or at which the person is recorded, is refused: who sat when decides who was called and
    who may read that meeting (``access.visible_meetings``), so such a seat gets an end date instead."""
    today = today or timezone.localdate()
    with transaction.atomic():
        m.Organ.objects.select_for_update().filter(pk=membership.organ_id).first()
        meetings = m.Meeting.objects.filter(organ_id=membership.organ_id, date__gte=membership.start)
        if membership.end is not None:
            meetings = meetings.filter(date__lte=membership.end)
        held = meetings.filter(date__lte=today) | meetings.filter(attendances__person_id=membership.person_id)
        first = held.order_by("date").first()
        if first is not None:
            raise WorkflowError(
                f"Uppdraget gällde vid sammanträdet {first.date:%Y-%m-%d} och kan inte tas bort: registret ska "
                "visa vem som satt när. Ange ett slutdatum i stället."
            )
        membership.delete()


def save_organ_settings(organ: m.Organ, fields: list[str]) -> None:
    organ.save(update_fields=fields)


def save_standing_items(organ: m.Organ, items: list[tuple[str, str]]) -> None:
    """Replace the organ's standing agenda items by ``items`` (name, proposal), in that order."""
    with transaction.atomic():
        m.Organ.objects.select_for_update().filter(pk=organ.pk).first()
        organ.standing_items.all().delete()
        m.StandingItem.objects.bulk_create(
            m.StandingItem(organ=organ, position=position, name=name, proposal=proposal)
            for position, (name, proposal) in enumerate(items, start=1)
        )


def standing_items_of(organ: m.Organ) -> list[m.StandingItem]:
    """The organ's standing items; until its secretary has set them, the common ones
    (``models.DEFAULT_STANDING_ITEMS``), unsaved."""
    items = list(organ.standing_items.all())
    if items:
        return items
    return [
        m.StandingItem(organ=organ, position=position, name=name, proposal=proposal)
        for position, (name, proposal) in enumerate(m.DEFAULT_STANDING_ITEMS, start=1)
    ]


@dataclass
class ImportResult:
    persons_created: int
    memberships_created: int
    already_there: int
    with_errors: int


def import_members(
    organ: m.Organ,
    raw_rows: list[dict[str, object]],
    default_start: datetime.date | None,
    default_end: datetime.date | None,
) -> ImportResult:
    """Store the confirmed rows of an import: a membership for each row without errors that is not
    in the register yet, and a person for each name the register does not know.

    The rows are checked again here, in the transaction, because the register may have changed
    since the preview; rows with errors are left out, as the preview said they would be.
    """
    with transaction.atomic():
        # One import of an organ at a time: a second confirmation of the same preview waits, then
        # finds the memberships there already.
        m.Organ.objects.select_for_update().filter(pk=organ.pk).first()
        rows = check_rows(rows_from_raw(raw_rows), organ, default_start, default_end)
        created: dict[str, m.Person] = {}
        result = ImportResult(0, 0, 0, 0)
        for row in rows:
            if not row.ok:
                result.with_errors += 1
                continue
            if row.exists:
                result.already_there += 1
                continue
            person = _person_for(row, created)
            if person.pk is None:
                person.save()
                result.persons_created += 1
            m.Membership.objects.create(
                person=person,
                organ=organ,
                role=row.role_value,
                party_id=row.party_id,
                start=row.start_date,
                end=row.end_date,
            )
            result.memberships_created += 1
    return result


def _person_for(row: ImportRow, created: dict[str, m.Person]) -> m.Person:
    """The register's person for the row, a person created earlier in this import, or a new one.
    An existing person gets the row's party and e-mail only where the register has none."""
    key = name_key(row.name)
    if row.person_id is not None:
        person = m.Person.objects.get(pk=row.person_id)
        changed = []
        if person.party_id is None and row.party_id is not None:
            person.party_id = row.party_id
            changed.append("party")
        if not person.email and row.email:
            person.email = row.email
            changed.append("email")
        if changed:
            person.save(update_fields=changed)
        return person
    if key not in created:
        created[key] = m.Person(name=row.name, party_id=row.party_id, email=row.email)
    return created[key]
