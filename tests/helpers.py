"""Helpers shared by tests of more than one module: plain functions and constants, no fixtures (those
are in conftest.py). Not a test module, so any test module may import it."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from backoffice.forms import SECTION_FORMSETS
from meetings import models as m
from meetings.demo import text_pdf
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from meetings.services import papers as paper_service
from meetings.uploads import check_upload

# What the shared ``justerat`` protokoll (conftest.py) must never show the public: the words of its §
# under sekretess, and the personnummer in the summary of its § Budget.
SECRET_WORDS = ("Personalärende", "Hemlig", "bevilja")
PERSONNUMMER = "19850412-1234"
# Words of the shared ``world`` (conftest.py) that only unpublished protokoll hold: a draft, a justerat
# protokoll not posted, and one whose anslag goes up tomorrow.
DRAFT_WORD = "Utkastord"
UNPOSTED_WORD = "Ejanslaget"
FUTURE_WORD = "Framtidsord"


def sign_all(justering):
    """Every signer of the round who has not signed yet signs it."""
    for s in list(justering.signatures.filter(status="pagar")):
        justering_service.sign(justering, s.person)


def make_anslag(justering, alice, posted_on: dt.date) -> m.Anslag:
    """Post ``justering`` on ``posted_on``, justerat that same day (the workflow refuses earlier)."""
    when = timezone.make_aware(dt.datetime.combine(posted_on, dt.time(12)))
    m.Justering.objects.filter(pk=justering.pk).update(completed_at=when)
    justering.refresh_from_db()
    return anslag_service.post_anslag(justering, alice, posted_on, backdate=True)


def bulk_anslag(organ: m.Organ, count: int, posted_on: dt.date, user) -> list[m.Anslag]:
    """``count`` posted anslag of ``organ`` made with bulk_create, bypassing the workflow (fast)."""
    from meetings import dates

    meetings = m.Meeting.objects.bulk_create(
        m.Meeting(organ=organ, date=posted_on - dt.timedelta(days=5), start_time=dt.time(9), place="Sessionssalen")
        for _ in range(count)
    )
    justeringar = m.Justering.objects.bulk_create(
        m.Justering(meeting=meeting, status=m.JusteringStatus.JUSTERAT) for meeting in meetings
    )
    return m.Anslag.objects.bulk_create(
        m.Anslag(
            justering=justering,
            meeting=justering.meeting,
            organ=organ,
            paragraphs_label=f"§ {i + 1}",
            justerat_on=posted_on,
            posted_on=posted_on,
            appeal_until=dates.appeal_deadline(posted_on),
            take_down_on=dates.default_take_down(posted_on),
            storage_location=organ.storage_location,
            secretary_name="Alice Sekreterare",
            posted_by=user,
        )
        for i, justering in enumerate(justeringar)
    )


def client_for(user) -> Client:
    """A test client logged in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def post_signature(client, justering, password="pw-for-tests", content_hash=None):
    """Sign ``justering`` through the signing view, with a password and the content hash one has seen."""
    if content_hash is None:
        content_hash = justering.content_hash
    return client.post(
        reverse("justering_sign", args=[justering.pk]), {"password": password, "content_hash": content_hash}
    )


def editor_data(paragraph, rows=None, **fields):
    """POST data for the paragraph editor; ``rows`` maps a section to a list of row dicts."""
    rows = rows or {}
    data = {
        "version": paragraph.version,
        "number": paragraph.number,
        "title": paragraph.title,
        "dnr": paragraph.dnr,
        "summary": paragraph.summary,
        "basis": paragraph.basis,
        "proposal": paragraph.proposal,
        "decision_intro": paragraph.decision_intro,
        "decision_text": paragraph.decision_text,
        "proposition_order": paragraph.proposition_order,
        "recipients": paragraph.recipients,
        "appeal_route": paragraph.appeal_route,
        "appeal_body": paragraph.appeal_body,
        "appeal_law": paragraph.appeal_law,
        "not_appealable_reason": paragraph.not_appealable_reason,
        "action": "save",
    }
    for key in SECTION_FORMSETS:
        existing = [r for r in rows.get(key, []) if r.get("id")]
        data[f"{key}-TOTAL_FORMS"] = len(rows.get(key, []))
        data[f"{key}-INITIAL_FORMS"] = len(existing)
        data[f"{key}-MIN_NUM_FORMS"] = 0
        data[f"{key}-MAX_NUM_FORMS"] = 1000
        for i, row in enumerate(rows.get(key, [])):
            for name, value in row.items():
                data[f"{key}-{i}-{name}"] = value
    data.update(fields)
    return data


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with whitespace collapsed, so that line breaks do not matter."""
    return [normalise(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def normalise(text: str) -> str:
    return re.sub(r"\s+,", ",", re.sub(r"\s+", " ", text)).strip()


def pdf_upload(name: str = "handling.pdf", lines: list[str] | None = None) -> SimpleUploadedFile:
    """A small PDF with a text layer, as a browser would upload it."""
    return SimpleUploadedFile(name, text_pdf(lines or ["Tjänsteskrivelse"]), content_type="application/pdf")


def handling(paper: m.Paper, name: str = "Tjänsteskrivelse", public: bool = True, lines=None) -> m.File:
    """A handling of ``paper`` stored through the service (checked like an upload)."""
    upload = pdf_upload(f"{name}.pdf", lines)
    checked = check_upload(upload)
    return paper_service.add_handling(paper, upload=upload, checked=checked, name=name, public=public, user=None)


def bilaga(paragraph: m.Paragraph, name: str = "Karta", public: bool = True, lines=None) -> m.File:
    """A bilaga of ``paragraph`` (of a draft) stored through the service."""
    upload = pdf_upload(f"{name}.pdf", lines)
    checked = check_upload(upload)
    return paper_service.add_bilaga(paragraph, upload=upload, checked=checked, name=name, public=public, user=None)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (servers started by tests bind it)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The database task backend, for tests that run its worker (``run_worker``).
WORKER_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "documents"]}}


def run_worker() -> None:
    """Run every task that is due now, as ``manage.py db_worker --batch`` would, inside the test's
    transaction: the worker's connection recycling is switched off, since it would close the
    connection that holds the test's transaction (on PostgreSQL)."""
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--interval", "0", verbosity=0)


class ProbeMailBackend:
    """An e-mail backend for tests (``EMAIL_BACKEND = "tests.helpers.ProbeMailBackend"``): it raises
    ``ProbeMailBackend.fail`` (an exception, then cleared) on the next send, and otherwise keeps each
    message with whether a database transaction was open while it was being sent."""

    sent: list = []
    message_ids: list[str] = []
    in_transaction: list[bool] = []
    fail: Exception | None = None

    def __init__(self, fail_silently: bool = False, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:
        from django.db import connection

        type(self).in_transaction.append(connection.in_atomic_block)
        type(self).message_ids.extend(message.message()["Message-ID"] for message in messages)
        error, type(self).fail = type(self).fail, None
        if error is not None:
            raise error
        type(self).sent.extend(messages)
        return len(messages)

    @classmethod
    def reset(cls) -> None:
        cls.sent, cls.message_ids, cls.in_transaction, cls.fail = [], [], [], None
