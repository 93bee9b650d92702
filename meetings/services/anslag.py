"""Posting the anslag of a justerat protokoll, the public text it publishes, and archiving.

The anslag's dates follow KL 8 kap. 12 § and 13 kap. 5 § (meetings.dates). What the public may read
is the public version of the document (meetings.public): sekretess §§ withheld, personnummer masked.
"""

from __future__ import annotations

import datetime

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.utils import timezone

from .. import dates, publication
from .. import models as m
from ..appeal import laglighetsprovning_numbers
from ..export.document import build_document, format_numbers, load_meeting
from ..export.public_pdf import anslag_document
from ..public import paragraph_public_text, public_document
from . import documents
from .base import WorkflowError, locked_meeting, set_status

S = m.MeetingStatus


def post_anslag(justering: m.Justering, user, posted_on: datetime.date, *, backdate: bool = False) -> m.Anslag:
    """Post the anslag of a justerat protokoll (or of an omedelbar justering's §§).

    The dates follow KL 8 kap. 12 § and 13 kap. 5 § (meetings.dates); the appeal time is that of the
    §§ open to laglighetsprövning (``appeal_label``), the others being appealed by förvaltningsbesvär
    or not at all (meetings.appeal). The public text of each
    posted § is written now, personnummer masked and sekretess §§ left out, so the board, the
    feed and search read only what may be public. Posting later than the second day after justering
    is allowed (the notice must still go up) but the form warns about it. A date before today would
    shorten the appeal time, which runs from the day the notice actually goes up, so it is refused;
    ``backdate`` is for recording notices of the past (demo data, imports) only.
    """
    with transaction.atomic():
        meeting = locked_meeting(justering.meeting)
        justering = m.Justering.objects.select_for_update().get(pk=justering.pk)
        if justering.status != m.JusteringStatus.JUSTERAT:
            raise WorkflowError("Bara ett justerat protokoll kan anslås.")
        if m.Anslag.objects.filter(justering=justering).exists():
            raise WorkflowError("Anslaget är redan uppsatt.")
        justerat_on = timezone.localdate(justering.completed_at)
        if posted_on < justerat_on:
            raise WorkflowError("Anslaget kan inte sättas upp före justeringen.")
        if posted_on < timezone.localdate() and not backdate:
            raise WorkflowError("Anslaget kan inte sättas upp ett tidigare datum än i dag.")
        posted = list(justering.paragraphs.all()) if justering.immediate else list(meeting.paragraphs.all())
        numbers = [p.number for p in posted] if justering.immediate else None
        doc = public_document(build_document(load_meeting(meeting.pk), numbers))
        label = format_numbers(numbers if numbers is not None else doc.all_numbers)
        anslag = m.Anslag.objects.create(
            justering=justering,
            meeting=meeting,
            organ=meeting.organ,
            paragraphs_label=label,
            justerat_on=justerat_on,
            posted_on=posted_on,
            appeal_until=dates.appeal_deadline(posted_on),
            appeal_label=format_numbers(laglighetsprovning_numbers(posted)),
            take_down_on=dates.default_take_down(posted_on),
            storage_location=meeting.organ.storage_location,
            secretary_name=meeting.secretary.name if meeting.secretary else "",
            posted_by=user,
        )
        write_public_text(anslag, doc)
        if not justering.immediate:
            set_status(meeting, S.ANSLAGET, "Anslaget")
        publication.bump()
        # The public page and PDF are built once, by a task, from what is committed now.
        documents.queue_public_version(anslag)
        return anslag


def write_public_text(anslag: m.Anslag, doc=None) -> None:
    """(Re)write the public text of an anslag's §§ from the public version of the document."""
    if doc is None:
        doc = anslag_document(anslag)
    m.PublicParagraph.objects.filter(anslag=anslag).delete()
    m.PublicParagraph.objects.bulk_create(
        m.PublicParagraph(
            anslag=anslag,
            paragraph_id=item.paragraph.pk,
            number=item.number,
            title=item.paragraph.title,
            dnr=item.paragraph.dnr,
            text=paragraph_public_text(item),
        )
        for item in doc.paragraphs
        if not getattr(item, "withheld", False)
    )
    update_search_vectors(anslag)


def update_search_vectors(anslag: m.Anslag) -> None:
    """Fill the full-text vectors of an anslag's public paragraphs (PostgreSQL, Swedish stemming)."""
    if connection.vendor != "postgresql":
        return
    m.PublicParagraph.objects.filter(anslag=anslag).update(
        search_vector=SearchVector("title", weight="A", config="swedish")
        + SearchVector("dnr", weight="A", config="simple")
        + SearchVector("text", weight="B", config="swedish")
    )


def archive_expired(today: datetime.date) -> int:
    """Anslaget → Arkiverat for protokoll whose every anslag has been taken down. Returns how many."""
    count = 0
    expired = m.Meeting.objects.filter(status=S.ANSLAGET).exclude(anslag__take_down_on__gt=today)
    for meeting in expired:
        with transaction.atomic():
            meeting = locked_meeting(meeting)
            if meeting.status == S.ANSLAGET:
                set_status(meeting, S.ARKIVERAT, "Arkiverat: anslaget har tagits ned")
                publication.bump()
                count += 1
    return count
