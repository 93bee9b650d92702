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
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from .. import models as m
from .. import publication
from ..export.document import load_meeting
from ..export.pdf import ExportedPdf, final_pdf_job, pdf_filename
from ..export.public_pdf import anslag_document, public_pdf
from ..export.render import TEMPLATE_VERSION
from ..export.store import stored_pdf

PUBLIC_HTML_PREFIX = "public-html"
# A download that finds its PDF missing queues the task again after this long (the first task may
# have been lost with a worker that died).
REQUEUE_AFTER = 120


def queue_justerat_documents(justering: m.Justering) -> None:
    """After the commit that completes ``justering``, render its documents."""
    from ..tasks import render_justerat_documents

    pk = justering.pk
    transaction.on_commit(lambda: render_justerat_documents.enqueue(pk), robust=True)


def queue_public_version(anslag: m.Anslag) -> None:
    """After the commit that posts ``anslag`` (or corrects its text), render its public version."""
    from ..tasks import render_public_version

    pk = anslag.pk
    transaction.on_commit(lambda: render_public_version.enqueue(pk), robust=True)


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
    from ..tasks import render_document

    justering = m.Justering.objects.select_related("meeting").get(pk=justering_id)
    meeting = load_meeting(justering.meeting_id)
    numbers = _round_numbers(justering)
    first = numbers if justering.immediate else None
    job = final_pdf_job(meeting, first)
    if job is None:
        return []  # no longer final (cannot happen through the workflow)
    job.run()
    singles = numbers if (not justering.immediate or len(numbers) > 1) else []
    for number in singles:
        render_document.enqueue(meeting.pk, [number])
    return singles


def render_document(meeting_id: int, numbers: list[int] | None) -> bool:
    """One final PDF; True when it was stored by this call."""
    job = final_pdf_job(load_meeting(meeting_id), numbers)
    if job is None or job.stored() is not None:
        return False
    job.run()
    return True


def _public_html(doc) -> str:
    # Bilagor link to the public download (anslagstavla.views.public_file).
    return render_to_string("public/_document.html", {"doc": doc, "attachment_url": "public_file"})


def render_public_version(anslag_id: int) -> str:
    """Store the public HTML and sealed PDF of the anslag and record them on it; then the staff PDFs
    with the ANSLAG/BEVIS dates. A task that started before a later rättelse records nothing."""
    from ..tasks import render_justerat_documents

    anslag = m.Anslag.objects.select_related("justering", "meeting__organ", "organ").get(pk=anslag_id)
    revision = anslag.public_revision
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
    render_justerat_documents.enqueue(anslag.justering_id)
    return "stored"


def forget_lost_public_version(anslag_id: int) -> None:
    """The recorded files are missing from the storage (a bucket restored from an older backup, a
    disk replaced): forget them, so that the next request queues them again."""
    with transaction.atomic():
        m.Anslag.objects.filter(pk=anslag_id).update(
            public_html_name="", public_pdf_name="", rendered_revision=None, public_revision=F("public_revision") + 1
        )
        publication.bump()


def prepared_pdf(meeting: m.Meeting, numbers: list[int] | None = None) -> ExportedPdf | None:
    """A staff download: fresh for a draft; for a final protokoll the stored PDF, or None while it is
    being prepared (its task is queued again when it has been missing a while)."""
    from ..tasks import render_document

    job = final_pdf_job(meeting, numbers)
    filename = pdf_filename(meeting, numbers)
    if job is None:
        from ..export.render import render_pdf

        return ExportedPdf(filename, render_pdf(meeting, numbers))
    content = job.stored()
    if content is None and cache.add(f"render-requested:{job.name}", 1, REQUEUE_AFTER):
        render_document.enqueue(meeting.pk, numbers)
        content = job.stored()  # the in-process backend has just rendered it
    return ExportedPdf(filename, content) if content is not None else None


def prepared_public_version(anslag: m.Anslag) -> bool:
    """Whether the anslag's public version is stored; if not, its task is queued again when it has
    been missing a while. With the in-process backend it is rendered now and the anslag reloaded."""
    from ..tasks import render_public_version

    if anslag.public_version_stored:
        return True
    if cache.add(f"public-requested:{anslag.pk}", 1, REQUEUE_AFTER):
        render_public_version.enqueue(anslag.pk)
        anslag.refresh_from_db(
            fields=["public_html_name", "public_pdf_name", "rendered_revision", "public_rendered_at"]
        )
    return anslag.public_version_stored
