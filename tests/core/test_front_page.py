"""The front page's attendance as municipalities print it (KL 5 kap. 66 §: who served): jäv per §
with its substitute, a deputy serving until a member arrived, arrival and departure by § and time,
ajourneringar, and people counted once however many rows they have."""

import datetime as dt
import json

import pytest

from meetings import models as m
from meetings.export.canonical import canonical_content
from meetings.export.document import build_document, load_meeting
from tests import factories as f

K = m.AttendanceKind


@pytest.fixture
def gotland(db):
    """Regionstyrelsen 2007-10-25, §§ 311–313: Gustaf Hoffstedt has jäv at § 313 and Per Eklund
    serves for him; Anna Berg arrives at § 312 and Lars Ek serves for her until then."""
    organ = f.organ("RS", name="Regionstyrelsen")
    meeting = f.meeting(organ, date=dt.date(2007, 10, 25), start_time=dt.time(13, 30), end_time=dt.time(17, 0))
    m.Paragraph.objects.create(meeting=f.meeting(organ, date=dt.date(2007, 1, 1)), number=310, title="Förra")
    s, mod = f.party("S"), f.party("M")
    gustaf = f.attend(meeting, f.person("Gustaf Hoffstedt"), party=mod)
    anna = f.attend(meeting, f.person("Anna Berg"), party=s, from_number=312, arrived_at=dt.time(14, 5))
    chair = f.attend(meeting, f.person("Eva Ordf"), party=s, role="Ordförande", to_number=313, left_at=dt.time(16, 40))
    per = f.attend(meeting, f.person("Per Eklund"), K.ERSATTARE, party=s)
    lars = f.attend(meeting, f.person("Lars Ek"), K.ERSATTARE, party=s)
    p311, p312, p313 = (m.Paragraph.create_next(meeting, title=t) for t in ("Val", "Motion", "Bolag"))
    assert (p311.number, p313.number) == (311, 313)
    f.attend(meeting, lars.person, K.TJANSTGORANDE_ERSATTARE, party=s, replaces=anna.person, paragraphs=[p311])
    m.Recusal.objects.create(paragraph=p313, person=gustaf.person, substitute=per.person)
    m.Adjournment.objects.create(meeting=meeting, starts=dt.time(15, 0), ends=dt.time(15, 20), after_number=312)
    return meeting, {"gustaf": gustaf, "anna": anna, "chair": chair, "per": per, "lars": lars}


def test_the_front_page_lists_service_per_paragraph(gotland):
    meeting, _people = gotland
    doc = build_document(load_meeting(meeting.pk))
    assert doc.beslutande == [
        "Gustaf Hoffstedt (M), ej § 313 (jäv)",
        "Anna Berg (S), från § 312, ankom kl. 14.05",
        "Eva Ordf (S), Ordförande, till och med § 313, lämnade kl. 16.40",
    ]
    assert doc.tjanstgorande == [
        "Lars Ek (S) ersätter Anna Berg (S) § 311",
        "Per Eklund (S) ersätter Gustaf Hoffstedt (M) § 313 (jäv)",
    ]
    assert doc.ersattare == [
        "Per Eklund (S), tjänstgörande ersättare § 313",
        "Lars Ek (S), tjänstgörande ersättare § 311",
    ]
    assert doc.place_and_time == "Sessionssalen kl. 13.30–15.00, 15.20–17.00"
    assert doc.adjournments == ["kl. 15.00–15.20 efter § 312"]


def test_who_decides_at_each_paragraph(gotland):
    meeting, _people = gotland
    meeting = load_meeting(meeting.pk)
    p311, p312, p313 = meeting.paragraphs.order_by("number")

    def names(p):
        return sorted(a.person.name for a in meeting.voters_for(p))

    assert names(p311) == ["Eva Ordf", "Gustaf Hoffstedt", "Lars Ek"]
    assert names(p312) == ["Anna Berg", "Eva Ordf", "Gustaf Hoffstedt"]
    assert names(p313) == ["Anna Berg", "Eva Ordf", "Per Eklund"]


def test_people_are_counted_once(gotland):
    meeting, _people = gotland
    # Lars Ek has two rows (ersättare, and tjänstgörande at § 311): one person.
    assert load_meeting(meeting.pk).headcount() == {"present": 5, "absent": 0}


def test_the_new_attendance_facts_are_signed_content(gotland):
    meeting, people = gotland
    data = json.loads(canonical_content(meeting))
    anna = next(a for a in data["attendance"] if a["person"] == "Anna Berg")
    assert (anna["from"], anna["arrived"]) == (312, "14:05:00")
    assert "to" not in anna and "left" not in anna
    assert data["meeting"]["adjournments"] == [{"starts": "15:00:00", "ends": "15:20:00", "after": 312}]
    before = canonical_content(meeting)
    m.Attendance.objects.filter(pk=people["anna"].pk).update(from_number=313)
    assert canonical_content(meeting) != before


def test_sessions_without_an_end_of_the_pause(organ):
    meeting = f.meeting(organ, start_time=dt.time(9), end_time=None)
    pause = m.Adjournment(meeting=meeting, starts=dt.time(10))
    assert meeting.sessions_text([pause]) == "Sessionssalen kl. 09.00–10.00"
    assert pause.text == "kl. 10.00"
