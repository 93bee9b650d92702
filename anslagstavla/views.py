"""The public digital anslagstavla: no login, and nothing that is not published.

Every view reads anslag through ``Anslag.objects.published`` (posted on or before today), notices of
fullmäktige meetings through ``MeetingNotice.objects.published``, files only through
``File.objects.published``, and the protokoll only through
``meetings.export.public_pdf.anslag_document`` (sekretess §§ withheld, personnummer masked, only
public bilagor), so a draft, an unposted protokoll, a notice or anslag dated in the future or a
handling that is not public is a 404 by any id. The pages use their own base template
(templates/public/base.html), clearly apart from the staff pages (SKR). ``verify`` tells anyone
whether a PDF (or a hash) is a justerat protokoll issued here.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from meetings import models as m
from meetings import search as public_search
from meetings.export.http import file_response, pdf_response
from meetings.export.kallelse import agenda_items
from meetings.export.public_pdf import anslag_document, public_pdf
from meetings.export.seal import check_seal

from .forms import ArchiveFilterForm

ARCHIVE_PAGE_SIZE = 50


def _today() -> datetime.date:
    return timezone.localdate()


def _published(today: datetime.date) -> QuerySet[m.Anslag]:
    """Anslag that have been put up: the only ones the public may see, current or taken down."""
    return m.Anslag.objects.published(today).select_related("organ", "meeting")


def _get_published_anslag(pk: int, today: datetime.date) -> m.Anslag:
    """The anslag if it is published; 404 otherwise, the same for unknown and not-yet-posted ids."""
    anslag = _published(today).select_related("justering").filter(pk=pk).first()
    if anslag is None:
        raise Http404("Anslaget finns inte.")
    return anslag


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context.setdefault("today", _today())
    context["municipality"] = settings.MUNICIPALITY_NAME
    context["appeal_court"] = settings.APPEAL_COURT
    return render(request, template, context)


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    """The anslag on the board today, newest first."""
    today = _today()
    anslag = list(m.Anslag.objects.current(today).select_related("organ", "meeting").order_by("-posted_on", "-id"))
    notices = list(
        m.MeetingNotice.objects.current(today).select_related("meeting__organ").order_by("meeting__date", "pk")
    )
    return _render(
        request, "public/board.html", {"anslag_list": anslag, "notices": notices, "today": today, "nav": "board"}
    )


@require_safe
def anslag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One anslag with every field, how to appeal, and the public version of the protokoll."""
    today = _today()
    anslag = _get_published_anslag(pk, today)
    return _render(
        request,
        "public/anslag_detail.html",
        {
            "anslag": anslag,
            "doc": anslag_document(anslag),
            "is_current": anslag.take_down_on > today,
            "today": today,
            "attachment_url": "public_file",
        },
    )


@require_safe
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A fullmäktige meeting's notice: time, place and the ärenden, with the public handlingar
    (KL 5 kap. 13 §). Points that are not public show only that they are there."""
    today = _today()
    notice = m.MeetingNotice.objects.published(today).select_related("meeting__organ").filter(pk=pk).first()
    if notice is None:
        raise Http404("Tillkännagivandet finns inte.")
    published = set(
        m.File.objects.published(today)
        .filter(paper__consultations__meeting=notice.meeting)
        .values_list("pk", flat=True)
    )
    points = [
        (
            number,
            item,
            [f for f in item.paper.files.all() if f.pk in published] if item.paper_id and item.public else [],
        )
        for number, item in enumerate(agenda_items(notice.meeting), start=1)
    ]
    return _render(
        request,
        "public/notice_detail.html",
        {"notice": notice, "meeting": notice.meeting, "points": points, "is_current": notice.meeting.date >= today},
    )


@require_safe
def public_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A published handling or bilaga; 404 for every other id."""
    file = m.File.objects.published(_today()).filter(pk=pk).first()
    if file is None:
        raise Http404("Handlingen finns inte.")
    return file_response(file, private=False)


@require_safe
def anslag_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The public version of the protokoll as PDF (rendered once, then served from storage)."""
    anslag = _get_published_anslag(pk, _today())
    exported = public_pdf(anslag)
    return pdf_response(exported.filename, exported.content)


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    """Every published anslag (and so every published protokoll) by organ and year, paginated."""
    today = _today()
    published = m.Anslag.objects.published(today)
    organs = list(m.Organ.objects.filter(Exists(published.filter(organ=OuterRef("pk")))).order_by("name"))
    span = published.aggregate(first=Min("posted_on"), last=Max("posted_on"))
    years = list(range(span["last"].year, span["first"].year - 1, -1)) if span["first"] else []
    form = ArchiveFilterForm(request.GET, organs, years)
    chosen_organ = chosen_year = None
    if form.is_valid():
        if form.cleaned_data["organ"]:
            chosen_organ = next(o for o in organs if o.short_name == form.cleaned_data["organ"])
            published = published.filter(organ=chosen_organ)
        if form.cleaned_data["ar"] is not None:
            chosen_year = form.cleaned_data["ar"]
            published = published.filter(posted_on__year=chosen_year)
    # Page through ids alone (a sort of one narrow table), then load that page's rows with their
    # organ and meeting: joining first would sort every published anslag with its joins.
    page = Paginator(published.order_by("-posted_on", "-id").values_list("pk", flat=True), ARCHIVE_PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    rows = _published(today).filter(pk__in=list(page.object_list)).order_by("-posted_on", "-id")
    query = request.GET.copy()
    query.pop("sida", None)
    return _render(
        request,
        "public/archive.html",
        {
            "form": form,
            "page": page,
            "anslag_list": list(rows),
            "chosen_organ": chosen_organ,
            "chosen_year": chosen_year,
            "page_query": query.urlencode(),
            "today": today,
            "nav": "archive",
        },
    )


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Search in published protokoll; bad input gets a message on the page, never an error page."""
    raw = request.GET.get("q", "")
    page_raw = request.GET.get("sida", "1")
    page = int(page_raw) if page_raw.isascii() and page_raw.isdigit() and len(page_raw) < 3 else 1
    page = min(max(page, 1), public_search.MAX_PAGES)
    per_page = public_search.PER_PAGE
    error = ""
    hits: list[public_search.Hit] = []
    query = ""
    try:
        query = public_search.clean_query(raw)
        # One more than a page tells whether there is a next page.
        hits = public_search.search(query, _today(), limit=per_page + 1, offset=(page - 1) * per_page)
    except public_search.SearchError as exc:
        error = str(exc)
    has_next = len(hits) > per_page and page < public_search.MAX_PAGES
    hits = hits[:per_page]
    return _render(
        request,
        "public/search.html",
        {
            "query": query if not error else raw[: public_search.MAX_QUERY_LENGTH],
            "hits": hits,
            "error": error,
            "searched": bool(query) and not error,
            "page": page,
            "first_number": (page - 1) * per_page + 1,
            "last_number": (page - 1) * per_page + len(hits),
            "has_next": has_next,
            "next_query": urlencode({"q": query, "sida": page + 1}),
            "previous_query": urlencode({"q": query, "sida": page - 1}),
            "max_length": public_search.MAX_QUERY_LENGTH,
            "nav": "search",
        },
    )


# ---------------------------------------------------------------------------------------------------
# Verification of a PDF or a hash
# ---------------------------------------------------------------------------------------------------

MAX_UPLOAD = 20 * 1024 * 1024
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _find(digest: str) -> tuple[m.Justering | None, m.IssuedPdf | None]:
    """The completed justering whose issued PDF or signed content has this SHA-256."""
    signatures = Prefetch(
        "signatures", queryset=m.Signature.objects.filter(status=m.SignatureStatus.SIGNERAT).select_related("person")
    )
    issued = m.IssuedPdf.objects.filter(sha256=digest).first()
    rounds = m.Justering.objects.filter(status=m.JusteringStatus.JUSTERAT).select_related("meeting__organ")
    if issued is not None:
        return rounds.prefetch_related(signatures).filter(pk=issued.justering_id).first(), issued
    justering = rounds.prefetch_related(signatures).filter(Q(content_hash=digest)).first()
    return justering, None


def verify(request: HttpRequest) -> HttpResponse:
    context: dict = {"max_mb": MAX_UPLOAD // (1024 * 1024)}
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        pasted = request.POST.get("hash", "").strip().lower()[:200]
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                context["error"] = f"Filen är för stor. Högst {context['max_mb']} MB."
                return render(request, "verification/verify.html", context, status=400)
            data = upload.read(MAX_UPLOAD + 1)
            digest = hashlib.sha256(data).hexdigest()
            context["seal"] = check_seal(data)
        elif HEX64.match(pasted):
            digest = pasted
        else:
            context["error"] = "Välj en PDF-fil eller klistra in en SHA-256-kontrollsumma (64 tecken 0–9, a–f)."
            return render(request, "verification/verify.html", context, status=400)
        justering, issued = _find(digest)
        context.update({"checked": True, "digest": digest, "justering": justering, "issued": issued})
    return render(request, "verification/verify.html", context)
