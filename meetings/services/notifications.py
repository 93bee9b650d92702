"""E-mail notifications of the justering workflow and the kallelse, through the outbox
(``meetings.services.mail``; console in development).

Each workflow function takes ids, queues one message per person and returns a ``MailReport`` of
whom it reached, whose message waits for a retry or failed, and who has no address, so that the page
can say exactly that ("3 av 3 undertecknare fick e-post; Mikael Rubin saknar e-postadress"). The
workflow calls them through ``transaction.on_commit`` (``notify_on_commit``), so a mail is queued
only for a change that was stored, and the report stays unfinished, and claims nothing, until it is.
Subjects and bodies are templates in ``templates/emails/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .. import models as m
from .mail import queue_mail


@dataclass
class MailReport:
    """Whom a notification reached. ``done`` is False until the messages have been queued (after
    commit); ``waiting`` are those the outbox has not delivered yet (a worker will, or a retry)."""

    audience: str = "mottagare"  # "undertecknare", "sekreterare": the plural noun for the summary
    sent: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    done: bool = False

    def absorb(self, other: MailReport) -> None:
        for name in ("sent", "waiting", "failed", "missing"):
            getattr(self, name).extend(getattr(other, name))
        self.done = True

    @property
    def level(self) -> int:
        """The level of the message that tells it: a warning when someone did not get the e-mail."""
        return message_levels.WARNING if self.failed or self.missing else message_levels.INFO

    def summary(self) -> str:
        """ "3 av 3 undertecknare fick e-post; Mikael Rubin saknar e-postadress"."""
        total = len(self.sent) + len(self.waiting) + len(self.failed) + len(self.missing)
        if not total:
            return f"Det finns ingen {self.audience} att skicka e-post till."
        parts = [f"{len(self.sent)} av {total} {self.audience} fick e-post"]
        if self.waiting:
            parts.append(f"e-posten till {_names(self.waiting)} väntar på att skickas")
        if self.missing:
            parts.append(f"{_names(self.missing)} saknar e-postadress")
        if self.failed:
            parts.append(f"e-posten till {_names(self.failed)} kunde inte skickas")
        return "; ".join(parts) + "."


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} och {names[-1]}"


@dataclass
class Addressee:
    name: str
    email: str


def notify_on_commit(send: Callable[..., MailReport], *args, audience: str) -> MailReport:
    """Run ``send(*args)`` once the current transaction commits; the returned report fills then."""
    report = MailReport(audience=audience)
    transaction.on_commit(lambda: report.absorb(send(*args)), robust=True)
    return report


def _site() -> str:
    return settings.SITE_URL.rstrip("/")


def email_of(person: m.Person) -> str:
    """The person's own address, else their user account's; empty when neither has one."""
    return person.email or (person.user.email if person.user_id else "")


def person_emails(persons) -> list[str]:
    return [address for address in map(email_of, persons) if address]


def _person(person: m.Person) -> Addressee:
    return Addressee(person.name, email_of(person))


def _secretaries(meeting: m.Meeting) -> list[Addressee]:
    """The organ's secretaries (users) and the meeting's own secretary, each once."""
    people: dict[str, Addressee] = {}
    for user in meeting.organ.secretaries.select_related("person"):
        person = getattr(user, "person", None)
        name = person.name if person else user.get_username()
        people[name] = Addressee(name, user.email or (person.email if person else ""))
    if meeting.secretary and meeting.secretary.name not in people:
        people[meeting.secretary.name] = _person(meeting.secretary)
    return list(people.values())


def secretary_emails(meeting: m.Meeting) -> list[str]:
    return sorted({who.email for who in _secretaries(meeting) if who.email})


def _send(addressees: list[Addressee], subject: str, body: str, audience: str, meeting: m.Meeting) -> MailReport:
    """Queue one message per addressee and report where each stands once the outbox has tried it
    (at once with the in-process task backend; later with a worker)."""
    report = MailReport(audience=audience, done=True)
    queued: dict[int, str] = {}
    for who in addressees:
        if who.email:
            queued[queue_mail(who.email, subject, body, meeting=meeting).pk] = who.name
        else:
            report.missing.append(who.name)
    statuses = dict(m.OutgoingMail.objects.filter(pk__in=queued).values_list("pk", "status"))
    for pk, name in queued.items():
        status = statuses.get(pk)
        bucket = {m.MailStatus.SENT: report.sent, m.MailStatus.FAILED: report.failed}.get(status, report.waiting)
        bucket.append(name)
    return report


def _load(justering_id: int) -> m.Justering:
    return m.Justering.objects.select_related("meeting__organ", "meeting__secretary__user", "returned_by").get(
        pk=justering_id
    )


def title_of(j: m.Justering) -> str:
    kind = "Omedelbar justering" if j.immediate else "Protokoll"
    return f"{kind} {j.meeting.organ.name} {j.meeting.date:%Y-%m-%d}"


def _signers(j: m.Justering) -> list[Addressee]:
    signatures = j.signatures.select_related("person__user").filter(status__in=m.LIVE_SIGNATURE_STATUSES)
    return [_person(s.person) for s in signatures]


def message(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) of ``templates/emails/<template>.txt``: its first line is the subject."""
    subject, _, body = render_to_string(f"emails/{template}.txt", context).partition("\n")
    return subject.strip(), body.lstrip("\n")


def previous_return(j: m.Justering) -> m.Justering | None:
    """The round of the same protokoll that was last sent back before ``j`` (its comment is news to
    every signer of ``j``, not only to the one who wrote it)."""
    return (
        m.Justering.objects.filter(meeting_id=j.meeting_id, immediate=j.immediate, status=m.JusteringStatus.ATERSANT)
        .filter(sent_at__lte=j.sent_at)
        .exclude(pk=j.pk)
        .select_related("returned_by")
        .order_by("-sent_at", "-id")
        .first()
    )


def sent_to_signers(justering_id: int) -> MailReport:
    j = _load(justering_id)
    context = {
        "title": title_of(j),
        "justering": j,
        "url": _site() + reverse("justering_detail", args=[j.pk]),
        "returned": previous_return(j),
    }
    return _send(_signers(j), *message("sent_to_signers", context), audience="undertecknare", meeting=j.meeting)


def signed(justering_id: int, person_id: int) -> MailReport:
    j = _load(justering_id)
    person = m.Person.objects.get(pk=person_id)
    subject, body = message("signed", {"title": title_of(j), "person": person})
    return _send(_secretaries(j.meeting), subject, body, audience="sekreterare", meeting=j.meeting)


def sent_back(justering_id: int) -> MailReport:
    """To the secretaries and to every signer of the round: the comment concerns them all."""
    j = _load(justering_id)
    subject, body = message("sent_back", {"title": title_of(j), "justering": j})
    report = _send(_secretaries(j.meeting), subject, body, audience="sekreterare", meeting=j.meeting)
    others = {
        s.person_id: _person(s.person)
        for s in j.signatures.select_related("person__user").exclude(person_id=j.returned_by_id)
        if s.status == m.SignatureStatus.ATERKALLAT
    }
    _send(list(others.values()), subject, body, audience="undertecknare", meeting=j.meeting)
    return report


def justerat(justering_id: int) -> MailReport:
    j = _load(justering_id)
    people = {who.name: who for who in _secretaries(j.meeting) + _signers(j)}
    subject, body = message("justerat", {"title": title_of(j)})
    return _send(list(people.values()), subject, body, audience="mottagare", meeting=j.meeting)


def kallelse_key(kallelse_id: int, person_id: int) -> str:
    """The outbox key of one kallelse's message to one person: it finds the message's status again."""
    return f"kallelse:{kallelse_id}:{person_id}"


def kallelse_reports(kallelser: list[m.Kallelse]) -> dict[int, MailReport]:
    """Where each sending of the kallelse stands, as the outbox has it (one query): whom it reached,
    whose message waits or failed, and who has no address. A message not queued yet waits."""
    keys = {kallelse_key(k.pk, r["person"]): (k.pk, r["name"]) for k in kallelser for r in k.recipients}
    statuses = dict(m.OutgoingMail.objects.filter(key__in=keys).values_list("key", "status"))
    reports = {
        k.pk: MailReport(audience="ledamöter och ersättare", missing=list(k.missing), done=True) for k in kallelser
    }
    for key, (pk, name) in keys.items():
        report = reports[pk]
        bucket = {m.MailStatus.SENT: report.sent, m.MailStatus.FAILED: report.failed}.get(statuses.get(key))
        (bucket if bucket is not None else report.waiting).append(name)
    return reports


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
        queue_mail(recipient["email"], subject, body, meeting=meeting, key=kallelse_key(k.pk, recipient["person"]))
