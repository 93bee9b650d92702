"""The public digital anslagstavla: no login, and nothing that is not published.

Every view reads anslag through ``Anslag.objects.published`` (posted on or before today), notices of
fullmäktige meetings through ``MeetingNotice.objects.published``, files only through
``File.objects.published``, and the protokoll only as its public version (sekretess §§ withheld,
personnummer masked, only public bilagor), so a draft, an unposted protokoll, a notice or anslag
dated in the future or a handling that is not public is a 404 by any id.

Built once, served many times: the protokoll on an anslag page and its PDF are what the posting task
stored (``meetings.services.documents``), sent with ETag, Last-Modified and ``Cache-Control: public``;
the board, the archive and the feed come from the cache under the publication generation and today's
date (``meetings.publication``, ``protokoll.caching``), so a posting, a rättelse or archiving shows on
every app server at once with a shared cache, within seconds with local ones.

The pages use their own base template (templates/public/base.html), clearly apart from the staff
pages (SKR). ``verify`` tells anyone whether a PDF (or a hash) is a justerat protokoll issued
here.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from meetings import models as m
from meetings import publication
from meetings import search as public_search
from meetings.export.http import file_response, stored_pdf_response
from meetings.export.kallelse import agenda_items
from meetings.export.public_pdf import public_pdf_filename
from meetings.export.seal import check_seal
from meetings.export.store import read_stored
from meetings.public import mask_notice_meeting, public_notice_points
from meetings.services import documents
from protokoll.caching import PAGE_TIMEOUT, cached_page, conditional
from protokoll.middleware import limit_request_size

from .feeds import AnslagFeed
from .forms import ArchiveFilterForm

ARCHIVE_PAGE_SIZE = 50


def _today() -> datetime.date:
    return timezone.localdate()


def _published(today: datetime.date) -> QuerySet[m.Anslag]:
    """Anslag that have been put up: the only ones the public may see, current or taken down."""
    return m.Anslag.objects.published(today).select_related("organ", "meeting")


def _get_published_anslag(pk: int, today: datetime.date) -> m.Anslag:
    """The anslag if it is published; 404 otherwise, the same for unknown and not-yet-posted ids."""
    anslag = _published(today).select_related("justering", "meeting__organ").filter(pk=pk).first()
    if anslag is None:
        raise Http404("Anslaget finns inte.")
    return anslag


def _context(context: dict) -> dict:
    context.setdefault("today", _today())
    context["municipality"] = settings.MUNICIPALITY_NAME
    context["appeal_court"] = settings.APPEAL_COURT
    return context


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, _context(context), status=status)


def _list_version(today: datetime.date) -> list[object]:
    """What a cached public list depends on: the publication generation and the date."""
    return [publication.generation(), today]


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    """The anslag on the board today, newest first."""
    today = _today()
    return cached_page(request, "board", _list_version(today), lambda: _board(request, today))


def _board(request: HttpRequest, today: datetime.date) -> HttpResponse:
    anslag = list(m.Anslag.objects.current(today).select_related("organ", "meeting").order_by("-posted_on", "-id"))
    notices = list(
        m.MeetingNotice.objects.current(today).select_related("meeting__organ").order_by("meeting__date", "pk")
    )
    for notice in notices:
        mask_notice_meeting(notice.meeting)
    return _render(
        request, "public/board.html", {"anslag_list": anslag, "notices": notices, "today": today, "nav": "board"}
    )


def _preparing(request: HttpRequest, template: str, context: dict, status: int) -> HttpResponse:
    """The page shown while the public version is being rendered: it refreshes itself."""
    response = _render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response


@dataclass(frozen=True)
class _StoredVersion:
    """What serving a stored public version needs, read with one narrow query (no joins, no
    models): the public pages are the ones that meet the crowd."""

    pk: int
    take_down_on: datetime.date
    html_name: str
    pdf_name: str
    rendered_at: datetime.datetime | None
    public_revision: int
    rendered_revision: int | None

    @property
    def ready(self) -> bool:
        """Stored for the current text: after a rättelse the earlier version is not served."""
        return bool(self.html_name and self.pdf_name and self.rendered_revision == self.public_revision)


def _stored_version(pk: int, today: datetime.date) -> _StoredVersion:
    """The published anslag's stored version; 404 for unknown and not-yet-posted ids alike. A stored
    one is kept in the cache under the publication generation, which a new version raises."""
    key = _stored_version_key(pk, today)
    version = cache.get(key)
    if version is None:
        fields = (
            "pk",
            "take_down_on",
            "public_html_name",
            "public_pdf_name",
            "public_rendered_at",
            "public_revision",
            "rendered_revision",
        )
        row = m.Anslag.objects.published(today).filter(pk=pk).order_by().values_list(*fields)[:1]
        if not row:
            raise Http404("Anslaget finns inte.")
        version = _StoredVersion(*row[0])
        if version.ready:
            cache.set(key, version, PAGE_TIMEOUT)
    return version


def _stored_version_key(pk: int, today: datetime.date) -> str:
    return f"stored-version:{pk}:{publication.generation()}:{today}"


@require_safe
def anslag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One anslag with every field, how to appeal, and the public version of the protokoll as the
    posting task stored it. The anslag's own facts show at once; the protokoll once it is stored."""
    today = _today()
    version = _stored_version(pk, today)
    is_current = version.take_down_on > today
    if not version.ready:
        anslag = _get_published_anslag(pk, today)
        if not documents.prepared_public_version(anslag):
            return _preparing(
                request,
                "public/anslag_detail.html",
                {"anslag": anslag, "is_current": is_current, "today": today},
                status=200,  # the anslag itself, the legal notice, is there already
            )
        version = _stored_version(pk, today)
    etag = f"{version.pk}-{version.html_name.rsplit('/', 1)[-1][:16]}-{int(is_current)}"

    def build() -> HttpResponse:
        key = f"anslag-page:{etag}:{settings.MUNICIPALITY_NAME}:{settings.APPEAL_COURT}"
        page = cache.get(key)
        if page is None:
            document = read_stored(version.html_name)
            if document is None:
                return _lost(request, pk)
            context = {
                "anslag": _get_published_anslag(pk, today),
                "is_current": is_current,
                "today": today,
                "document_html": mark_safe(document.decode()),  # noqa: S308 (our own stored template output)
            }
            page = render_to_string("public/anslag_detail.html", _context(context), request=request)
            cache.set(key, page, PAGE_TIMEOUT)
        return HttpResponse(page)

    return conditional(request, etag, version.rendered_at, build)


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
    points = public_notice_points(notice.meeting, agenda_items(notice.meeting), published)
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
    """The public version of the protokoll as the sealed PDF the posting task stored."""
    today = _today()
    version = _stored_version(pk, today)
    if not version.ready:
        anslag = _get_published_anslag(pk, today)
        if not documents.prepared_public_version(anslag):
            return _preparing(request, "public/preparing.html", {"anslag": anslag}, status=202)
        version = _stored_version(pk, today)
    name = version.pdf_name
    etag = name.rsplit("/", 1)[-1].removesuffix(".pdf")[:32]

    def build() -> HttpResponse:
        # The file name needs the meeting and, for an omedelbar justering, its §§: kept with the file.
        filename = cache.get_or_set(
            f"pdf-filename:{name}", lambda: public_pdf_filename(_get_published_anslag(pk, today)), PAGE_TIMEOUT
        )
        try:
            return stored_pdf_response(name, filename)
        except FileNotFoundError:
            return _lost(request, pk)

    return conditional(request, etag, version.rendered_at, build)


def _lost(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored files of a version are gone: render them again, and say so meanwhile."""
    documents.forget_lost_public_version(pk)
    cache.delete(_stored_version_key(pk, _today()))
    response = redirect(request.path)
    add_never_cache_headers(response)
    return response


@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    """The Atom feed of the newest published anslag."""
    return cached_page(request, "feed", _list_version(_today()), lambda: AnslagFeed()(request))


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    """Every published anslag (and so every published protokoll) by organ and year, paginated."""
    today = _today()
    return cached_page(request, "archive", _list_version(today), lambda: _archive(request, today))


def _archive(request: HttpRequest, today: datetime.date) -> HttpResponse:
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


# The PDF and the rest of the form: anything larger is refused before its body is read (413).
@limit_request_size(MAX_UPLOAD + 64 * 1024)
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
