"""Expediering: sending each justerad § as a sealed protokollsutdrag to its recipients by e-mail.

The extract is the sealed, registered PDF of ``meetings.export.pdf.export_pdf`` (its
"Utdragsbestyrkan" is the seal), and an extract sent to a party carries the § 's besvärshänvisning
(FL 33 §, ``meetings.appeal``). Every send is a ``Dispatch`` (to whom, by whom, when, the SHA-256 of
the file) and every try to hand it to the mail server a ``DispatchAttempt``; a refused or failed try
is retried at once, up to ``MAX_ATTEMPTS``, and what still failed can be retried later (``retry``).

Sending happens outside the database transaction that creates the dispatches: the row lock on the
meeting only keeps two clicks from sending the same extract twice, it is not held while the mail
server answers.
"""

from __future__ import annotations

import hashlib
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .. import models as m
from ..appeal import appeal_text
from ..export.document import load_meeting
from ..export.pdf import export_pdf
from .base import WorkflowError, locked_meeting

MAX_ATTEMPTS = 3
S = m.DispatchStatus


def may_send(paragraph: m.Paragraph) -> bool:
    """Only a justerad § is sent: the extract must be the final, sealed text."""
    return paragraph.meeting.status in m.FINAL_STATUSES or paragraph.justerad_at is not None


# ---------------------------------------------------------------------------------------------------
# Addresses
# ---------------------------------------------------------------------------------------------------


def address_book(meeting: m.Meeting) -> dict[tuple[int, str], str]:
    """The known address of each (§, printed name): saved for the §, else the register's person of
    that name (``Person.email``, or the e-mail of their user account)."""
    saved = {(r.paragraph_id, r.name): r.email for r in m.Recipient.objects.filter(paragraph__meeting=meeting)}
    names = {name for p in meeting.paragraphs.all() for name in p.recipient_list}
    register: dict[str, str] = {}
    for person in m.Person.objects.filter(name__in=names).select_related("user"):
        address = person.email or (person.user.email if person.user_id else "")
        if address:
            register.setdefault(person.name, address)
    book = {}
    for p in meeting.paragraphs.all():
        for name in p.recipient_list:
            address = saved.get((p.pk, name)) or register.get(name, "")
            if address:
                book[(p.pk, name)] = address
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
                m.Recipient.objects.create(paragraph_id=key[0], name=key[1], email=email)
                changed += 1
            elif email and row.email != email:
                row.email = email
                row.save(update_fields=["email"])
                changed += 1
    return changed


# ---------------------------------------------------------------------------------------------------
# Sending
# ---------------------------------------------------------------------------------------------------


@dataclass
class DispatchReport:
    """What one press of "Skicka" did, for a message that says only what happened."""

    sent: list[m.Dispatch] = field(default_factory=list)
    failed: list[m.Dispatch] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # "§ 313 Sökanden": printed, but no address

    def summary(self) -> str:
        if not (self.sent or self.failed):
            text = "Inga utdrag skickades."
        else:
            total = len(self.sent) + len(self.failed)
            text = f"{len(self.sent)} av {total} utdrag skickades."
            if self.failed:
                reasons = "; ".join(f"{d.name} ({d.email}): {d.last_error}" for d in self.failed)
                text += f" Misslyckades: {reasons}."
        if self.missing:
            text += f" Saknar e-postadress: {', '.join(self.missing)}."
        return text


def _message(dispatch: m.Dispatch, paragraph: m.Paragraph, filename: str, content: bytes) -> EmailMessage:
    meeting = paragraph.meeting
    subject, _, body = render_to_string(
        "emails/expediering.txt",
        {
            "meeting": meeting,
            "paragraph": paragraph,
            "dispatch": dispatch,
            "appeal": appeal_text(paragraph, meeting.organ.name, meeting.date),
            "verify_url": settings.SITE_URL.rstrip("/") + reverse("verify"),
        },
    ).partition("\n")
    message = EmailMessage(subject.strip(), body.lstrip("\n"), settings.DEFAULT_FROM_EMAIL, [dispatch.email])
    message.attach(filename, content, "application/pdf")
    return message


def _attempt(dispatch: m.Dispatch, message: EmailMessage, connection) -> bool:
    """One try to hand ``message`` to the mail server, recorded whatever happens."""
    message.connection = connection  # None: a new connection to the configured server for each try
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        text = f"{getattr(error, 'smtp_code', '')} {error}".strip()[:500] or type(error).__name__
        m.DispatchAttempt.objects.create(dispatch=dispatch, delivered=False, error=text)
        dispatch.attempt_count += 1
        dispatch.status, dispatch.last_error = S.FAILED, text
        dispatch.save(update_fields=["attempt_count", "status", "last_error"])
        return False
    m.DispatchAttempt.objects.create(dispatch=dispatch, delivered=True)
    dispatch.attempt_count += 1
    dispatch.status, dispatch.last_error, dispatch.sent_at = S.SENT, "", timezone.now()
    dispatch.save(update_fields=["attempt_count", "status", "last_error", "sent_at"])
    return True


@dataclass
class Extract:
    filename: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _extract(meeting: m.Meeting, paragraph: m.Paragraph) -> Extract:
    """The sealed extract of one § (stored once; see meetings.export.store)."""
    exported = export_pdf(meeting, [paragraph.number])
    return Extract(exported.filename, exported.content)


def _send(
    dispatches: list[m.Dispatch], meeting: m.Meeting, extracts: dict[int, Extract], report: DispatchReport, connection
) -> None:
    """Send each dispatch with its §'s sealed extract, trying up to MAX_ATTEMPTS times."""
    for dispatch in dispatches:
        paragraph = dispatch.paragraph
        paragraph.meeting = meeting
        extract = extracts[paragraph.pk]
        message = _message(dispatch, paragraph, extract.filename, extract.content)
        for _attempt_number in range(MAX_ATTEMPTS):
            if _attempt(dispatch, message, connection):
                break
        (report.sent if dispatch.status == S.SENT else report.failed).append(dispatch)


def send_extracts(meeting: m.Meeting, user, paragraph_ids: list[int] | None = None, connection=None) -> DispatchReport:
    """Send the sealed extract of each justerad § (of ``paragraph_ids``, or all) to every recipient
    with an address who has not been sent it yet. ``connection`` is a mail connection to use instead
    of the configured one (demo data)."""
    report = DispatchReport()
    meeting = load_meeting(meeting.pk)
    paragraphs = [p for p in meeting.paragraphs.order_by("position", "number") if may_send(p)]
    if paragraph_ids is not None:
        paragraphs = [p for p in paragraphs if p.pk in set(paragraph_ids)]
    if not paragraphs:
        raise WorkflowError("Bara justerade paragrafer kan expedieras.")
    # Rendered (or read from storage) before the lock is taken: a first rendering takes seconds.
    extracts = {p.pk: _extract(meeting, p) for p in paragraphs if p.recipient_list}
    with transaction.atomic():
        locked_meeting(meeting)
        book = address_book(meeting)
        done = set(
            m.Dispatch.objects.filter(paragraph__in=paragraphs)
            .exclude(status=S.FAILED)
            .values_list("paragraph_id", "name")
        )
        created = []
        for p in paragraphs:
            for name in p.recipient_list:
                if (p.pk, name) in done:
                    continue
                email = book.get((p.pk, name))
                if not email:
                    report.missing.append(f"§ {p.number} {name}")
                    continue
                created.append(
                    m.Dispatch.objects.create(
                        paragraph=p,
                        name=name,
                        email=email,
                        sha256=extracts[p.pk].sha256,
                        created_by=user if getattr(user, "pk", None) else None,
                    )
                )
    _send(created, meeting, extracts, report, connection)
    return report


def retry(meeting: m.Meeting, user, connection=None) -> DispatchReport:
    """Try the failed dispatches of the meeting again (to the address saved now, if it changed)."""
    report = DispatchReport()
    meeting = load_meeting(meeting.pk)
    with transaction.atomic():
        locked_meeting(meeting)
        failed = list(
            m.Dispatch.objects.select_for_update()
            .filter(paragraph__meeting=meeting, status=S.FAILED)
            .select_related("paragraph")
        )
        book = address_book(meeting)
        for dispatch in failed:
            dispatch.email = book.get((dispatch.paragraph_id, dispatch.name), dispatch.email)
            dispatch.status = S.PENDING
            dispatch.save(update_fields=["email", "status"])
    extracts = {d.paragraph_id: _extract(meeting, d.paragraph) for d in failed}
    for dispatch in failed:
        # The file sent now is the one recorded (the same bytes unless a rättelse came between).
        if dispatch.sha256 != extracts[dispatch.paragraph_id].sha256:
            dispatch.sha256 = extracts[dispatch.paragraph_id].sha256
            dispatch.save(update_fields=["sha256"])
    _send(failed, meeting, extracts, report, connection)
    return report


def dispatch_summary(meeting: m.Meeting) -> dict[str, int]:
    """Counts for the meeting page: sent, failed, pending."""
    counts = {status: 0 for status in S.values}
    for status in m.Dispatch.objects.filter(paragraph__meeting=meeting).values_list("status", flat=True):
        counts[status] += 1
    return counts
