"""canonical_content changes exactly when the protokoll's content does."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable

import pytest

from meetings import models as m
from meetings.export.canonical import canonical_content, content_hash
from tests import factories as f


@pytest.fixture
def full_meeting(organ, bob):
    meeting = f.meeting(organ, diarienummer="KS 2026/300")
    greta = f.member(organ, "Greta Ledamot", "C")
    deputy = f.member(organ, "Dan Ersättare", "S", m.MembershipRole.ERSATTARE)
    f.attend(meeting, bob.person, role="Ordförande", party=f.party("M"))
    f.attend(meeting, greta, party=f.party("C"))
    p = f.paragraph(meeting, title="Ärende", dnr="KS 2026/1", summary="Sammanfattning.", recipients="Kommunstyrelsen")
    m.DecisionClause.objects.create(paragraph=p, position=1, text="att godkänna.")
    m.Motion.objects.create(paragraph=p, person=greta, kind=m.MotionKind.AVSLAG, text="Avslag.")
    vote = m.Vote.objects.create(paragraph=p, ja_means="förslaget", nej_means="avslag")
    m.VoteCast.objects.create(vote=vote, person=bob.person, choice=m.VoteChoice.JA, position=1)
    m.VoteCast.objects.create(vote=vote, person=greta, choice=m.VoteChoice.NEJ, position=2)
    reservation = m.Reservation.objects.create(paragraph=p, motivation="Motivering.")
    reservation.persons.set([greta])
    m.ProtocolNote.objects.create(paragraph=p, person=greta, text="Anteckning.")
    m.Recusal.objects.create(paragraph=p, person=bob.person, substitute=deputy)
    f.paragraph(meeting, title="Andra ärendet")
    return meeting


def _first(meeting: m.Meeting) -> m.Paragraph:
    return meeting.paragraphs.order_by("position").first()


CHANGES: dict[str, Callable[[m.Meeting], None]] = {
    "meeting place": lambda mt: m.Meeting.objects.filter(pk=mt.pk).update(place="Stora salen"),
    "justering date": lambda mt: m.Meeting.objects.filter(pk=mt.pk).update(justering_date=datetime.date(2026, 3, 20)),
    "attendance role": lambda mt: m.Attendance.objects.filter(meeting=mt).update(role="Vice ordförande"),
    "title": lambda mt: m.Paragraph.objects.filter(pk=_first(mt).pk).update(title="Nytt"),
    "summary": lambda mt: m.Paragraph.objects.filter(pk=_first(mt).pk).update(summary="Ändrad."),
    "basis": lambda mt: m.Paragraph.objects.filter(pk=_first(mt).pk).update(basis="Underlag."),
    "proposition order": lambda mt: m.Paragraph.objects.filter(pk=_first(mt).pk).update(proposition_order="P."),
    "recipients": lambda mt: m.Paragraph.objects.filter(pk=_first(mt).pk).update(recipients="Alla"),
    "clause": lambda mt: m.DecisionClause.objects.update(text="att avslå."),
    "motion": lambda mt: m.Motion.objects.update(text="Bifall."),
    "vote cast": lambda mt: m.VoteCast.objects.filter(choice=m.VoteChoice.NEJ).update(choice=m.VoteChoice.AVSTAR),
    "reservation": lambda mt: m.Reservation.objects.update(motivation="Annan."),
    "note": lambda mt: m.ProtocolNote.objects.update(text="Annan anteckning."),
    "recusal": lambda mt: m.Recusal.objects.update(substitute=None),
    "paragraph order": lambda mt: m.Paragraph.objects.filter(pk=_first(mt).pk).update(position=99),
    "proposition added": lambda mt: m.Proposition.objects.create(paragraph=_first(mt), ja_label="A", nej_label="B"),
    "vote put on a proposition": lambda mt: m.Vote.objects.update(
        proposition=m.Proposition.objects.create(paragraph=_first(mt), ja_label="A", nej_label="B")
    ),
}


def test_it_is_stable_and_valid_json(full_meeting):
    first = canonical_content(full_meeting)
    assert canonical_content(m.Meeting.objects.get(pk=full_meeting.pk)) == first
    data = json.loads(first)
    assert [p["title"] for p in data["paragraphs"]] == ["Ärende", "Andra ärendet"]
    first_paragraph = data["paragraphs"][0]
    assert first_paragraph["votes"][0]["casts"][1] == {"person": "Greta Ledamot", "party": None, "choice": "nej"}
    assert first_paragraph["reservations"] == [{"persons": ["Greta Ledamot"], "motivation": "Motivering."}]
    assert first_paragraph["recusals"] == [{"person": "Bob Ordförande", "substitute": "Dan Ersättare"}]
    assert first_paragraph["motions"] == [{"person": "Greta Ledamot", "kind": "avslag", "text": "Avslag."}]
    assert first_paragraph["recipients"] == ["Kommunstyrelsen"]
    assert data["attendance"][0]["party"] == "M"


# The SHA-256 of ``full_meeting`` before propositions, appeal routes, arrival and departure and
# ajournering existed: a protokoll without them must hash exactly as before, so that the signatures and
# stored PDFs of older protokoll still match their content.
HASH_BEFORE_THE_NEW_SECTIONS = "00634917ff7e6274d2724dd1b7c4e147e62758d42267dc2e910f9b8b33ffa993"


def test_a_protokoll_without_the_newer_sections_hashes_as_before(full_meeting):
    assert hashlib.sha256(canonical_content(full_meeting)).hexdigest() == HASH_BEFORE_THE_NEW_SECTIONS
    assert content_hash(full_meeting) == HASH_BEFORE_THE_NEW_SECTIONS


def test_it_names_the_paragraphs_an_attendance_covers(full_meeting):
    second = full_meeting.paragraphs.order_by("position").last()
    f.attend(full_meeting, f.person("Gäst"), m.AttendanceKind.OVRIG, paragraphs=[second], title="Expert")
    data = json.loads(canonical_content(full_meeting))
    assert data["attendance"][-1]["paragraphs"] == [second.number]
    assert data["attendance"][-1]["title"] == "Expert"


def test_workflow_fields_do_not_change_it(full_meeting):
    before = canonical_content(full_meeting)
    m.Meeting.objects.filter(pk=full_meeting.pk).update(status=m.MeetingStatus.JUSTERAT, version=7)
    m.Paragraph.objects.update(version=5)
    assert canonical_content(m.Meeting.objects.get(pk=full_meeting.pk)) == before


@pytest.mark.parametrize("change", CHANGES.keys())
def test_it_changes_when_any_section_changes(full_meeting, change):
    before = canonical_content(full_meeting)
    CHANGES[change](full_meeting)
    assert canonical_content(m.Meeting.objects.get(pk=full_meeting.pk)) != before
