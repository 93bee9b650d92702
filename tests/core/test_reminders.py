"""Reminders before the 14-day justering deadline (KL 5 kap. 69 §; 6 kap. 35 § for nämnder), through
the outbox, once per round and recipient."""

import datetime as dt
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from meetings import dates
from meetings import models as m
from meetings.services import justering as justering_service
from meetings.services.reminders import send_justering_reminders


def _reminders(justering):
    return m.OutgoingMail.objects.filter(key__startswith=f"reminder:{justering.pk}:").order_by("to")


def test_unsigned_signers_and_the_secretary_are_reminded_on_the_reminder_day(
    justering, django_capture_on_commit_callbacks
):
    chair = justering.signatures.get(role="ordforande").person
    justering_service.sign(justering, chair)
    day = dates.justering_reminder_day(justering.meeting.date)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_justering_reminders(day) == 3
    assert [x.to for x in _reminders(justering)] == ["alice@example.se", "jane@example.se", "joe@example.se"]
    by_to = {msg.to[0]: msg for msg in mail.outbox}
    deadline = justering.meeting.justering_deadline
    assert f"senast {deadline:%Y-%m-%d}" in by_to["jane@example.se"].subject
    assert "/att-justera/" in by_to["jane@example.se"].body
    secretary = by_to["alice@example.se"].body
    assert "Jane Justerare" in secretary and "Joe Justerare" in secretary and "Bob" not in secretary


def test_a_reminder_goes_out_once_however_often_the_periodic_run_comes(justering, django_capture_on_commit_callbacks):
    day = dates.justering_reminder_day(justering.meeting.date)
    with django_capture_on_commit_callbacks(execute=True):
        first = send_justering_reminders(day)
        again = send_justering_reminders(day)
        next_day = send_justering_reminders(day + dt.timedelta(days=1))
    assert (first, again, next_day) == (4, 0, 0)
    assert len(mail.outbox) == 4


def test_no_reminder_before_the_day_or_after_the_deadline(justering):
    meeting_date = justering.meeting.date
    assert send_justering_reminders(dates.justering_reminder_day(meeting_date) - dt.timedelta(days=1)) == 0
    assert send_justering_reminders(dates.justering_deadline(meeting_date) + dt.timedelta(days=1)) == 0


def test_no_reminder_for_a_justerat_round(justerat):
    assert send_justering_reminders(dates.justering_reminder_day(justerat.meeting.date)) == 0


def test_the_periodic_command_queues_todays_reminders(justering, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    # Moved without the model layer (the content is locked under justering): only the date matters.
    m.Meeting.objects.filter(pk=justering.meeting_id).update(date=today - dt.timedelta(days=11))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic", stdout=out)
    assert "'reminders': 4" in out.getvalue() and "'archived': 0" in out.getvalue()
    assert sorted(msg.to[0] for msg in mail.outbox) == [
        "alice@example.se",
        "bob@example.se",
        "jane@example.se",
        "joe@example.se",
    ]
