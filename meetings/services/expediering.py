"""Expediering: sending each justerad § as a sealed protokollsutdrag to its recipients by e-mail.

The extract is the sealed, registered PDF that ``meetings.export.pdf.final_pdf_job`` stores (its
"Utdragsbestyrkan" is the seal), and the e-mail to a party carries the §'s besvärshänvisning (FL 33 §,
``meetings.appeal``). Every send is a ``Dispatch`` (which §, to whom, by whom, when, the SHA-256 of the
file) whose message goes through the e-mail outbox (``meetings.services.mail``): delivered by a task,
each attempt recorded, a refused one retried with backoff, and a failed one tried again on request
(``retry``). The message names the stored file, so the bytes sent are the ones whose hash is recorded.

The row lock on the meeting keeps two clicks from sending the same extract twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .. import models as m
from ..appeal import appeal_text
from ..export.document import load_meeting
from ..export.pdf import final_pdf_job, pdf_filename
from .base import WorkflowError, check_fields, locked_meeting
from .mail import queue_mail, requeue
from .notifications import email_of

# ---------------------------------------------------------------------------------------------------
# Addresses
# ---------------------------------------------------------------------------------------------------


def saved_addresses(meeting: m.Meeting) -> dict[tuple[int, str], str]:
    """The address of each (§, printed name) that the secretary saved: the only addresses an extract
    is sent to. A name is no address: a register person who shares it may be someone else, and a §
    under sekretess (OSL 2009:400) sent to the wrong person is a leak."""
    return {(r.paragraph_id, r.name): r.email for r in m.Recipient.objects.filter(paragraph__meeting=meeting)}


def address_book(meeting: m.Meeting) -> dict[tuple[int, str], str]:
    """What the address form shows for each (§, printed name): the saved address, else a suggestion
    from the register (``Person.email``, or the e-mail of their user account) when exactly one person
    has that name. A suggestion is sent to only once the secretary has saved it with the form, and a
    § under sekretess gets none: its addresses are typed in for it."""
    book = saved_addresses(meeting)
    paragraphs = list(meeting.paragraphs.all())
    names = {name for p in paragraphs if not p.secret for name in p.recipient_list}
    found: dict[str, list[str]] = {}
    for person in m.Person.objects.filter(name__in=names).select_related("user"):
        found.setdefault(person.name, []).append(email_of(person))
    suggestion = {name: addresses[0] for name, addresses in found.items() if len(addresses) == 1 and addresses[0]}
    for p in paragraphs:
        if p.secret:
            continue
        for name in p.recipient_list:
            if (p.pk, name) not in book and name in suggestion:
                book[(p.pk, name)] = suggestion[name]
    return book


def save_addresses(meeting: m.Meeting, addresses: dict[tuple[int, str], str]) -> int:
    """Store the e-mail of each (§ id, printed name); an empty address removes it. Returns how many
    changed. Addresses are not protokoll content, so this works in any status."""
    changed = 0
    with transaction.atomic():
        locked_meeting(meeting)
        printed = {(p.pk, name) for p in meeting.paragraphs.all() for name in p.recipient_list}
        current = {(r.paragraph_id, r.name): r for r in m.Recipient.objects.filter(paragraph__meeting=meeting)}
        for key, email in addresses.items():
            if key not in printed:
                raise WorkflowError("Mottagaren finns inte under ”Beslutet skickas till”. Ladda om sidan.")
            row = current.get(key)
            if not email and row is not None:
                row.delete()
                changed += 1
            elif email and row is None:
                row = m.Recipient(paragraph_id=key[0], name=key[1], email=email)
                check_fields(row, ["name", "email"])
                row.save()
                changed += 1
            elif email and row.email != email:
                row.email = email
                check_fields(row, ["email"])
                row.save(update_fields=["email"])
                changed += 1
    return changed


# ---------------------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------------------


@dataclass
class DispatchReport:
    """What one press of "Skicka" did, for a message that says only what happened: sent (the mail
    server took it), waiting (queued for a worker or a retry), failed, and names without an address."""

    dispatches: list[m.Dispatch] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # "§ 313 Sökanden": printed, but no address

    def _with(self, status: str) -> list[m.Dispatch]:
        return [d for d in self.dispatches if d.mail.status == status]

    @property
    def sent(self) -> list[m.Dispatch]:
        return self._with(m.MailStatus.SENT)

    @property
    def waiting(self) -> list[m.Dispatch]:
        return self._with(m.MailStatus.QUEUED)

    @property
    def failed(self) -> list[m.Dispatch]:
        return self._with(m.MailStatus.FAILED)

    def refresh(self) -> DispatchReport:
        """Read where each message stands now (after the outbox had its first try)."""
        mails = m.OutgoingMail.objects.in_bulk([d.mail_id for d in self.dispatches])
        for dispatch in self.dispatches:
            dispatch.mail = mails[dispatch.mail_id]
        return self

    def summary(self) -> str:
        if not self.dispatches:
            text = "Inga utdrag skickades."
        else:
            text = f"{len(self.sent)} av {len(self.dispatches)} utdrag skickades."
            if self.waiting:
                text += f" {len(self.waiting)} väntar på att skickas."
            if self.failed:
                reasons = "; ".join(f"{d.name} ({d.email}): {d.mail.last_error}" for d in self.failed)
                text += f" Misslyckades: {reasons}."
        if self.missing:
            text += f" Saknar e-postadress: {', '.join(self.missing)}."
        return text


@dataclass
class Extract:
    """A §'s sealed extract as stored: its name in the e-mail, in the storage, and its bytes."""

    filename: str
    storage_name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _extract(meeting: m.Meeting, paragraph: m.Paragraph) -> Extract:
    """The sealed extract of one § (rendered and stored now if the worker has not done it yet)."""
    job = final_pdf_job(meeting, [paragraph.number])
    return Extract(pdf_filename(meeting, [paragraph.number]), job.name, job.run())


def _queue(dispatch_fields: dict, paragraph: m.Paragraph, extract: Extract, user) -> m.Dispatch:
    """Record the dispatch and queue its message with the stored extract attached."""
    meeting = paragraph.meeting
    subject, _, body = render_to_string(
        "emails/expediering.txt",
        {
            "meeting": meeting,
            "paragraph": paragraph,
            "name": dispatch_fields["name"],
            "appeal": appeal_text(paragraph, meeting.organ.name, meeting.date),
            "verify_url": settings.SITE_URL.rstrip("/") + reverse("verify"),
        },
    ).partition("\n")
    mail = queue_mail(
        dispatch_fields["email"],
        subject.strip(),
        body.lstrip("\n"),
        meeting=meeting,
        attachment=(extract.filename, extract.storage_name),
    )
    return m.Dispatch.objects.create(
        paragraph=paragraph,
        sha256=extract.sha256,
        mail=mail,
        created_by=user if getattr(user, "pk", None) else None,
        **dispatch_fields,
    )


def send_extracts(meeting: m.Meeting, user, paragraph_ids: list[int] | None = None) -> DispatchReport:
    """Send the sealed extract of each justerad § (of ``paragraph_ids``, or all) to every recipient
    with an address who has not been sent it (a failed send is tried again with ``retry``)."""
    report = DispatchReport()
    meeting = load_meeting(meeting.pk)
    # Only a justerad § is sent, the extract being its final, sealed text: the § is final exactly
    # when only a rättelse may change it.
    paragraphs = [p for p in meeting.paragraphs.order_by("position", "number") if p.may_be_corrected]
    if paragraph_ids is not None:
        paragraphs = [p for p in paragraphs if p.pk in set(paragraph_ids)]
    if not paragraphs:
        raise WorkflowError("Bara justerade paragrafer kan expedieras.")
    # Read (or rendered) before the lock is taken: a first rendering takes seconds.
    extracts = {p.pk: _extract(meeting, p) for p in paragraphs if p.recipient_list}
    with transaction.atomic():
        locked_meeting(meeting)
        book = saved_addresses(meeting)
        done = set(m.Dispatch.objects.filter(paragraph__in=paragraphs).values_list("paragraph_id", "name"))
        for p in paragraphs:
            for name in p.recipient_list:
                if (p.pk, name) in done:
                    continue
                email = book.get((p.pk, name))
                if not email:
                    report.missing.append(f"§ {p.number} {name}")
                    continue
                report.dispatches.append(_queue({"name": name, "email": email}, p, extracts[p.pk], user))
    return report.refresh()


def retry(meeting: m.Meeting, user) -> DispatchReport:
    """Try the failed sends of the meeting again: the same message when the address is unchanged, a
    new send (and record) to the address saved now when it was corrected."""
    report = DispatchReport()
    meeting = load_meeting(meeting.pk)
    latest: dict[tuple[int, str], m.Dispatch] = {}
    for dispatch in (
        m.Dispatch.objects.filter(paragraph__meeting=meeting).select_related("paragraph", "mail").order_by("id")
    ):
        latest[(dispatch.paragraph_id, dispatch.name)] = dispatch
    # The last send to each recipient counts: one that failed after a later one went is history.
    failed = [d for d in latest.values() if d.mail.status == m.MailStatus.FAILED]
    extracts = {d.paragraph_id: _extract(meeting, d.paragraph) for d in failed}
    with transaction.atomic():
        locked_meeting(meeting)
        book = saved_addresses(meeting)
        for dispatch in failed:
            dispatch.paragraph.meeting = meeting
            email = book.get((dispatch.paragraph_id, dispatch.name), dispatch.email)
            if email == dispatch.email and dispatch.sha256 == extracts[dispatch.paragraph_id].sha256:
                requeue(dispatch.mail)
                report.dispatches.append(dispatch)
            else:
                fields = {"name": dispatch.name, "email": email}
                report.dispatches.append(_queue(fields, dispatch.paragraph, extracts[dispatch.paragraph_id], user))
    return report.refresh()


def dispatch_summary(meeting: m.Meeting) -> dict[str, int]:
    """Counts for the meeting page, by the outbox's status of each send's message."""
    counts = {status: 0 for status in m.MailStatus.values}
    for status in m.Dispatch.objects.filter(paragraph__meeting=meeting).values_list("mail__status", flat=True):
        counts[status] += 1
    return counts
