"""Rules found in review: who may sign, votes that would count wrongly, back-dated anslag, the
meeting's identity after an omedelbar justering, and a mail server that is down."""

import datetime as dt

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings.export.canonical import content_hash
from meetings.locking import ProtokollLocked
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from meetings.services.base import WorkflowError
from tests import factories as f
from tests.helpers import sign_all


def test_signers_must_be_beslutande_at_the_meeting(ready, alice):
    ready.attendances.filter(person=ready.justerare_2).update(kind=m.AttendanceKind.ERSATTARE)
    with pytest.raises(WorkflowError, match="Joe Justerare \\(justerare\\) är inte beslutande"):
        justering_service.send_to_justering(ready, alice)


def test_a_signer_without_an_account_is_a_warning_not_a_block(ready, alice, client):
    joe = ready.justerare_2
    joe.user = None
    joe.save()
    client.force_login(alice)
    page = client.get(ready.get_absolute_url()).content.decode()
    assert "Joe Justerare har inget användarkonto" in page
    assert justering_service.send_to_justering(ready, alice).signatures.count() == 3


def test_a_vote_by_someone_with_jav_blocks_sending(ready, alice):
    p = ready.paragraphs.get(title="Budget")
    vote = m.Vote.objects.create(paragraph=p, ja_means="förslaget", nej_means="avslag")
    for person in (ready.chair, ready.justerare_1, ready.justerare_2):
        m.VoteCast.objects.create(vote=vote, person=person, choice="ja")
    m.Recusal.objects.create(paragraph=p, person=ready.justerare_1)
    with pytest.raises(WorkflowError, match="Jane Justerare har röstat men deltar inte i beslutet"):
        justering_service.send_to_justering(ready, alice)


def test_anslag_cannot_be_back_dated(ready, alice):
    justering = justering_service.send_to_justering(ready, alice)
    sign_all(justering)
    justering.refresh_from_db()
    m.Justering.objects.filter(pk=justering.pk).update(completed_at=timezone.now() - dt.timedelta(days=10))
    justering.refresh_from_db()
    with pytest.raises(WorkflowError, match="tidigare datum än i dag"):
        anslag_service.post_anslag(justering, alice, timezone.localdate() - dt.timedelta(days=3))
    assert not m.Anslag.objects.exists()


def test_whole_protokoll_waits_for_a_pending_omedelbar_justering(ready, alice):
    justering_service.send_immediate_justering(ready, alice, [ready.paragraphs.get(title="Taxor")])
    with pytest.raises(WorkflowError, match="omedelbar justering pågår"):
        justering_service.send_to_justering(ready, alice)


def test_meeting_identity_is_fixed_after_an_omedelbar_justering(ready, alice):
    urgent = ready.paragraphs.get(title="Taxor")
    justering = justering_service.send_immediate_justering(ready, alice, [urgent])
    sign_all(justering)
    ready.refresh_from_db()
    ready.place = "Annan sal"
    with pytest.raises(ProtokollLocked, match="omedelbar justering"):
        ready.save()
    ready.refresh_from_db()
    ready.justering_place = "Kansliet"  # the planned justering of the rest may still change
    ready.save()
    # Attendance is not part of what an omedelbar justering signs, so its hash still holds.
    ready.attendances.filter(person=ready.justerare_2).update(absent=True)
    justering.refresh_from_db()
    assert content_hash(ready, [urgent]) == justering.content_hash


class FailingMail(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP is down")


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_does_not_undo_or_break_a_signature(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingMail"
    organ = f.organ()
    people = [f.member(organ, name, email=f"{name}@example.se") for name in ("ordf", "just1", "just2")]
    for p in people:
        p.user = f.user(p.name)
        p.save()
    meeting = f.meeting(organ, chair=people[0], justerare_1=people[1], justerare_2=people[2])
    for p in people:
        f.attend(meeting, p)
    f.paragraph(meeting)
    justering = justering_service.send_to_justering(meeting, f.user("sekr"))
    client = Client()
    client.force_login(people[0].user)
    response = client.post(
        reverse("justering_sign", args=[justering.pk]),
        {"password": "pw-for-tests", "content_hash": justering.content_hash},
    )
    assert response.status_code == 302
    assert justering.signatures.get(person=people[0]).status == "signerat"


def test_attendance_for_a_paragraph_that_never_came_blocks_sending(ready, alice):
    """Review A 9: a § number written on an attendance row before the § existed, and never created,
    must not stand in the signed content (nor print as "§ 7" on the front page)."""
    jane = ready.attendances.get(person__name="Jane Justerare")
    jane.pending_numbers = "7"
    jane.save()
    with pytest.raises(WorkflowError, match="§ 7"):
        justering_service.send_to_justering(ready, alice)
    assert m.Meeting.objects.get(pk=ready.pk).status == m.MeetingStatus.UTKAST
    # During the meeting an omedelbar justering may come before later §§ exist: no block there.
    taxor = ready.paragraphs.get(title="Taxor")
    justering_service.send_immediate_justering(ready, alice, [taxor])
