"""E-mail notifications of the justering workflow and the kallelse (Django's mail framework;
console in development).

Each function takes ids and is called through ``transaction.on_commit``, so a mail goes out only for
a change that was stored. Subjects and bodies are templates in ``templates/emails/``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse

from .. import models as m


def _site() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def email_of(person: m.Person) -> str:
    """The person's own address, else their user account's; empty when neither has one."""
    return person.email or (person.user.email if person.user_id else "")


def _emails(persons) -> list[str]:
    return [address for address in map(email_of, persons) if address]


def _secretary_emails(meeting: m.Meeting) -> list[str]:
    addresses = [u.email for u in meeting.organ.secretaries.all() if u.email]
    if meeting.secretary:
        addresses += _emails([meeting.secretary])
    return sorted(set(addresses))


def _load(justering_id: int) -> m.Justering:
    return m.Justering.objects.select_related("meeting__organ", "meeting__secretary").get(pk=justering_id)


def _title(j: m.Justering) -> str:
    kind = "Omedelbar justering" if j.immediate else "Protokoll"
    return f"{kind} {j.meeting.organ.name} {j.meeting.date:%Y-%m-%d}"


def _signer_persons(j: m.Justering):
    return [s.person for s in j.signatures.select_related("person__user").filter(status__in=m.LIVE_SIGNATURE_STATUSES)]


def _message(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) of ``templates/emails/<template>.txt``: its first line is the subject."""
    subject, _, body = render_to_string(f"emails/{template}.txt", context).partition("\n")
    return subject.strip(), body.lstrip("\n")


def sent_to_signers(justering_id: int) -> None:
    j = _load(justering_id)
    to = _emails(_signer_persons(j))
    if to:
        subject, body = _message(
            "sent_to_signers", {"title": _title(j), "justering": j, "url": _site() + reverse("att_justera")}
        )
        send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in to])


def signed(justering_id: int, person_id: int) -> None:
    j = _load(justering_id)
    person = m.Person.objects.get(pk=person_id)
    to = _secretary_emails(j.meeting)
    if to:
        subject, body = _message("signed", {"title": _title(j), "person": person})
        send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, to)])


def sent_back(justering_id: int) -> None:
    j = _load(justering_id)
    to = _secretary_emails(j.meeting)
    if to:
        subject, body = _message("sent_back", {"title": _title(j), "justering": j})
        send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, to)])


def justerat(justering_id: int) -> None:
    j = _load(justering_id)
    to = sorted(set(_secretary_emails(j.meeting) + _emails(_signer_persons(j))))
    if to:
        subject, body = _message("justerat", {"title": _title(j)})
        send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, to)])


def _deliver(messages: list[tuple[str, str, str, list[str]]]) -> None:
    """Send now with Django's mail: the one place to hand the messages to an outbox instead."""
    send_mass_mail(messages)


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
    messages = []
    for recipient in k.recipients:
        role = m.MembershipRole(recipient["role"])
        subject, body = _message(
            "kallelse", {**context, "name": recipient["name"], "voting": role != m.MembershipRole.ERSATTARE}
        )
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [recipient["email"]]))
    if messages:
        _deliver(messages)
