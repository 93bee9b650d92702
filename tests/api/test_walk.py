"""The whole API, walked from the System object: every link answers, every object (and every object
embedded in one) validates against the official OParl 1.1 schema, and nothing the public pages keep
back shows anywhere: no draft, unposted or future protokoll, no § under sekretess, no personnummer,
no e-mail address, no file or ärende that is not public. The same world as the public pages'
tests (``world`` in conftest.py), with what the API maps added."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from meetings import models as m
from meetings.public import MASK, SECRET_TITLE
from meetings.services import papers as paper_service
from tests import factories as f
from tests.api.oparl import api_root, validate, walk
from tests.helpers import DRAFT_WORD, FUTURE_WORD, PERSONNUMMER, SECRET_WORDS, UNPOSTED_WORD, bilaga, handling

# A personnummer in a name and in a yrkande, each written another way than PERSONNUMMER.
NAME_PNR = "850105-5555"
MOTION_PNR = "19850106 6666"
NOT_PUBLIC = ("Ejoffentligbilaga", "Ejoffentlighandling", "Stängdadörrar")
SERVED = {
    "System",
    "Body",
    "Organization",
    "Person",
    "Membership",
    "Meeting",
    "Location",
    "AgendaItem",
    "Paper",
    "Consultation",
    "File",
}


@pytest.fixture
def ready(ready, organ, bob):
    """The shared draft with what the API maps: the ärende decided at § Budget, its bilagor (public,
    not public, and one to be withdrawn), a roll call decided by the chair's casting vote, an
    ersättare whose name holds a personnummer, and a § under sekretess with a public bilaga and a vote."""
    budget = ready.paragraphs.get(title="Budget")
    paper = f.paper(organ, name="Budget 2027", reference="KS 2026/77")
    m.AgendaItem.objects.create(meeting=ready, name="Budget", paper=paper, paragraph=budget)
    bilaga(budget, "Karta")
    bilaga(budget, NOT_PUBLIC[0], public=False)
    bilaga(budget, "Dras tillbaka")
    f.attend(ready, f.member(organ, f"Tina Ersättare {NAME_PNR}", "V"), m.AttendanceKind.ERSATTARE)
    jane, joe = ready.justerare
    proposition = m.Proposition.objects.create(
        paragraph=budget, kind=m.PropositionKind.HUVUDFRAGA, ja_label="förslaget", nej_label=f"yrkandet {MOTION_PNR}"
    )
    vote = m.Vote.objects.create(
        paragraph=budget, proposition=proposition, ja_means="förslaget", nej_means=f"yrkandet {MOTION_PNR}"
    )
    for position, (person, choice) in enumerate(
        [(bob.person, m.VoteChoice.JA), (jane, m.VoteChoice.NEJ), (joe, m.VoteChoice.AVSTAR)], start=1
    ):
        m.VoteCast.objects.create(vote=vote, person=person, party=person.party, choice=choice, position=position)
    secret = f.paragraph(ready, title="Hemlig förhandling", secret=True, summary="Hemlig sammanfattning")
    bilaga(secret, "Hemlig bilaga")
    secret_vote = m.Vote.objects.create(paragraph=secret, ja_means="Hemlig ja", nej_means="Hemlig nej")
    m.VoteCast.objects.create(vote=secret_vote, person=bob.person, choice=m.VoteChoice.JA)
    return ready


@pytest.fixture
def api_world(world, alice):
    """After posting: a bilaga withdrawn; a posted notice of a fullmäktige meeting with an open ärende
    (a public handling, one not public, one deleted) and one behind closed doors; a notice that goes
    up tomorrow."""
    posted = world["posted"]
    withdrawn = m.File.objects.get(name="Dras tillbaka")
    withdrawn.public = False
    withdrawn.save()
    today = timezone.localdate()
    kf = f.organ("KF", name="Kommunfullmäktige", kind=m.OrganKind.FULLMAKTIGE)
    kf_meeting = f.meeting(kf, date=today + dt.timedelta(days=10))
    plan = f.paper(kf, name="Detaljplan för Norra hamnen", reference="KF 2026/512")
    closed = f.paper(kf, name=NOT_PUBLIC[2], reference="KF 2026/533")
    m.AgendaItem.objects.create(meeting=kf_meeting, paper=plan, name=plan.name, position=1)
    m.AgendaItem.objects.create(meeting=kf_meeting, paper=closed, name=closed.name, position=2, public=False)
    handling(plan, "Plankarta")
    handling(plan, NOT_PUBLIC[1], public=False)
    deleted = handling(plan, "Gammal plankarta")
    handling(closed, "Stängd handling")
    m.MeetingNotice.objects.create(meeting=kf_meeting, posted_on=today)
    deleted_pk = deleted.pk
    paper_service.delete_file(deleted)
    later = f.meeting(kf, date=today + dt.timedelta(days=20))
    future_paper = f.paper(kf, name=f"{FUTURE_WORD} ärende", reference="KF 2026/600")
    m.AgendaItem.objects.create(meeting=later, paper=future_paper, name=future_paper.name)
    handling(future_paper, f"{FUTURE_WORD} handling")
    m.MeetingNotice.objects.create(meeting=later, posted_on=today + dt.timedelta(days=1))
    return {**world, "withdrawn": withdrawn.pk, "deleted": deleted_pk, "plan": plan, "posted": posted}


def test_walking_the_api_finds_no_broken_link_no_schema_violation_and_no_leak(client, api_world):
    result = walk(client)
    assert result.problems == []
    assert set(result.by_type) >= SERVED
    text = result.text
    for word in (DRAFT_WORD, UNPOSTED_WORD, FUTURE_WORD, *SECRET_WORDS, *NOT_PUBLIC, "Stängd handling"):
        assert word not in text, word
    for number in (PERSONNUMMER, "850412", NAME_PNR, "850105", "850106"):
        assert number not in text, number
    assert "@" not in text
    assert "Dras tillbaka" not in text and "Gammal plankarta" not in text
    # What is public is there, masked.
    assert MASK in text and "Tina Ersättare" in text
    assert "Plankarta" in text and "Karta" in text and "Budget 2027" in text


def test_a_paragraph_under_sekretess_keeps_its_number_and_nothing_else(client, api_world):
    result = walk(client)
    withheld = [item for item in result.by_type["AgendaItem"] if item.get("public") is False]
    secret = m.Paragraph.objects.get(title="Hemlig förhandling")
    assert {item["number"] for item in withheld} == {str(p.number) for p in m.Paragraph.objects.filter(secret=True)}
    assert str(secret.number) in {item["number"] for item in withheld}
    for item in withheld:
        assert item["name"] == SECRET_TITLE
        assert set(item) == {"id", "type", "meeting", "number", "order", "name", "public", "created", "modified"}


def test_persons_carry_name_party_and_roles_only(client, api_world):
    result = walk(client)
    allowed = {"id", "type", "body", "name", "membership", "protokoll:party", "created", "modified"}
    for person in result.by_type["Person"]:
        assert set(person) <= allowed, person
    names = {p["name"] for p in result.by_type["Person"]}
    assert f"Tina Ersättare {MASK}" in names
    assert "Alice Sekreterare" not in names  # no seat, not on the front page


def test_withdrawn_files_are_deleted_objects_by_id_and_in_the_list_since(client, api_world):
    root = api_root()
    for pk in (api_world["withdrawn"], api_world["deleted"]):
        response = client.get(f"/api/oparl/1.1/file/{pk}")
        assert response.status_code == 200
        obj = response.json()
        assert obj["deleted"] is True and set(obj) == {"id", "type", "created", "modified", "deleted"}
        assert validate(obj, "File") == []
    listing = client.get("/api/oparl/1.1/body/1/file", {"modified_since": "2000-01-01T00:00:00+01:00"}).json()
    deleted = {obj["id"] for obj in listing["data"] if obj.get("deleted")}
    assert deleted == {f"{root}file/{api_world['withdrawn']}", f"{root}file/{api_world['deleted']}"}
    assert all(validate(obj, "File") == [] for obj in listing["data"])
    # Without modified_since a list never holds deleted objects (OParl 2.5).
    plain = client.get("/api/oparl/1.1/body/1/file").json()
    assert not any(obj.get("deleted") for obj in plain["data"])
    assert len(plain["data"]) == len(listing["data"]) - 2


def test_files_never_public_are_404_not_deleted(client, api_world):
    for name in (NOT_PUBLIC[0], NOT_PUBLIC[1], "Stängd handling", "Hemlig bilaga", f"{FUTURE_WORD} handling"):
        file = m.File.objects.get(name=name)
        response = client.get(f"/api/oparl/1.1/file/{file.pk}")
        assert response.status_code == 404, name
        assert response.json()["type"] == "https://schema.oparl.org/1.1/Error"


def test_every_guessed_id_of_an_unpublished_object_is_404(client, api_world):
    draft, unposted, future = api_world["draft"], api_world["unposted"], api_world["future"]
    urls = [f"/api/oparl/1.1/meeting/{meeting.pk}" for meeting in (draft, unposted, future.meeting)]
    urls += [f"/api/oparl/1.1/location/{meeting.pk}" for meeting in (draft, unposted, future.meeting)]
    urls += [f"/api/oparl/1.1/protocol/{future.pk}"]
    for meeting in (draft, unposted, future.meeting):
        urls += [f"/api/oparl/1.1/agendaitem/{p.pk}" for p in meeting.paragraphs.all()]
    closed = m.Paper.objects.get(name=NOT_PUBLIC[2])
    urls += [f"/api/oparl/1.1/paper/{closed.pk}"]
    for url in urls:
        assert client.get(url).status_code == 404, url
