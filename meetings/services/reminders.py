"""Reminders before the justering deadline: a protokoll is to be justerat no later than 14 days after
the meeting (KL 5 kap. 69 §; 6 kap. 35 § applies it to nämnder). On ``dates.justering_reminder_day``
every signer who has not signed, and the organ's secretaries, get one e-mail through the outbox.

Idempotent: each message has a key (round, kind, address), so the periodic run may call this as often
as it likes; a reminder goes out once per round and recipient.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse

from .. import dates
from .. import models as m
from .mail import queue_mail
from .notifications import message, person_emails, secretary_emails, title_of


def due_rounds(today: datetime.date):
    """Open rounds of meetings whose reminder day has come and whose deadline has not passed."""
    latest_meeting = today - datetime.timedelta(days=dates.JUSTERING_DAYS)
    earliest_meeting = today - datetime.timedelta(days=dates.JUSTERING_DAYS - dates.JUSTERING_REMINDER_DAYS)
    return (
        m.Justering.objects.filter(
            status=m.JusteringStatus.PAGAR, meeting__date__gte=latest_meeting, meeting__date__lte=earliest_meeting
        )
        .select_related("meeting__organ", "meeting__secretary__user")
        .prefetch_related("meeting__organ__secretaries")
    )


def send_justering_reminders(today: datetime.date) -> int:
    """Queue the reminders that are due today; returns how many messages were newly queued."""
    before = m.OutgoingMail.objects.filter(key__startswith="reminder:").count()
    url = settings.SITE_URL.rstrip("/") + reverse("att_justera")
    for justering in due_rounds(today):
        meeting = justering.meeting
        context = {"title": title_of(justering), "deadline": meeting.justering_deadline, "url": url}
        waiting = [
            s.person for s in justering.signatures.select_related("person__user").filter(status=m.SignatureStatus.PAGAR)
        ]
        if not waiting:
            continue
        subject, body = message("reminder_signer", context)
        for address in person_emails(waiting):
            queue_mail(address, subject, body, meeting=meeting, key=f"reminder:{justering.pk}:signer:{address}")
        without_email = [p.name for p in waiting if not person_emails([p])]
        subject, body = message("reminder_secretary", {**context, "waiting": waiting, "without_email": without_email})
        for address in secretary_emails(meeting):
            queue_mail(address, subject, body, meeting=meeting, key=f"reminder:{justering.pk}:secretary:{address}")
    return m.OutgoingMail.objects.filter(key__startswith="reminder:").count() - before
