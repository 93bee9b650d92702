"""The attendance editor and the roll-call vote: per-§ presence, serving deputies, övriga,
counting from the casts, and no lost updates."""

import pytest
from django.urls import reverse

from meetings import models as m
from meetings.export.document import load_meeting
from tests import factories as f


@pytest.fixture
def seated(meeting, bob):
    chair = f.attend(meeting, bob.person, role="Ordförande", party=f.party("M"))
    mia = f.attend(meeting, f.member(meeting.organ, "Mia Ledamot", "S"), party=f.party("S"))
    ola = f.attend(meeting, f.member(meeting.organ, "Ola Ledamot", "KD"), party=f.party("KD"))
    erik = f.attend(
        meeting,
        f.member(meeting.organ, "Erik Ersättare", "S", m.MembershipRole.ERSATTARE),
        kind=m.AttendanceKind.ERSATTARE,
        party=f.party("S"),
    )
    return chair, mia, ola, erik


def _attendance_data(meeting, attendances, **changes):
    data = {
        "version": meeting.version,
        "action": "save",
        "att-TOTAL_FORMS": len(attendances),
        "att-INITIAL_FORMS": len(attendances),
        "att-MIN_NUM_FORMS": 0,
        "att-MAX_NUM_FORMS": 1000,
    }
    for i, a in enumerate(attendances):
        data[f"att-{i}-id"] = a.pk
        data[f"att-{i}-role"] = a.role
        data[f"att-{i}-sections"] = ""
        if a.replaces_id:
            data[f"att-{i}-replaces"] = a.replaces_id
    for key, value in changes.items():
        data[key] = value
    return data


def test_it_marks_absence_and_presence_by_paragraph(client, alice, meeting, seated):
    chair, mia, ola, erik = seated
    p1, p2, p3 = (f.paragraph(meeting) for _ in range(3))
    client.force_login(alice)
    url = reverse("attendance", args=[meeting.pk])
    data = _attendance_data(meeting, list(seated), **{"att-1-absent": "on", "att-2-sections": "1–2"})
    assert client.post(url, data).status_code == 302
    mia.refresh_from_db()
    assert mia.absent
    assert sorted(p.number for p in ola.paragraphs.all()) == [p1.number, p2.number]
    meeting.refresh_from_db()
    assert meeting.version == 2
    assert [a.person_id for a in meeting.voters_for(p3)] == [chair.person_id]


@pytest.mark.parametrize("sections", ["1", "abc", "3-1", "1–99999", "999"])
def test_unknown_paragraph_numbers_are_refused(client, alice, meeting, seated, sections):
    f.paragraph(f.meeting(meeting.organ, diarienummer="KS 2026/1"))  # § 1 is another meeting's
    f.paragraph(meeting)
    client.force_login(alice)
    data = _attendance_data(meeting, list(seated), **{"att-2-sections": sections})
    response = client.post(reverse("attendance", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert not seated[2].paragraphs.exists()


def test_a_paragraph_still_to_come_is_kept_and_joined_when_it_is_written(client, alice, meeting, seated):
    chair, mia, ola, erik = seated
    first = f.paragraph(meeting)
    client.force_login(alice)
    later = first.number + 2
    data = _attendance_data(meeting, list(seated), **{"att-2-sections": f"{first.number}, {later}"})
    assert client.post(reverse("attendance", args=[meeting.pk]), data).status_code == 302
    ola.refresh_from_db()
    assert (list(ola.paragraphs.all()), ola.pending) == ([first], [later])
    between = f.paragraph(meeting)
    meeting = load_meeting(meeting.pk)
    assert ola.person_id not in {a.person_id for a in meeting.voters_for(between)}
    third = f.paragraph(meeting)
    assert third.number == later
    ola.refresh_from_db()
    assert (sorted(p.number for p in ola.paragraphs.all()), ola.pending) == ([first.number, later], [])
    page = client.get(reverse("attendance", args=[meeting.pk])).content.decode()
    assert f'value="{first.number}, {later}"' in page


def test_arrival_and_departure_by_paragraph_and_time(client, alice, meeting, seated):
    chair, mia, ola, erik = seated
    p1, p2, p3 = (f.paragraph(meeting) for _ in range(3))
    client.force_login(alice)
    changes = {
        "att-1-from_number": p2.number,
        "att-1-arrived_at": "14:05",
        "att-2-to_number": p1.number,
        "att-2-left_at": "13:40",
    }
    assert (
        client.post(
            reverse("attendance", args=[meeting.pk]), _attendance_data(meeting, list(seated), **changes)
        ).status_code
        == 302
    )
    meeting = load_meeting(meeting.pk)
    assert [a.person.name for a in meeting.voters_for(p1)] == ["Bob Ordförande", "Ola Ledamot"]
    assert [a.person.name for a in meeting.voters_for(p3)] == ["Bob Ordförande", "Mia Ledamot"]
    # A § written later is covered too: Mia is there from § 2 on.
    assert mia.person_id in {a.person_id for a in load_meeting(meeting.pk).voters_for(f.paragraph(meeting))}
    bad = _attendance_data(meeting, list(seated), **{"att-1-from_number": p3.number, "att-1-to_number": p1.number})
    assert (
        "Avgången kan inte vara före ankomsten."
        in client.post(reverse("attendance", args=[meeting.pk]), bad).content.decode()
    )


def test_a_deputy_serves_for_some_paragraphs(client, alice, meeting, seated):
    chair, mia, ola, erik = seated
    p1, p2 = f.paragraph(meeting), f.paragraph(meeting)
    client.force_login(alice)
    data = {
        "version": meeting.version,
        "action": "add_deputy",
        "deputy-deputy": erik.person_id,
        "deputy-replaces": mia.person_id,
        "deputy-sections": str(p2.number),
    }
    assert client.post(reverse("attendance", args=[meeting.pk]), data).status_code == 302
    serving = meeting.attendances.get(kind=m.AttendanceKind.TJANSTGORANDE_ERSATTARE)
    assert (serving.person_id, serving.replaces_id) == (erik.person_id, mia.person_id)
    assert meeting.attendances.filter(pk=erik.pk).exists()  # still an ersättare at the other §§
    voters = {a.person_id for a in meeting.voters_for(p2)}
    assert erik.person_id in voters and mia.person_id not in voters
    assert mia.person_id in {a.person_id for a in meeting.voters_for(p1)}


def test_a_deputy_for_the_whole_meeting_is_listed_once(client, alice, meeting, seated):
    _chair, mia, _ola, erik = seated
    client.force_login(alice)
    data = {"version": 1, "action": "add_deputy", "deputy-deputy": erik.person_id, "deputy-replaces": mia.person_id}
    client.post(reverse("attendance", args=[meeting.pk]), data)
    kinds = list(meeting.attendances.filter(person_id=erik.person_id).values_list("kind", flat=True))
    assert kinds == [m.AttendanceKind.TJANSTGORANDE_ERSATTARE]


def test_deputy_choices_are_limited_to_this_meeting(client, alice, meeting, seated, charlie):
    _chair, mia, _ola, erik = seated
    client.force_login(alice)
    for deputy, replaces in ((charlie.person.pk, mia.person_id), (erik.person_id, erik.person_id), ("x", "y")):
        data = {"version": 1, "action": "add_deputy", "deputy-deputy": deputy, "deputy-replaces": replaces}
        assert client.post(reverse("attendance", args=[meeting.pk]), data).status_code == 200
    assert not meeting.attendances.filter(kind=m.AttendanceKind.TJANSTGORANDE_ERSATTARE).exists()


def test_a_guest_is_added_for_one_paragraph(client, alice, meeting, seated):
    p = f.paragraph(meeting)
    client.force_login(alice)
    data = {
        "version": 1,
        "action": "add_guest",
        "guest-name": "  Greta   Gäst ",
        "guest-title": "Ekonomichef",
        "guest-organisation": "KLF",
        "guest-sections": f"§ {p.number}",
    }
    assert client.post(reverse("attendance", args=[meeting.pk]), data).status_code == 302
    guest = meeting.attendances.get(kind=m.AttendanceKind.OVRIG)
    assert (guest.person.name, guest.title, list(guest.paragraphs.all())) == ("Greta Gäst", "Ekonomichef", [p])


def test_a_stale_attendance_save_is_refused(client, alice, meeting, seated):
    client.force_login(alice)
    url = reverse("attendance", args=[meeting.pk])
    stale = _attendance_data(meeting, list(seated), **{"att-1-absent": "on"})
    guest = {"version": meeting.version, "action": "add_guest", "guest-name": "Först"}
    assert client.post(url, guest).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "Någon annan har sparat ändringar i närvaron" in response.content.decode()
    assert not m.Attendance.objects.get(pk=seated[1].pk).absent


def test_attendance_rows_of_another_meeting_are_refused(client, alice, meeting, seated, organ, bob):
    other = f.meeting(organ, diarienummer="KS 2026/2")
    theirs = f.attend(other, f.person("Annan"), kind=m.AttendanceKind.OVRIG)
    client.force_login(alice)
    data = _attendance_data(meeting, list(seated), **{"att-0-id": theirs.pk, "att-0-absent": "on"})
    assert client.post(reverse("attendance", args=[meeting.pk]), data).status_code == 200
    theirs.refresh_from_db()
    assert not theirs.absent


def _vote_data(paragraph, **fields):
    return {"version": paragraph.version, "ja_means": "bifall", "nej_means": "avslag", **fields}


def test_the_roll_call_is_prefilled_with_the_voters_and_counted(client, alice, meeting, seated):
    chair, mia, ola, erik = seated
    p = f.paragraph(meeting)
    m.Recusal.objects.create(paragraph=p, person=ola.person)
    client.force_login(alice)
    page = client.get(reverse("vote_create", args=[meeting.pk, p.pk])).content.decode()
    assert "Bob Ordförande (M)" in page and "Mia Ledamot (S)" in page
    assert f"cast_{ola.person_id}" not in page  # jäv
    assert f"cast_{erik.person_id}" not in page  # a deputy who does not serve
    data = _vote_data(p, **{f"cast_{chair.person_id}": "ja", f"cast_{mia.person_id}": "nej"})
    response = client.post(reverse("vote_create", args=[meeting.pk, p.pk]), data, follow=True)
    # A tie: the chair voted Ja, so the chair's casting vote decides (KL 5 kap. 56 §).
    assert "Med 1 ja-röst mot 1 nej-röst och ordförandens utslagsröst beslutar" in response.content.decode()
    vote = p.votes.get()
    assert [(c.person_id, c.choice, c.party.abbreviation) for c in vote.casts.all()] == [
        (chair.person_id, "ja", "M"),
        (mia.person_id, "nej", "S"),
    ]


def test_votes_of_people_who_may_not_vote_are_ignored(client, alice, meeting, seated, charlie):
    chair, _mia, _ola, erik = seated
    p = f.paragraph(meeting)
    client.force_login(alice)
    data = _vote_data(p, **{f"cast_{charlie.person.pk}": "ja", f"cast_{erik.person_id}": "ja"})
    response = client.post(reverse("vote_create", args=[meeting.pk, p.pk]), data)
    assert "Ange hur minst en ledamot röstade." in response.content.decode()
    data = _vote_data(p, **{f"cast_{chair.person_id}": "kanske"})
    assert (
        "Välj ett giltigt alternativ"
        in client.post(reverse("vote_create", args=[meeting.pk, p.pk]), data).content.decode()
    )
    assert not m.Vote.objects.exists()


def test_a_vote_can_be_changed_and_a_stale_one_is_refused(client, alice, meeting, seated):
    chair, mia, _ola, _erik = seated
    p = f.paragraph(meeting)
    vote = m.Vote.objects.create(paragraph=p, ja_means="bifall", nej_means="avslag")
    m.VoteCast.objects.create(vote=vote, person=chair.person, choice="ja")
    url = reverse("vote_edit", args=[meeting.pk, p.pk, vote.pk])
    client.force_login(alice)
    stale = _vote_data(p, **{f"cast_{chair.person_id}": "avstar"})
    assert client.post(url, _vote_data(p, **{f"cast_{mia.person_id}": "nej"})).status_code == 302
    assert list(vote.casts.values_list("person_id", "choice")) == [(mia.person_id, "nej")]
    assert client.post(url, stale).status_code == 409
    assert list(vote.casts.values_list("person_id", "choice")) == [(mia.person_id, "nej")]
    p.refresh_from_db()
    delete = reverse("vote_delete", args=[meeting.pk, p.pk, vote.pk])
    assert client.post(delete, {"version": p.version}).status_code == 302
    assert not m.Vote.objects.exists()


def test_an_untouched_extra_row_is_not_saved(client, alice, meeting, seated):
    """Regression: a required person select that preselected the first person turned empty rows
    into a jäv entry for the chair."""
    p = f.paragraph(meeting)
    client.force_login(alice)
    page = client.get(reverse("paragraph_edit", args=[meeting.pk, p.pk])).content.decode()
    assert '<option value="" selected>---------</option>' in page


def test_an_extra_attendance_row_is_refused_not_a_500(client, alice, meeting, seated):
    """Regression: raising TOTAL_FORMS added a "new" row that validated and then failed on save
    (NOT NULL meeting_id)."""
    client.force_login(alice)
    data = _attendance_data(meeting, list(seated), **{"att-TOTAL_FORMS": 5, "att-4-title": "Smugglad"})
    response = client.post(reverse("attendance", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert "Närvarolistan kan inte få nya rader här" in response.content.decode()
    assert meeting.attendances.count() == 4
    meeting.refresh_from_db()
    assert meeting.version == 1


def test_a_row_posted_twice_is_refused(client, alice, meeting, seated):
    client.force_login(alice)
    data = _attendance_data(
        meeting,
        list(seated),
        **{"att-TOTAL_FORMS": 5, "att-INITIAL_FORMS": 5, "att-4-id": seated[1].pk, "att-4-absent": "on"},
    )
    response = client.post(reverse("attendance", args=[meeting.pk]), data)
    assert "En rad finns två gånger i formuläret" in response.content.decode()
    assert not m.Attendance.objects.get(pk=seated[1].pk).absent


def test_vote_zero_is_not_a_new_vote(client, alice, meeting, seated):
    """Regression: vote_pk=0 was taken for "no vote given" and opened (and saved) a new vote."""
    chair = seated[0]
    p = f.paragraph(meeting)
    url = reverse("vote_edit", args=[meeting.pk, p.pk, 0])
    client.force_login(alice)
    assert client.get(url).status_code == 404
    assert client.post(url, _vote_data(p, **{f"cast_{chair.person_id}": "ja"})).status_code == 404
    assert not m.Vote.objects.exists()
