"""Small builders for test data. Plain functions: easy to read, no factory library needed."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth import get_user_model

from meetings import models as m

_seq = itertools.count(1)


def party(abbreviation: str = "S", name: str | None = None) -> m.Party:
    obj, _ = m.Party.objects.get_or_create(
        abbreviation=abbreviation, defaults={"name": name or f"Parti {abbreviation}"}
    )
    return obj


def organ(short_name: str = "KSAU", **fields) -> m.Organ:
    defaults = {
        "name": "Kommunstyrelsens arbetsutskott" if short_name == "KSAU" else f"Organ {short_name}",
        "diarium_prefix": "KS",
        "storage_location": "Kommunledningsförvaltningen",
        "justerare_count": 2,
    }
    defaults.update(fields)
    obj, _ = m.Organ.objects.get_or_create(short_name=short_name, defaults=defaults)
    return obj


def user(username: str, password: str = "pw-for-tests", **fields):
    User = get_user_model()
    u = User.objects.create_user(username=username, password=password, **fields)
    return u


def person(name: str | None = None, user=None, **fields) -> m.Person:
    return m.Person.objects.create(name=name or f"Person {next(_seq)}", user=user, **fields)


def member(organ_: m.Organ, name: str, party_abbr: str = "S", role: str = m.MembershipRole.LEDAMOT, **fields):
    p = person(name, **fields)
    m.Membership.objects.create(
        person=p, organ=organ_, role=role, party=party(party_abbr), start=datetime.date(2020, 1, 1)
    )
    return p


def meeting(organ_: m.Organ | None = None, date: datetime.date = datetime.date(2026, 3, 10), **fields) -> m.Meeting:
    defaults = {"start_time": datetime.time(9, 0), "end_time": datetime.time(11, 0), "place": "Sessionssalen"}
    defaults.update(fields)
    return m.Meeting.objects.create(organ=organ_ or organ(), date=date, **defaults)


def attend(meeting_: m.Meeting, person_: m.Person, kind: str = m.AttendanceKind.BESLUTANDE, paragraphs=(), **fields):
    a = m.Attendance.objects.create(meeting=meeting_, person=person_, kind=kind, **fields)
    if paragraphs:
        a.paragraphs.set(paragraphs)
    return a


def paragraph(meeting_: m.Meeting, title: str = "Ärende", **fields) -> m.Paragraph:
    return m.Paragraph.create_next(meeting_, title=title, **fields)


def paper(organ_: m.Organ, name: str = "Ärende", reference: str = "", **fields) -> m.Paper:
    if not reference:
        reference = f"KS 2026/{next(_seq)}"
    return m.Paper.objects.create(organ=organ_, name=name, reference=reference, **fields)
