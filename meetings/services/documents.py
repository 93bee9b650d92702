"""Documents made once, by tasks: never inside a web request.

- When a protokoll becomes justerat (``justering._complete``): the sealed Protokoll, then every
  Protokollsutdrag (one per §), for download and expediering. For an omedelbar justering: the
  extract of its §§ and of each §.
- When the anslag is posted, and after each rättelse: the public version (the HTML of the protokoll
  and the sealed PDF, ``meetings.export.public_pdf``), recorded on the Anslag; then the staff PDFs
  again, since their ANSLAG/BEVIS block (or content) changed.

Every file is stored under a hash of what decides its bytes (``meetings.export.store``), so running a
task twice stores one file; a task that finds its file stored does nothing. A download that comes
before its task has finished asks for it again (``prepared_pdf``): with the in-process backend it is
rendered there and then, with a worker the page says it is being prepared.

What has been asked for is kept in the database (``RenderRequest``), not in a cache: a render is
queued once whichever app server asks, one that was lost with its worker is queued again after
``STUCK_AFTER``, a failed one is tried again by the periodic run (``sweep_renders``) up to
``MAX_ATTEMPTS`` times, and then staff see that it failed instead of a page that waits forever.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from .. import models as m
from .. import publication
from ..export.document import load_meeting
from ..export.pdf import ExportedPdf, final_pdf_job, pdf_filename
from ..export.public_pdf import anslag_document, public_pdf
from ..export.render import TEMPLATE_VERSION
from ..export.store import stored_pdf

logger = logging.getLogger(__name__)

PUBLIC_HTML_PREFIX = "public-html"
# A render still queued this long after it was asked for was lost (its worker died, or the queue
# was emptied): it is queued again. Longer than the render of a 100-§ protokoll with a busy queue.
STUCK_AFTER = datetime.timedelta(minutes=10)
# How often a failing render is tried before staff are told it cannot be made.
MAX_ATTEMPTS = 3


def queue_justerat_documents(justering: m.Justering) -> None:
    """After the commit that completes ``justering``, render its documents."""
    from ..tasks import enqueue, render_justerat_documents

    pk = justering.pk
    transaction.on_commit(lambda: enqueue(render_justerat_documents, pk), robust=True)


def queue_public_version(anslag: m.Anslag) -> None:
    """After the commit that posts ``anslag`` (or corrects its text), render its public version."""
    pk = anslag.pk

    def request() -> None:
        revision = m.Anslag.objects.filter(pk=pk).values_list("public_revision", flat=True).get()
        _request(_public_key(pk, revision), anslag_id=pk)

    transaction.on_commit(request, robust=True)


def _public_key(anslag_id: int, revision: int) -> str:
    return f"public:{anslag_id}:{revision}"


def _pdf_key(name: str) -> str:
    return f"pdf:{name}"


def _request(
    key: str,
    *,
    meeting_id: int | None = None,
    numbers: list[int] | None = None,
    anslag_id: int | None = None,
    retry_failed: bool = False,
) -> m.RenderRequest:
    """Queue the render named ``key`` unless it is done, queued a moment ago, or has failed (a
    failed one only with ``retry_failed``, while attempts remain). The row and its lock make this
    hold across app servers: two that ask at once queue one task."""
    now = timezone.now()
    # Without a lock first: a crowd on an anslag whose version is being rendered only reads.
    known = m.RenderRequest.objects.filter(key=key).first()
    if known is not None and not _due(known, now, retry_failed):
        return known
    with transaction.atomic():
        try:
            with transaction.atomic():
                row, created = m.RenderRequest.objects.get_or_create(
                    key=key,
                    defaults={
                        "meeting_id": meeting_id,
                        "numbers": numbers,
                        "anslag_id": anslag_id,
                        "requested_at": now,
                    },
                )
        except IntegrityError:  # created by another server between our read and our insert
            created = False
        row = m.RenderRequest.objects.select_for_update().get(key=key)
        if not created and not _due(row, now, retry_failed):
            return row
        row.status, row.requested_at, row.attempts = m.RenderStatus.QUEUED, now, row.attempts + 1
        row.save(update_fields=["status", "requested_at", "attempts"])
    _enqueue(row)  # the in-process backend renders it now
    return row


def _due(row: m.RenderRequest, now: datetime.datetime, retry_failed: bool) -> bool:
    """Whether a known render is to be queued (again): lost, or failed with attempts left and asked."""
    if row.status == m.RenderStatus.QUEUED:
        return row.requested_at <= now - STUCK_AFTER
    if row.status == m.RenderStatus.FAILED:
        return retry_failed and row.attempts < MAX_ATTEMPTS
    return False


def _enqueue(row: m.RenderRequest) -> None:
    from ..tasks import enqueue, render_document, render_public_version

    if row.anslag_id is not None:
        enqueue(render_public_version, row.anslag_id)
    else:
        enqueue(render_document, row.meeting_id, row.numbers)


def _finished(key: str, error: Exception | None = None, **target) -> None:
    """Record how the render named ``key`` ended (a render queued without a row, by the fan-out of
    ``render_justerat_documents``, gets one when it fails, so that the periodic run retries it)."""
    status = m.RenderStatus.DONE if error is None else m.RenderStatus.FAILED
    reason = "" if error is None else f"{type(error).__name__}: {error}"[:2000]
    now = timezone.now()
    updated = m.RenderRequest.objects.filter(key=key).update(status=status, finished_at=now, error=reason)
    if not updated and error is not None:
        m.RenderRequest.objects.get_or_create(
            key=key,
            defaults={
                "status": status,
                "attempts": 1,
                "requested_at": now,
                "finished_at": now,
                "error": reason,
                **target,
            },
        )


def sweep_renders(now: datetime.datetime | None = None) -> int:
    """Queue again every render that was lost (still queued after ``STUCK_AFTER``) or failed with
    attempts left; the periodic run calls this. Returns how many."""
    now = now or timezone.now()
    due = m.RenderRequest.objects.filter(status=m.RenderStatus.QUEUED, requested_at__lte=now - STUCK_AFTER) | (
        m.RenderRequest.objects.filter(status=m.RenderStatus.FAILED, attempts__lt=MAX_ATTEMPTS)
    )
    rows = list(due.values_list("key", "meeting_id", "numbers", "anslag_id"))
    for key, meeting_id, numbers, anslag_id in rows:
        _request(key, meeting_id=meeting_id, numbers=numbers, anslag_id=anslag_id, retry_failed=True)
    return len(rows)


def retry_failed_renders(requests: QuerySet[m.RenderRequest]) -> int:
    """Queue failed renders again from their first attempt (an administrator fixed the cause)."""
    rows = list(requests.filter(status=m.RenderStatus.FAILED).values_list("key", "meeting_id", "numbers", "anslag_id"))
    for key, meeting_id, numbers, anslag_id in rows:
        m.RenderRequest.objects.filter(key=key).update(attempts=0)
        _request(key, meeting_id=meeting_id, numbers=numbers, anslag_id=anslag_id, retry_failed=True)
    return len(rows)


def queue_after_correction(meeting: m.Meeting) -> None:
    """Inside the transaction of a rättelse: it changes every document of the meeting. A posted
    protokoll gets a new public revision (a task rendering the old one will not record it) and the
    public lists a new generation; then everything is rendered anew."""
    posted = {a.justering_id: a for a in m.Anslag.objects.filter(meeting=meeting)}
    if posted:
        m.Anslag.objects.filter(meeting=meeting).update(public_revision=F("public_revision") + 1)
        publication.bump()
    for justering in m.Justering.objects.filter(meeting=meeting, status=m.JusteringStatus.JUSTERAT):
        if justering.pk in posted:
            queue_public_version(posted[justering.pk])
        else:
            queue_justerat_documents(justering)


def replace_public_version(meeting: m.Meeting) -> None:
    """Inside the transaction that changes what a posted protokoll's public version shows outside a
    rättelse (a bilaga withdrawn from the public, or published): the stored files stop being served
    at once, since they may show what must no longer be public, and new ones are rendered."""
    posted = list(m.Anslag.objects.filter(meeting=meeting))
    if not posted:
        return
    m.Anslag.objects.filter(meeting=meeting).update(
        public_html_name="", public_pdf_name="", rendered_revision=None, public_revision=F("public_revision") + 1
    )
    publication.bump()
    for anslag in posted:
        queue_public_version(anslag)


def _round_numbers(justering: m.Justering) -> list[int]:
    if justering.immediate:
        return sorted(p.number for p in justering.paragraphs.all())
    return sorted(justering.meeting.paragraphs.values_list("number", flat=True))


def render_justerat_documents(justering_id: int) -> list[int]:
    """The Protokoll (or the omedelbar justering's extract) now, then a task per § extract, so that
    several workers share a long protokoll. Returns the §§ queued."""
    from ..tasks import enqueue, render_document

    justering = m.Justering.objects.select_related("meeting").get(pk=justering_id)
    meeting = load_meeting(justering.meeting_id)
    numbers = _round_numbers(justering)
    first = numbers if justering.immediate else None
    job = final_pdf_job(meeting, first)
    if job is None:
        return []  # no longer final (cannot happen through the workflow)
    try:
        job.run()
    except Exception as error:
        _finished(_pdf_key(job.name), error, meeting_id=meeting.pk, numbers=first)
        raise
    _finished(_pdf_key(job.name))
    singles = numbers if (not justering.immediate or len(numbers) > 1) else []
    for number in singles:
        enqueue(render_document, meeting.pk, [number])
    return singles


def render_document(meeting_id: int, numbers: list[int] | None) -> bool:
    """One final PDF; True when it was stored by this call."""
    job = final_pdf_job(load_meeting(meeting_id), numbers)
    if job is None:
        return False
    key = _pdf_key(job.name)
    if job.stored() is not None:
        _finished(key)
        return False
    try:
        job.run()
    except Exception as error:
        _finished(key, error, meeting_id=meeting_id, numbers=numbers)
        raise
    _finished(key)
    return True


def _public_html(doc) -> str:
    # Bilagor link to the public download (anslagstavla.views.public_file).
    return render_to_string("public/_document.html", {"doc": doc, "attachment_url": "public_file"})


def render_public_version(anslag_id: int) -> str:
    """Store the public HTML and sealed PDF of the anslag and record them on it; then the staff PDFs
    with the ANSLAG/BEVIS dates. A task that started before a later rättelse records nothing."""
    from ..tasks import enqueue, render_justerat_documents

    anslag = m.Anslag.objects.select_related("justering", "meeting__organ", "organ").get(pk=anslag_id)
    revision = anslag.public_revision
    key = _public_key(anslag.pk, revision)
    try:
        result = _render_public_version(anslag, revision)
    except Exception as error:
        _finished(key, error, anslag_id=anslag.pk)
        raise
    _finished(key)
    if result == "stored":
        enqueue(render_justerat_documents, anslag.justering_id)
    return result


def _render_public_version(anslag: m.Anslag, revision: int) -> str:
    doc = anslag_document(anslag)
    html = _public_html(doc)
    key = hashlib.sha256(f"{TEMPLATE_VERSION}\n{html}".encode()).hexdigest()
    html_name = f"{PUBLIC_HTML_PREFIX}/{anslag.pk}/{key}.html"
    stored_pdf(html_name, html.encode)
    pdf_name = public_pdf(anslag, doc).name
    with transaction.atomic():
        current = m.Anslag.objects.select_for_update().get(pk=anslag.pk)
        if current.public_revision != revision:
            return "outdated"
        recorded = (current.rendered_revision, current.public_html_name, current.public_pdf_name)
        if recorded != (revision, html_name, pdf_name):
            m.Anslag.objects.filter(pk=anslag.pk).update(
                public_html_name=html_name,
                public_pdf_name=pdf_name,
                rendered_revision=revision,
                public_rendered_at=timezone.now(),
            )
            publication.bump()
    return "stored"


def forget_lost_public_version(anslag_id: int) -> None:
    """The recorded files are missing from the storage (a bucket restored from an older backup, a
    disk replaced): forget them, so that the next request queues them again."""
    with transaction.atomic():
        m.Anslag.objects.filter(pk=anslag_id).update(
            public_html_name="", public_pdf_name="", rendered_revision=None, public_revision=F("public_revision") + 1
        )
        publication.bump()


@dataclass(frozen=True)
class Pending:
    """A final PDF that is not stored yet: being prepared, or ``failed`` on every attempt."""

    filename: str
    failed: bool


def prepared_pdf(meeting: m.Meeting, numbers: list[int] | None = None) -> ExportedPdf | Pending:
    """A staff download: fresh for a draft; for a final protokoll the stored PDF, or ``Pending``
    while it is being prepared (its render is asked for: queued once, and again when it was lost)."""
    job = final_pdf_job(meeting, numbers)
    filename = pdf_filename(meeting, numbers)
    if job is None:
        from ..export.render import render_pdf

        return ExportedPdf(filename, render_pdf(meeting, numbers))
    content = job.stored()
    if content is None:
        request = _request(_pdf_key(job.name), meeting_id=meeting.pk, numbers=numbers)
        content = job.stored()  # the in-process backend has just rendered it
        if content is None:
            request.refresh_from_db(fields=["status", "attempts"])
            failed = request.status == m.RenderStatus.FAILED and request.attempts >= MAX_ATTEMPTS
            return Pending(filename, failed)
    return ExportedPdf(filename, content)


def prepared_public_version(anslag: m.Anslag) -> bool:
    """Whether the public version of the anslag's current text is stored; if not, its render is
    asked for (queued once, and again when it was lost). With the in-process backend it is rendered
    now and the anslag reloaded."""
    if anslag.public_version_stored:
        return True
    _request(_public_key(anslag.pk, anslag.public_revision), anslag_id=anslag.pk)
    anslag.refresh_from_db(
        fields=["public_html_name", "public_pdf_name", "public_revision", "rendered_revision", "public_rendered_at"]
    )
    return anslag.public_version_stored
