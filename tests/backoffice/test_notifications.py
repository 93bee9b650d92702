"""Messages say only what happened: whom the e-mail reached, who has no address, whose mail failed;
nothing before the change is stored. Signers see "Att justera (2)", secretaries their overdue rounds,
and every signer of a round hears of a send-back."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings.services import justering as justering_service
from meetings.services import notifications
from tests import factories as f
from tests.helpers import client_for, post_signature


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db(transaction=True)
def test_sending_says_who_got_e_mail_and_who_has_no_address(ready, alice, bob):
    m.Person.objects.filter(pk=bob.person.pk).update(email="")
    response = client_for(alice).post(reverse("send_to_justering", args=[ready.pk]))
    assert _messages(response) == [
        "Protokollet är skickat till justering.",
        "2 av 3 undertecknare fick e-post; Bob Ordförande saknar e-postadress.",
    ]
    assert sorted(message.to[0] for message in mail.outbox) == ["jane@example.se", "joe@example.se"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_is_reported_not_hidden(ready, alice, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    response = client_for(alice).post(reverse("send_to_justering", args=[ready.pk]))
    # An unreachable server is a temporary failure: the outbox tries again later, and says so.
    assert _messages(response)[-1] == (
        "0 av 3 undertecknare fick e-post; e-posten till Bob Ordförande, Jane Justerare och Joe Justerare "
        "väntar på att skickas."
    )
    assert set(m.OutgoingMail.objects.values_list("status", flat=True)) == {m.MailStatus.QUEUED}
    assert m.Justering.objects.filter(meeting=ready, status=m.JusteringStatus.PAGAR).exists()


@pytest.mark.django_db(transaction=True)
def test_signing_says_whether_the_secretary_was_told(ready, alice, bob):
    justering = justering_service.send_to_justering(ready, alice)
    response = post_signature(client_for(bob), justering)
    assert _messages(response) == ["Du har signerat.", "1 av 1 sekreterare fick e-post."]
    alice.email = ""
    alice.save()
    jane = m.Person.objects.get(name="Jane Justerare")
    response = post_signature(client_for(jane.user), justering)
    assert _messages(response)[-1] == "0 av 1 sekreterare fick e-post; Alice Sekreterare saknar e-postadress."


def test_nothing_is_claimed_before_the_change_is_stored(ready, alice):
    # Inside the test's transaction the e-mail waits for a commit that does not come: no claim.
    response = client_for(alice).post(reverse("send_to_justering", args=[ready.pk]))
    assert _messages(response) == ["Protokollet är skickat till justering."]
    assert not mail.outbox


def test_a_report_reads_like_a_sentence():
    report = notifications.MailReport(
        "undertecknare", sent=["A", "B"], waiting=["E"], missing=["C"], failed=["D"], done=True
    )
    assert report.summary() == (
        "2 av 5 undertecknare fick e-post; e-posten till E väntar på att skickas; C saknar e-postadress; "
        "e-posten till D kunde inte skickas."
    )


def test_every_signer_hears_of_a_send_back_and_sees_the_comment_next_round(
    ready, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        justering = justering_service.send_to_justering(ready, alice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        justering_service.send_back(justering, bob.person, "§ 1 saknar utfallet av omröstningen.")
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.se", "jane@example.se", "joe@example.se"]
    assert all("§ 1 saknar utfallet av omröstningen." in message.body for message in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = justering_service.send_to_justering(ready, alice)
    assert all("skickades tillbaka av Bob Ordförande" in message.body for message in mail.outbox)
    jane = m.Person.objects.get(name="Jane Justerare")
    page = client_for(jane.user).get(reverse("justering_detail", args=[second.pk])).content.decode()
    assert "§ 1 saknar utfallet av omröstningen." in page


def test_signers_see_what_waits_for_them(client, ready, alice, bob):
    browser = client_for(bob)
    assert "Att justera <strong" not in browser.get(reverse("dashboard")).content.decode()
    justering = justering_service.send_to_justering(ready, alice)
    page = browser.get(reverse("dashboard")).content.decode()
    assert '<strong class="waiting-count">(1)</strong>' in page
    assert "Väntar på din underskrift (1)" in page
    justering_service.sign(justering, bob.person)
    assert "waiting-count" not in browser.get(reverse("dashboard")).content.decode()


def test_the_secretary_sees_overdue_rounds(ready, alice, bob):
    m.Meeting.objects.filter(pk=ready.pk).update(date=timezone.localdate() - dt.timedelta(days=20))
    justering = justering_service.send_to_justering(ready, alice)
    justering_service.sign(justering, bob.person)
    page = client_for(alice).get(reverse("dashboard")).content.decode()
    assert "Försenade justeringar (1)" in page
    assert "Väntar på Jane Justerare, Joe Justerare." in page
    # A round within the 14 days is not overdue; nor is someone else's organ's.
    m.Meeting.objects.filter(pk=ready.pk).update(date=timezone.localdate() - dt.timedelta(days=14))
    assert "Försenade justeringar" not in client_for(alice).get(reverse("dashboard")).content.decode()
    other = f.user("other")
    assert "Försenade justeringar" not in client_for(other).get(reverse("dashboard")).content.decode()
