"""A person is chosen from the register wherever one is chosen, so no one is entered twice: the
picker on the meeting's roles and seats, and övriga picked (or recognised by name) instead of
created anew."""

import pytest
from django.urls import reverse

from meetings import models as m
from tests import factories as f
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _add_guest(client, meeting, **fields):
    data = {"action": "add_guest", "version": meeting.version, **{f"guest-{k}": v for k, v in fields.items()}}
    return client.post(reverse("attendance", args=[meeting.pk]), data, follow=True)


def test_the_secretary_added_under_ovriga_is_herself_not_a_copy(alice, meeting):
    me = alice.person
    response = _add_guest(client_for(alice), meeting, name="alice  sekreterare")
    assert "Alice Sekreterare är tillagd bland övriga." in response.content.decode()
    guest = meeting.attendances.get(kind=m.AttendanceKind.OVRIG)
    assert guest.person == me
    assert guest.title == "Kommunsekreterare"  # from the register
    assert m.Person.objects.filter(name="Alice Sekreterare").count() == 1


def test_a_person_picked_from_the_register(alice, meeting):
    official = f.person("Fredrik Geijer", title="Kommundirektör", organisation="KLF")
    _add_guest(client_for(alice), meeting, person=official.pk)
    guest = meeting.attendances.get(kind=m.AttendanceKind.OVRIG)
    assert (guest.person, guest.title, guest.organisation) == (official, "Kommundirektör", "KLF")


def test_someone_already_present_is_not_added_again(alice, meeting):
    official = f.person("Fredrik Geijer")
    client = client_for(alice)
    _add_guest(client, meeting, person=official.pk)
    meeting.refresh_from_db()
    response = _add_guest(client, meeting, person=official.pk)
    assert "Fredrik Geijer finns redan i närvarolistan." in response.content.decode()
    assert meeting.attendances.filter(person=official).count() == 1


def test_a_name_two_persons_share_becomes_a_new_person(alice, meeting):
    f.person("Anna Andersson")
    f.person("Anna Andersson")
    _add_guest(client_for(alice), meeting, name="Anna Andersson")
    assert m.Person.objects.filter(name="Anna Andersson").count() == 3


def test_nothing_chosen_is_a_message_not_a_500(alice, meeting):
    response = _add_guest(client_for(alice), meeting)
    assert "Välj en person i registret eller skriv ett namn." in response.content.decode()


def test_person_selects_carry_the_picker(alice, meeting, organ):
    client = client_for(alice)
    assert "data-person-picker" in client.get(reverse("meeting_edit", args=[meeting.pk])).content.decode()
    assert "data-person-picker" in client.get(reverse("membership_create", args=[organ.pk])).content.decode()
    assert "data-person-picker" in client.get(reverse("paper_create")).content.decode()
    assert "data-person-picker" in client.get(reverse("attendance", args=[meeting.pk])).content.decode()
