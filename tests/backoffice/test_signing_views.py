"""Signing in the browser's requests: who may sign, replay, CSRF (re-authentication: tests/accounts)."""

from django.test import Client
from django.urls import reverse

from meetings import models as m
from meetings.services import justering as justering_service
from tests import factories as f
from tests.helpers import client_for, post_signature


def test_signer_sees_it_under_att_justera_with_deadline(bob, justering):
    page = client_for(bob).get(reverse("att_justera")).content.decode()
    assert "Kommunstyrelsens arbetsutskott 2026-03-10" in page
    assert "2026-03-24" in page  # meeting date + 14 days
    assert "Försenad" in page  # the test meeting is long past its deadline


def test_signer_reads_and_signs_with_password(bob, justering):
    client = client_for(bob)
    page = client.get(reverse("justering_detail", args=[justering.pk])).content.decode()
    assert "Budget" in page and "Signera protokollet" in page
    response = post_signature(client, justering)
    assert response.status_code == 302
    signature = justering.signatures.get(person=bob.person)
    assert signature.status == "signerat" and signature.content_hash == justering.content_hash


def test_replayed_request_signs_once(bob, justering):
    client = client_for(bob)
    post_signature(client, justering)
    response = post_signature(client, justering)
    assert "Du har redan signerat" in client.get(response["Location"]).content.decode()
    assert justering.signatures.filter(person=bob.person, status="signerat").count() == 1


def test_signing_content_one_has_not_seen_is_refused(bob, justering):
    client = client_for(bob)
    response = post_signature(client, justering, content_hash="0" * 64)
    assert "har ändrats sedan du öppnade det" in client.get(response["Location"]).content.decode()
    assert justering.signatures.get(person=bob.person).status == "pagar"


def test_justerare_of_another_meeting_gets_404(organ, justering):
    other_person = f.member(organ, "Annan Justerare")
    other_person.user = f.user("annan")
    other_person.save()
    other_meeting = f.meeting(organ, justerare_1=other_person)
    assert other_meeting.pk
    client = client_for(other_person.user)
    assert client.get(reverse("justering_detail", args=[justering.pk])).status_code == 404
    assert post_signature(client, justering).status_code == 404


def test_secretary_follows_but_cannot_sign(alice, justering):
    client = client_for(alice)
    page = client.get(reverse("justering_detail", args=[justering.pk])).content.decode()
    assert "Signera protokollet" not in page
    assert post_signature(client, justering).status_code == 302
    assert not m.Signature.objects.filter(status="signerat").exists()


def test_outsider_and_anonymous(charlie, justering):
    assert client_for(charlie).get(reverse("justering_detail", args=[justering.pk])).status_code == 404
    response = Client().post(reverse("justering_sign", args=[justering.pk]), {"password": "x"})
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_cross_site_request_is_refused(bob, justering):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = post_signature(client, justering)
    assert response.status_code == 403
    assert justering.signatures.get(person=bob.person).status == "pagar"


def test_send_back_from_the_page(ready, justering):
    jane = ready.justerare_1
    client = client_for(jane.user)
    response = client.post(reverse("justering_send_back", args=[justering.pk]), {"comment": "Rätta § 1."})
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.status == "atersant"


def test_secretary_sends_to_justering_and_others_may_not(ready, alice, bob, charlie):
    url = reverse("send_to_justering", args=[ready.pk])
    assert client_for(charlie).post(url).status_code == 404
    assert client_for(bob).post(url).status_code == 404
    ready.refresh_from_db()
    assert ready.status == "utkast"
    response = client_for(alice).post(url)
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.status == "under_justering"


def test_bad_ids_give_404_not_500(bob, db):
    client = client_for(bob)
    assert client.get("/justering/999999999/").status_code == 404
    assert client.get("/justering/abc/").status_code == 404


def test_meeting_page_offers_sending_and_shows_a_returned_comment(ready, alice, bob):
    client = client_for(alice)
    page = client.get(ready.get_absolute_url()).content.decode()
    assert "Skicka till justering" in page and "Justera omedelbart" in page
    justering = justering_service.send_to_justering(ready, alice)
    justering_service.send_back(justering, ready.justerare_1, "Rätta beloppet i § 1.")
    page = client.get(ready.get_absolute_url()).content.decode()
    assert "Återsänt av Jane Justerare" in page and "Rätta beloppet i § 1." in page
    assert "Skicka till justering" in page
    # The chair reads the page but is offered nothing to send.
    assert "Skicka till justering" not in client_for(bob).get(ready.get_absolute_url()).content.decode()


def test_meeting_page_lists_what_stops_sending(ready, alice):
    ready.justerare_2 = None
    ready.save()
    page = client_for(alice).get(ready.get_absolute_url()).content.decode()
    assert "ska ha 2 justerare" in page and "Skicka till justering</button>" not in page
