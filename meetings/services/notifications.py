"""E-mail notifications of the justering workflow (Django's mail framework; console in development).

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


def _emails(persons) -> list[str]:
    out = []
    for p in persons:
        address = p.email or (p.user.email if p.user_id else "")
        if address:
            out.append(address)
    return out


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
