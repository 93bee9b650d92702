"""Every list and object of the API runs a fixed number of queries, however much there is: measured at
two sizes of data, each with §§, votes, bilagor, ärenden and attendance on every meeting."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from meetings import models as m
from tests import factories as f
from tests.helpers import bulk_anslag

_numbers = itertools.count(1)


def _grow(organ: m.Organ, user, count: int, members: list[m.Person]) -> None:
    """``count`` posted protokoll, each with two §§ (one decided on an ärende, with a roll call and a
    public bilaga), and every member present."""
    anslag = bulk_anslag(organ, count, timezone.localdate(), user)
    paragraphs = m.Paragraph.objects.bulk_create(
        m.Paragraph(
            meeting_id=a.meeting_id,
            organ_id=organ.pk,
            year=a.meeting.date.year,
            number=next(_numbers),
            position=k,
            title=f"Ärende {k}",
            decision_intro=organ.decision_intro,
        )
        for a in anslag
        for k in (1, 2)
    )
    decided = paragraphs[::2]
    papers = m.Paper.objects.bulk_create(
        m.Paper(organ=organ, name=f"Ärende {p.number}", reference=f"KS 2026/{p.number}") for p in decided
    )
    m.AgendaItem.objects.bulk_create(
        m.AgendaItem(meeting_id=p.meeting_id, paper=paper, paragraph=p, name=paper.name)
        for p, paper in zip(decided, papers, strict=True)
    )
    m.DecisionClause.objects.bulk_create(m.DecisionClause(paragraph=p, text="att anta förslaget") for p in paragraphs)
    propositions = m.Proposition.objects.bulk_create(
        m.Proposition(paragraph=p, ja_label="förslaget", nej_label="yrkandet") for p in decided
    )
    votes = m.Vote.objects.bulk_create(
        m.Vote(paragraph_id=x.paragraph_id, proposition=x, ja_means="förslaget", nej_means="yrkandet")
        for x in propositions
    )
    m.VoteCast.objects.bulk_create(
        m.VoteCast(vote=vote, person=person, choice=m.VoteChoice.JA) for vote in votes for person in members
    )
    m.Attendance.objects.bulk_create(
        m.Attendance(meeting_id=a.meeting_id, person=person, kind=m.AttendanceKind.BESLUTANDE)
        for a in anslag
        for person in members
    )
    m.File.objects.bulk_create(
        m.File(
            paragraph=p,
            name="Karta",
            file_name="karta.pdf",
            mime_type="application/pdf",
            size=100,
            sha256="0" * 64,
            content="x.pdf",
            public=True,
            personnummer_scan=m.PersonnummerScan.NONE_FOUND,
        )
        for p in decided
    )


# count, the page's ids, its rows, then one query per prefetched relation
EXPECTED = {
    "/api/oparl/1.1/body/1/meeting": 11,
    "/api/oparl/1.1/body/1/meeting?omit_internal=true": 5,
    "/api/oparl/1.1/body/1/agendaitem": 8,
    "/api/oparl/1.1/body/1/paper": 5,
    "/api/oparl/1.1/body/1/file": 2,
    # ids of the published and the withdrawn, the page's rows (the withdrawn rows: none here)
    "/api/oparl/1.1/body/1/file?modified_since=2000-01-01T00:00:00%2B01:00": 3,
    "/api/oparl/1.1/body/1/person": 4,
    "/api/oparl/1.1/body/1/membership": 3,
    "/api/oparl/1.1/body/1/organization": 3,
    "/api/oparl/1.1/body/1/meeting?modified_since=2000-01-01T00:00:00%2B01:00&page=2&limit=5": 11,
}


@pytest.fixture
def members(organ):
    return [f.member(organ, f"Ledamot {i}", "S") for i in range(3)]


@pytest.mark.parametrize("url", list(EXPECTED))
def test_lists_run_the_same_queries_at_two_sizes(client, organ, alice, members, url, django_assert_num_queries):
    _grow(organ, alice, 6, members)
    with django_assert_num_queries(EXPECTED[url]):
        assert client.get(url).status_code == 200
    _grow(organ, alice, 60, members)
    assert m.Paragraph.objects.count() == 132
    with django_assert_num_queries(EXPECTED[url]):
        response = client.get(url)
        assert response.status_code == 200
    if url.endswith(("meeting", "agendaitem", "paper", "file")):
        # a full page at the larger size
        assert len(response.json()["data"]) == (10 if url.endswith("meeting") else 25)


OBJECTS = {"meeting": 9, "agendaitem": 6, "paper": 3, "person": 2, "file": 1}


@pytest.mark.parametrize("kind", list(OBJECTS))
def test_objects_run_a_fixed_number_of_queries(client, organ, alice, members, kind, django_assert_num_queries):
    _grow(organ, alice, 3, members)
    # Alike at both sizes: a § with a roll call and a bilaga, a person with a seat.
    model = {
        "meeting": m.Meeting.objects,
        "agendaitem": m.Paragraph.objects.filter(votes__isnull=False),
        "paper": m.Paper.objects,
        "person": m.Person.objects.filter(memberships__isnull=False),
        "file": m.File.objects,
    }[kind]
    first = model.order_by("pk").first().pk
    with django_assert_num_queries(OBJECTS[kind]):
        assert client.get(f"/api/oparl/1.1/{kind}/{first}").status_code == 200
    _grow(organ, alice, 30, members)
    last = model.order_by("pk").last().pk
    with django_assert_num_queries(OBJECTS[kind]):
        assert client.get(f"/api/oparl/1.1/{kind}/{last}").status_code == 200


def test_a_page_deep_in_a_list_costs_what_the_first_does(client, organ, alice, members, django_assert_num_queries):
    _grow(organ, alice, 60, members)
    with django_assert_num_queries(EXPECTED["/api/oparl/1.1/body/1/agendaitem"]):
        assert client.get("/api/oparl/1.1/body/1/agendaitem", {"page": "5"}).status_code == 200
