"""The expediering page: the secretary saves addresses and sends the extracts; the record shows each
send; who may not see it."""

import pytest
from django.core import mail
from django.urls import reverse

from meetings import models as m
from tests.helpers import client_for


@pytest.fixture
def meeting_to_send(justerat):
    meeting = justerat.meeting
    m.Paragraph.objects.filter(meeting=meeting, title="Budget").update(recipients="Ekonomienheten\nSökanden")
    return meeting


def _fields(page_meeting):
    budget = page_meeting.paragraphs.get(title="Budget")
    return {f"email_{budget.pk}_0": "ekonomi@example.se", f"email_{budget.pk}_1": "sokande@example.se"}


@pytest.mark.django_db(transaction=True)
def test_the_secretary_saves_the_addresses_and_sends(client, alice, meeting_to_send):
    client.force_login(alice)
    url = reverse("expediering", args=[meeting_to_send.pk])
    page = client.get(url).content.decode()
    assert "Ekonomienheten" in page and "Skicka utdragen" in page
    response = client.post(url, {"action": "send", **_fields(meeting_to_send)}, follow=True)
    assert "2 av 2 utdrag skickades." in response.content.decode()
    extracts = [message for message in mail.outbox if message.attachments]  # not the justering's mail
    assert sorted(message.to[0] for message in extracts) == ["ekonomi@example.se", "sokande@example.se"]
    assert all(message.attachments[0][2] == "application/pdf" for message in extracts)
    page = response.content.decode()
    assert "Skickat" in page and m.Dispatch.objects.first().sha256[:12] in page
    detail = client.get(reverse("meeting_detail", args=[meeting_to_send.pk])).content.decode()
    assert "2 utdrag skickade" in detail


def test_a_bad_address_changes_nothing(client, alice, meeting_to_send):
    client.force_login(alice)
    budget = meeting_to_send.paragraphs.get(title="Budget")
    data = {"action": "send", f"email_{budget.pk}_0": "inte en adress", f"email_{budget.pk}_1": "ok@example.se"}
    response = client.post(reverse("expediering", args=[meeting_to_send.pk]), data)
    assert response.status_code == 400
    assert "Adresserna sparades inte" in response.content.decode()
    assert not m.Recipient.objects.exists() and not m.Dispatch.objects.exists() and not mail.outbox


def test_nothing_is_claimed_sent_before_the_outbox_has_tried(client, alice, meeting_to_send):
    # Inside the test's transaction the outbox's delivery waits for a commit that does not come.
    client.force_login(alice)
    url = reverse("expediering", args=[meeting_to_send.pk])
    response = client.post(url, {"action": "send", **_fields(meeting_to_send)}, follow=True)
    assert "0 av 2 utdrag skickades. 2 väntar på att skickas." in response.content.decode()
    assert not mail.outbox


def test_a_draft_can_have_addresses_but_is_not_sent(client, alice, ready):
    m.Paragraph.objects.filter(meeting=ready, title="Budget").update(recipients="Ekonomienheten")
    client.force_login(alice)
    url = reverse("expediering", args=[ready.pk])
    page = client.get(url).content.decode()
    assert "Skicka utdragen" not in page and "kan skickas när protokollet är justerat" in page
    budget = ready.paragraphs.get(title="Budget")
    response = client.post(url, {"action": "send", f"email_{budget.pk}_0": "e@example.se"}, follow=True)
    assert "Bara justerade paragrafer kan expedieras." in response.content.decode()
    assert m.Recipient.objects.get().email == "e@example.se"
    assert not mail.outbox


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("charlie", 404), ("bob", 403)])
def test_who_may_not_expedite(client, meeting_to_send, charlie, bob, who, status):
    browser = client if who == "anonymous" else client_for({"charlie": charlie, "bob": bob}[who])
    url = reverse("expediering", args=[meeting_to_send.pk])
    assert browser.get(url).status_code == status
    assert browser.post(url, {"action": "send", **_fields(meeting_to_send)}).status_code == status
    assert not m.Dispatch.objects.exists() and not mail.outbox
