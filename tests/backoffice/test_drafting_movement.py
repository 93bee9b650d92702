"""Ajourneringar on the attendance page, and arrival and departure recorded from the § editor."""

import pytest
from django.urls import reverse

from meetings import models as m
from tests import factories as f
from tests.helpers import client_for


@pytest.fixture
def seated(meeting, bob):
    chair = f.attend(meeting, bob.person, role="Ordförande", party=f.party("M"))
    mia = f.attend(meeting, f.member(meeting.organ, "Mia Ledamot", "S"), party=f.party("S"), absent=True)
    ola = f.attend(meeting, f.member(meeting.organ, "Ola Ledamot", "KD"), party=f.party("KD"))
    return chair, mia, ola


def test_an_adjournment_is_added_shown_and_removed(client, alice, meeting, seated):
    client.force_login(alice)
    url = reverse("attendance", args=[meeting.pk])
    data = {
        "version": meeting.version,
        "action": "add_adjournment",
        "adjournment-starts": "10:00",
        "adjournment-ends": "10:15",
        "adjournment-after_number": "3",
    }
    assert client.post(url, data).status_code == 302
    pause = meeting.adjournments.get()
    assert pause.text == "kl. 10.00–10.15 efter § 3"
    preview = client.get(reverse("preview", args=[meeting.pk])).content.decode()
    assert "Sessionssalen kl. 09.00–10.00, 10.15–11.00" in preview
    meeting.refresh_from_db()
    removal = {"version": meeting.version, "action": "remove_adjournment", "adjournment": pause.pk}
    assert client.post(url, removal).status_code == 302
    assert not meeting.adjournments.exists()


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [("10:30", "10:00", "måste sluta efter"), ("08:00", "", "mellan sammanträdets start- och sluttid")],
)
def test_an_impossible_adjournment_is_refused(client, alice, meeting, seated, starts, ends, message):
    client.force_login(alice)
    data = {"version": 1, "action": "add_adjournment", "adjournment-starts": starts, "adjournment-ends": ends}
    response = client.post(reverse("attendance", args=[meeting.pk]), data)
    assert message in response.content.decode()
    assert not meeting.adjournments.exists()


def test_arrival_and_departure_from_the_paragraph_editor(client, alice, meeting, seated):
    chair, mia, ola = seated
    _p1, p2 = f.paragraph(meeting), f.paragraph(meeting)
    client.force_login(alice)
    page = client.get(reverse("paragraph_edit", args=[meeting.pk, p2.pk])).content.decode()
    assert "Närvaro vid § 2" in page
    url = reverse("paragraph_movement", args=[meeting.pk, p2.pk])
    response = client.post(url, {"version": meeting.version, "arrived": mia.pk, "left": ola.pk}, follow=True)
    assert "Mia Ledamot kom vid § 2; Ola Ledamot lämnade efter § 2." in response.content.decode()
    mia.refresh_from_db()
    ola.refresh_from_db()
    assert (mia.absent, mia.from_number, ola.to_number) == (False, p2.number, p2.number)
    # Nobody chosen, or someone from another meeting: nothing changes.
    other = f.attend(f.meeting(meeting.organ, diarienummer="KS 2"), f.person("Annan"))
    for data in ({"version": 2}, {"version": 2, "arrived": other.pk}):
        client.post(url, data)
    assert m.Attendance.objects.get(pk=other.pk).from_number is None
    meeting.refresh_from_db()
    assert meeting.version == 2
    stale = client.post(url, {"version": 1, "left": chair.pk}, follow=True)
    assert "Någon annan har sparat ändringar i närvaron" in stale.content.decode()


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("charlie", 404), ("bob", 403)])
def test_who_may_not_record_movement(client, meeting, seated, charlie, bob, who, status):
    _chair, mia, _ola = seated
    p = f.paragraph(meeting)
    browser = client if who == "anonymous" else client_for({"charlie": charlie, "bob": bob}[who])
    response = browser.post(reverse("paragraph_movement", args=[meeting.pk, p.pk]), {"version": 1, "arrived": mia.pk})
    assert response.status_code == status
    mia.refresh_from_db()
    assert mia.absent
