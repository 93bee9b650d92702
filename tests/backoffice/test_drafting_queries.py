"""The meeting page, the paragraph list, the paragraph editor and the preview do a fixed number
of queries whatever the number of paragraphs (measured with 5 and 50)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import models as m
from tests import factories as f


def _fill(meeting, bob, count):
    chair = f.attend(meeting, bob.person, role="Ordförande", party=f.party("M"))
    mia = f.member(meeting.organ, "Mia Ledamot", "S")
    erik = f.member(meeting.organ, "Erik Ersättare", "S", m.MembershipRole.ERSATTARE)
    f.attend(meeting, mia, party=f.party("S"), absent=True)
    paragraphs = []
    for i in range(count):
        p = f.paragraph(meeting, title=f"Ärende {i}", proposal="att bifalla", recipients="KLF")
        m.DecisionClause.objects.create(paragraph=p, text=f"att besluta {i}")
        m.Motion.objects.create(paragraph=p, person=bob.person, kind=m.MotionKind.BIFALL)
        vote = m.Vote.objects.create(paragraph=p, ja_means="bifall", nej_means="avslag")
        m.VoteCast.objects.create(vote=vote, person=bob.person, party=chair.party, choice=m.VoteChoice.JA)
        proposition = m.Proposition.objects.create(paragraph=p, ja_label="förslaget", nej_label="avslag")
        on_it = m.Vote.objects.create(paragraph=p, proposition=proposition, ja_means="förslaget", nej_means="avslag")
        m.VoteCast.objects.create(vote=on_it, person=bob.person, party=chair.party, choice=m.VoteChoice.NEJ)
        m.Reservation.objects.create(paragraph=p).persons.add(bob.person)
        m.ProtocolNote.objects.create(paragraph=p, person=bob.person, text="Anteckning")
        m.Recusal.objects.create(paragraph=p, person=mia, substitute=erik)
        paragraphs.append(p)
    f.attend(meeting, erik, kind=m.AttendanceKind.TJANSTGORANDE_ERSATTARE, replaces=mia, paragraphs=paragraphs[:3])
    f.attend(meeting, f.person("Greta Gäst"), kind=m.AttendanceKind.OVRIG, title="Chef", paragraphs=paragraphs[-1:])
    return paragraphs


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


PAGES = {
    "meeting_detail": lambda mt, p: reverse("meeting_detail", args=[mt.pk]),
    "paragraph_list": lambda mt, p: reverse("paragraph_list", args=[mt.pk]),
    "preview": lambda mt, p: reverse("preview", args=[mt.pk]),
    "attendance": lambda mt, p: reverse("attendance", args=[mt.pk]),
    "paragraph_edit": lambda mt, p: reverse("paragraph_edit", args=[mt.pk, p.pk]),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_paragraphs(client, alice, bob, organ, page):
    counts = {}
    for size in (5, 50):
        meeting = f.meeting(organ, diarienummer=f"KS {size}")
        paragraphs = _fill(meeting, bob, size)
        client.force_login(alice)
        counts[size] = _count(client, PAGES[page](meeting, paragraphs[0]))
    print(f"{page}: {counts}")
    assert counts[5] == counts[50], counts


# Each page asks once whether to show the register's menu items and once how many rounds wait for the
# user's signature ("Att justera (2)"); the preview also loads the bilagor, the propositions and the
# ajourneringar.
EXPECTED = {"meeting_detail": 12, "paragraph_list": 11, "preview": 22}


@pytest.mark.parametrize("page", EXPECTED)
def test_query_count_is_pinned(client, alice, bob, meeting, page, django_assert_num_queries):
    paragraphs = _fill(meeting, bob, 5)
    client.force_login(alice)
    url = PAGES[page](meeting, paragraphs[0])
    client.get(url)  # warm the session
    with django_assert_num_queries(EXPECTED[page]):
        assert client.get(url).status_code == 200
