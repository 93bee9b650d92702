"""E-mail notifications of the justering workflow and the kallelse, through the outbox
(``meetings.services.mail``; console in development).

Each function takes ids and is called through ``transaction.on_commit``, so a mail is queued only for
a change that was stored; the outbox records and delivers one message per recipient, with retries.
Subjects and bodies are templates in ``templates/emails/``.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .. import models as m
from .mail import queue_mail, queue_mails


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def email_of(person: m.Person) -> str:
    """The person's own address, else their user account's; empty when neither has one."""
    return person.email or (person.user.email if person.user_id else "")


def person_emails(persons) -> list[str]:
    return [address for address in map(email_of, persons) if address]


def secretary_emails(meeting: m.Meeting) -> list[str]:
    addresses = [u.email for u in meeting.organ.secretaries.all() if u.email]
    if meeting.secretary:
        addresses += person_emails([meeting.secretary])
    return sorted(set(addresses))


def _load(justering_id: int) -> m.Justering:
    return m.Justering.objects.select_related("meeting__organ", "meeting__secretary").get(pk=justering_id)


def title_of(j: m.Justering) -> str:
    kind = "Omedelbar justering" if j.immediate else "Protokoll"
    return f"{kind} {j.meeting.organ.name} {j.meeting.date:%Y-%m-%d}"


def _signer_persons(j: m.Justering):
    return [s.person for s in j.signatures.select_related("person__user").filter(status__in=m.LIVE_SIGNATURE_STATUSES)]


def message(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) of ``templates/emails/<template>.txt``: its first line is the subject."""
    subject, _, body = render_to_string(f"emails/{template}.txt", context).partition("\n")
    return subject.strip(), body.lstrip("\n")


def sent_to_signers(justering_id: int) -> None:
    j = _load(justering_id)
    to = person_emails(_signer_persons(j))
    if to:
        subject, body = message(
            "sent_to_signers", {"title": title_of(j), "justering": j, "url": _site() + reverse("att_justera")}
        )
        queue_mails(to, subject, body, meeting=j.meeting)


def signed(justering_id: int, person_id: int) -> None:
    j = _load(justering_id)
    person = m.Person.objects.get(pk=person_id)
    to = secretary_emails(j.meeting)
    if to:
        subject, body = message("signed", {"title": title_of(j), "person": person})
        queue_mails(to, subject, body, meeting=j.meeting)


def sent_back(justering_id: int) -> None:
    j = _load(justering_id)
    to = secretary_emails(j.meeting)
    if to:
        subject, body = message("sent_back", {"title": title_of(j), "justering": j})
        queue_mails(to, subject, body, meeting=j.meeting)


def justerat(justering_id: int) -> None:
    j = _load(justering_id)
    to = secretary_emails(j.meeting) + person_emails(_signer_persons(j))
    if to:
        subject, body = message("justerat", {"title": title_of(j)})
        queue_mails(to, subject, body, meeting=j.meeting)


def kallelse(kallelse_id: int) -> None:
    """The kallelse to each member and ersättare it records, with a link to the handlingar."""
    k = m.Kallelse.objects.select_related("meeting__organ").get(pk=kallelse_id)
    meeting = k.meeting
    items = list(meeting.agenda_items.select_related("paper").order_by("position", "id"))
    context = {
        "meeting": meeting,
        "items": items,
        "revised": m.Kallelse.objects.filter(meeting=meeting, pk__lt=k.pk).exists(),
        "url": _site() + reverse("meeting_kallelse", args=[meeting.pk]),
    }
    for recipient in k.recipients:
        role = m.MembershipRole(recipient["role"])
        subject, body = message(
            "kallelse", {**context, "name": recipient["name"], "voting": role != m.MembershipRole.ERSATTARE}
        )
        queue_mail(recipient["email"], subject, body, meeting=meeting)
