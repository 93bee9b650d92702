"""The open-data API: everything public as OParl 1.1 JSON, read-only, at /api/oparl/1.1/.

What may be served comes from the core only (``meetings.public``: the meetings, §§, ärenden,
persons and files the anslagstavla's one publication rule lets the public read, and the files
withdrawn since); ``api.serializers`` turns the loaded rows into OParl objects. Every view loads its
rows in a fixed number of queries, whatever the size of the page or of the data.

The protocol (OParl 1.1, chapter 2): absolute ids from ``SITE_URL``; lists in pages of ``data``,
``pagination`` and ``links`` (``page``, ``limit``), filtered by ``created_since``, ``created_until``,
``modified_since`` and ``modified_until``, with withdrawn files as ``deleted`` objects when
``modified_since`` is given; ``omit_internal``; CORS ``*``; UTF-8 JSON; an ETag on every answer and
Last-Modified on objects, with 304 on revalidation; errors as OParl Error objects (Swedish message,
English debug), never an HTML page.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import DateTimeField, F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from meetings import models as m
from meetings import public

from . import serializers as s

PAGE_SIZE = 25
# A meeting embeds all its §§ (some ten each): a page of ten meetings weighs what 25 of anything else do.
MEETING_PAGE_SIZE = 10
MAX_LIMIT = 100
# How long a client or proxy may keep an answer without asking again.
MAX_AGE = 60
MAX_PARAMETER = 64

FILTERS = {
    "created_since": ("created", "gte"),
    "created_until": ("created", "lte"),
    "modified_since": ("modified", "gte"),
    "modified_until": ("modified", "lte"),
}


class ApiError(Exception):
    """A request the API answers with an OParl Error object: ``message`` for people (Swedish),
    ``debug`` for developers (English)."""

    def __init__(self, status: int, message: str, debug: str) -> None:
        super().__init__(debug)
        self.status, self.message, self.debug = status, message, debug


NOT_FOUND = ("Objektet finns inte eller är inte offentligt.", "No such public object.")


def _today() -> datetime.date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------------
# HTTP: JSON, CORS, validators, errors
# ---------------------------------------------------------------------------------------------------


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def _json(payload: dict, status: int = 200) -> HttpResponse:
    content = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return HttpResponse(content, status=status, content_type="application/json; charset=utf-8")


def _error(status: int, message: str, debug: str) -> HttpResponse:
    response = _json({"type": f"{s.OPARL}Error", "message": message, "debug": debug}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _answer(request: HttpRequest, payload: dict, last_modified: datetime.datetime | None) -> HttpResponse:
    """200 with ETag (a hash of the content) and Last-Modified, or 304 when the client's copy is it."""
    response = _json(payload)
    etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    timestamp = int(last_modified.timestamp()) if last_modified is not None else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is not None:
        response = not_modified
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def oparl(view: Callable) -> Callable:
    """A view of the API: it returns ``(payload, last_modified)``; this answers GET and HEAD with
    JSON and CORS, OPTIONS (a browser's preflight) with what is allowed, and everything that goes
    wrong with an Error object."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
            return _cors(response)
        if request.method not in ("GET", "HEAD"):
            response = _error(405, "Gränssnittet kan bara läsas (GET).", "Read-only API: use GET.")
            response["Allow"] = "GET, HEAD, OPTIONS"
            return _cors(response)
        try:
            payload, last_modified = view(request, *args, **kwargs)
            response = _answer(request, payload, last_modified)
        except ApiError as error:
            response = _error(error.status, error.message, error.debug)
        except Http404:
            response = _error(404, *NOT_FOUND)
        return _cors(response)

    return wrapper


# ---------------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------------


def _when(request: HttpRequest, name: str) -> datetime.datetime | None:
    """A filter's date-time (ISO 8601, OParl 2.5 "Filter"), or None when not given."""
    raw = request.GET.get(name)
    if raw is None:
        return None
    # An offset's "+" sent without URL encoding arrives as a space.
    value = re.sub(r" (\d\d(?::?\d\d)?)$", r"+\1", raw.strip())
    try:
        if len(value) > MAX_PARAMETER:
            raise ValueError(value)
        parsed = datetime.datetime.fromisoformat(value)
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        parsed.astimezone(datetime.UTC)  # a date at the very edge of the calendar overflows here
    except (ValueError, OverflowError) as error:
        raise ApiError(
            400,
            f"Ogiltigt värde för {name}: ange datum och tid enligt ISO 8601, t.ex. 2026-01-01T00:00:00+01:00.",
            f"Invalid {name}: expected an ISO 8601 date-time such as 2026-01-01T00:00:00+01:00.",
        ) from error
    return parsed


def _number(request: HttpRequest, name: str, default: int, highest: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0):
        raise ApiError(
            400,
            f"Ogiltigt värde för {name}: ange ett positivt heltal.",
            f"Invalid {name}: expected a positive integer.",
        )
    return min(int(raw), highest) if highest else int(raw)


def _omit_internal(request: HttpRequest) -> bool:
    return request.GET.get("omit_internal") == "true"


def _filtered(request: HttpRequest, queryset: QuerySet, modified: Modified, created: str = "created_at") -> QuerySet:
    """``queryset`` with the list filters of OParl 2.5 applied."""
    for name, (field, lookup) in FILTERS.items():
        value = _when(request, name)
        if value is None:
            continue
        if field == "created":
            queryset = queryset.filter(**{f"{created}__{lookup}": value})
        else:
            queryset = queryset.filter(modified.since(value) if lookup == "gte" else modified.until(value))
    return queryset


class _Page:
    """One page of a list: which rows, and the ``pagination`` and ``links`` of OParl 2.5."""

    def __init__(self, request: HttpRequest, total: int, size: int = PAGE_SIZE) -> None:
        self.limit = _number(request, "limit", size, MAX_LIMIT)
        self.number = _number(request, "page", 1)
        self.total = total
        self.pages = max(1, math.ceil(total / self.limit))
        if self.number > self.pages:
            raise ApiError(
                404, f"Sidan finns inte: listan har {self.pages} sidor.", f"No such page: {self.pages} pages."
            )
        self.start = (self.number - 1) * self.limit
        self.end = self.start + self.limit
        # The filters stay in every link (OParl 2.5); parameters in one order, so one URL per page.
        self.query = sorted((k, v) for k, v in request.GET.items() if k != "page")
        self.base = settings.SITE_URL + request.path

    def url(self, number: int) -> str:
        query = self.query + ([("page", str(number))] if number > 1 else [])
        return f"{self.base}?{urlencode(query)}" if query else self.base

    def wrap(self, data: list[dict]) -> dict:
        links = {"first": self.url(1), "self": self.url(self.number), "last": self.url(self.pages)}
        if self.number > 1:
            links["prev"] = self.url(self.number - 1)
        if self.number < self.pages:
            links["next"] = self.url(self.number + 1)
        return {
            "data": data,
            "pagination": {
                "totalElements": self.total,
                "elementsPerPage": self.limit,
                "currentPage": self.number,
                "totalPages": self.pages,
            },
            "links": links,
        }


def _list(
    request: HttpRequest,
    queryset: QuerySet,
    modified: Modified,
    serialize: Callable[[object], dict],
    size: int = PAGE_SIZE,
) -> tuple[dict, None]:
    """A paginated external list of ``queryset`` (annotated ``api_modified`` by ``modified``, with
    ``created_at``), ordered by id: a stable order (OParl 2.5). Lists carry an ETag and no
    Last-Modified: a page changes when objects come or go, which no object's time tells."""
    queryset = _filtered(request, queryset, modified).order_by("pk")
    page = _Page(request, queryset.count(), size)
    # The page's ids first (a walk along the primary key), then its rows with their annotations
    # and prefetches: loading the rows at an offset would compute the annotations of every row
    # skipped.
    ids = list(queryset.values_list("pk", flat=True)[page.start : page.end])
    return page.wrap([serialize(row) for row in queryset.filter(pk__in=ids)]), None


# ---------------------------------------------------------------------------------------------------
# When each object last changed as the public sees it (OParl "modified")
# ---------------------------------------------------------------------------------------------------

# When an anslag went up (its posting, or the start of its day for one posted ahead) or was last
# rendered anew after a rättelse.
_ANSLAG_VISIBLE = Greatest(
    "created_at",
    Coalesce("public_rendered_at", "created_at"),
    Cast("posted_on", DateTimeField()),
    output_field=DateTimeField(),
)


@dataclass(frozen=True)
class Source:
    """Rows whose newest ``value`` counts toward an object's modified: those of ``rows`` whose
    ``key`` is the object's ``outer``."""

    outer: str
    rows: QuerySet
    key: str
    value: str


@dataclass(frozen=True)
class Modified:
    """An object's modified (OParl 3.1): the newest of its own ``own`` time and of its ``sources``
    (the anslag that made it public or re-rendered it, changes to its files). As an annotation for
    the rows shown, and as filters that PostgreSQL answers from the sources' few recent rows (the
    newest is at least X when any part is; at most X when every part is) rather than by computing
    it for every row."""

    own: str
    sources: tuple[Source, ...] = ()

    def annotation(self):
        if not self.sources:
            return F(self.own)
        newest = [
            Coalesce(
                Subquery(
                    src.rows.filter(**{src.key: OuterRef(src.outer)}).order_by(f"-{src.value}").values(src.value)[:1],
                    output_field=DateTimeField(),
                ),
                F(self.own),
            )
            for src in self.sources
        ]
        return Greatest(self.own, *newest, output_field=DateTimeField())

    def since(self, when: datetime.datetime) -> Q:
        condition = Q(**{f"{self.own}__gte": when})
        for src in self.sources:
            recent = src.rows.filter(**{f"{src.value}__gte": when, f"{src.key}__isnull": False})
            condition |= Q(**{f"{src.outer}__in": recent.values(src.key)})
        return condition

    def until(self, when: datetime.datetime) -> Q:
        condition = Q(**{f"{self.own}__lte": when})
        for src in self.sources:
            later = src.rows.filter(**{f"{src.value}__gt": when, f"{src.key}__isnull": False})
            condition &= ~Q(**{f"{src.outer}__in": later.values(src.key)})
        return condition


def _posted(today: datetime.date) -> QuerySet[m.Anslag]:
    return m.Anslag.objects.published(today).annotate(visible=_ANSLAG_VISIBLE)


def _file_changes() -> QuerySet:
    """Every upload, rename, withdrawal and deletion of a file (its history)."""
    return m.File.history.model.objects.all()


def _noticed(today: datetime.date) -> QuerySet[m.AgendaItem]:
    """Open items of posted notices, with the time their notice went up."""
    notices = m.MeetingNotice.objects.published(today)
    visible = Greatest(
        "meeting__notice__created_at", Cast("meeting__notice__posted_on", DateTimeField()), output_field=DateTimeField()
    )
    return m.AgendaItem.objects.filter(public=True, meeting__notice__in=notices).annotate(visible=visible)


def file_modified(today: datetime.date) -> Modified:
    return Modified(
        "created_at",
        (
            Source("pk", _file_changes(), "id", "history_date"),
            Source("paragraph__meeting_id", _posted(today), "meeting_id", "visible"),
            Source("paper_id", _noticed(today), "paper_id", "visible"),
        ),
    )


def paragraph_modified(today: datetime.date) -> Modified:
    return Modified(
        "updated_at",
        (
            Source("meeting_id", _posted(today), "meeting_id", "visible"),
            Source("pk", _file_changes(), "paragraph_id", "history_date"),
        ),
    )


def meeting_modified(today: datetime.date) -> Modified:
    return Modified(
        "updated_at",
        (
            Source("pk", _posted(today), "meeting_id", "visible"),
            Source("pk", _file_changes(), "paragraph__meeting_id", "history_date"),
        ),
    )


def paper_modified(today: datetime.date) -> Modified:
    return Modified(
        "updated_at",
        (
            Source("pk", _posted(today), "meeting__agenda_items__paper_id", "visible"),
            Source("pk", _noticed(today), "paper_id", "visible"),
            Source("pk", _file_changes(), "paper_id", "history_date"),
        ),
    )


def person_modified(today: datetime.date) -> Modified:
    return Modified(
        "updated_at",
        (
            Source("pk", m.Membership.objects.all(), "person_id", "updated_at"),
            Source("pk", _posted(today), "meeting__attendances__person_id", "visible"),
        ),
    )


# An organ lists its memberships.
ORGAN_MODIFIED = Modified("updated_at", (Source("pk", m.Membership.objects.all(), "organ_id", "updated_at"),))


def consultation_modified(today: datetime.date) -> Modified:
    return Modified("paragraph__updated_at", (Source("meeting_id", _posted(today), "meeting_id", "visible"),))


OWN_TIME = Modified("updated_at")


# ---------------------------------------------------------------------------------------------------
# What each view loads: a fixed number of queries per page
# ---------------------------------------------------------------------------------------------------


def files(today: datetime.date) -> QuerySet[m.File]:
    """Published handlingar and bilagor (``File.objects.published``)."""
    return m.File.objects.published(today).annotate(api_modified=file_modified(today).annotation())


def paragraphs(today: datetime.date) -> QuerySet[m.Paragraph]:
    """Published §§ with everything an AgendaItem shows."""
    votes = m.Vote.objects.prefetch_related(
        Prefetch("casts", queryset=m.VoteCast.objects.select_related("person", "party"))
    )
    return (
        public.published_paragraphs(today)
        .select_related("meeting__organ", "agenda_item")
        .annotate(api_modified=paragraph_modified(today).annotation())
        .prefetch_related(
            "clauses",
            "propositions",
            Prefetch("votes", queryset=votes),
            Prefetch("attachments", queryset=files(today).order_by("position", "pk"), to_attr="public_files"),
        )
    )


def meetings(today: datetime.date, omit_internal: bool = False) -> QuerySet[m.Meeting]:
    posted = m.Anslag.objects.published(today).select_related("justering").annotate(visible=_ANSLAG_VISIBLE)
    present = m.Attendance.objects.filter(absent=False).only("meeting_id", "person_id").order_by("position", "pk")
    queryset = (
        public.published_meetings(today)
        .select_related("organ")
        .annotate(api_modified=meeting_modified(today).annotation())
        .prefetch_related(
            Prefetch("anslag", queryset=posted.order_by("posted_on", "pk"), to_attr="public_anslag"),
            Prefetch("attendances", queryset=present, to_attr="present"),
        )
    )
    if not omit_internal:
        items = paragraphs(today).order_by("position", "number")
        queryset = queryset.prefetch_related(Prefetch("paragraphs", queryset=items, to_attr="public_paragraphs"))
    return queryset


def consultations(today: datetime.date) -> QuerySet[m.AgendaItem]:
    return (
        public.public_consultations(today)
        .select_related("paragraph", "meeting")
        .annotate(api_modified=consultation_modified(today).annotation())
    )


def papers(today: datetime.date, omit_internal: bool = False) -> QuerySet[m.Paper]:
    queryset = public.published_papers(today).annotate(api_modified=paper_modified(today).annotation())
    if omit_internal:
        return queryset
    return queryset.prefetch_related(
        Prefetch("files", queryset=files(today).order_by("position", "pk"), to_attr="public_files"),
        Prefetch(
            "consultations",
            queryset=consultations(today).order_by("meeting__date", "pk"),
            to_attr="public_consultations",
        ),
    )


def persons(today: datetime.date, omit_internal: bool = False) -> QuerySet[m.Person]:
    queryset = public.public_persons(today).annotate(api_modified=person_modified(today).annotation())
    if omit_internal:
        return queryset
    return queryset.prefetch_related(Prefetch("memberships", queryset=m.Membership.objects.order_by("start", "pk")))


def memberships() -> QuerySet[m.Membership]:
    return m.Membership.objects.annotate(api_modified=OWN_TIME.annotation())


def organs() -> QuerySet[m.Organ]:
    return m.Organ.objects.annotate(api_modified=ORGAN_MODIFIED.annotation()).prefetch_related(
        Prefetch("memberships", queryset=m.Membership.objects.only("pk", "organ_id").order_by("pk"))
    )


def _one(queryset: QuerySet, pk: int):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


# ---------------------------------------------------------------------------------------------------
# System and Body
# ---------------------------------------------------------------------------------------------------


def _span(today: datetime.date) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """The system's and the body's created and modified: the first organ, the newest publication."""
    created = m.Organ.objects.aggregate(first=Min("created_at"))["first"]
    modified = m.Anslag.objects.published(today).aggregate(last=Max(_ANSLAG_VISIBLE))["last"]
    return created, max((t for t in (created, modified) if t), default=None)


@oparl
def system(request: HttpRequest) -> tuple[dict, datetime.datetime | None]:
    """The entry point (OParl 2.10)."""
    created, modified = _span(_today())
    return s.system(s.Urls.current(), created, modified), modified


@oparl
def body_list(request: HttpRequest) -> tuple[dict, None]:
    """The one body: the municipality."""
    created, modified = _span(_today())
    page = _Page(request, 1)
    return page.wrap([s.body(s.Urls.current(), created, modified)]), None


@oparl
def body(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime | None]:
    if pk != 1:
        raise Http404
    created, modified = _span(_today())
    return s.body(s.Urls.current(), created, modified), modified


# ---------------------------------------------------------------------------------------------------
# Organizations (organs and parties), persons, memberships
# ---------------------------------------------------------------------------------------------------


@oparl
def organization_list(request: HttpRequest) -> tuple[dict, None]:
    """Organs, then parties: both small tables, filtered and paged together in memory."""
    u = s.Urls.current()
    bodies = _filtered(request, organs(), ORGAN_MODIFIED)
    rows: list[tuple[object, Callable]] = [(o, s.organ) for o in bodies]
    parties = m.Party.objects.annotate(api_modified=OWN_TIME.annotation())
    rows += [(p, s.party) for p in _filtered(request, parties, OWN_TIME)]
    page = _Page(request, len(rows))
    return page.wrap([serialize(u, obj) for obj, serialize in rows[page.start : page.end]]), None


@oparl
def organization(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime]:
    obj = _one(organs(), pk)
    return s.organ(s.Urls.current(), obj), obj.api_modified


@oparl
def party(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime]:
    obj = _one(m.Party.objects.all(), pk)
    return s.party(s.Urls.current(), obj), obj.updated_at


@oparl
def organization_meetings(request: HttpRequest, pk: int) -> tuple[dict, None]:
    _one(m.Organ.objects.all(), pk)
    omit = _omit_internal(request)
    u = s.Urls.current()
    today = _today()
    queryset = meetings(today, omit).filter(organ_id=pk)
    return _list(request, queryset, meeting_modified(today), lambda x: s.meeting(u, x, omit), MEETING_PAGE_SIZE)


@oparl
def person_list(request: HttpRequest) -> tuple[dict, None]:
    omit = _omit_internal(request)
    u = s.Urls.current()
    today = _today()
    return _list(request, persons(today, omit), person_modified(today), lambda x: s.person(u, x, omit))


@oparl
def person(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime]:
    obj = _one(persons(_today()), pk)
    return s.person(s.Urls.current(), obj), obj.api_modified


@oparl
def membership_list(request: HttpRequest) -> tuple[dict, None]:
    u = s.Urls.current()
    return _list(request, memberships(), OWN_TIME, lambda x: s.membership(u, x))


@oparl
def membership(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime]:
    obj = _one(memberships(), pk)
    return s.membership(s.Urls.current(), obj), obj.updated_at


# ---------------------------------------------------------------------------------------------------
# Meetings, their locations and protokoll, agenda items
# ---------------------------------------------------------------------------------------------------


@oparl
def meeting_list(request: HttpRequest) -> tuple[dict, None]:
    omit = _omit_internal(request)
    u = s.Urls.current()
    today = _today()
    queryset = meetings(today, omit)
    return _list(request, queryset, meeting_modified(today), lambda x: s.meeting(u, x, omit), MEETING_PAGE_SIZE)


@oparl
def meeting(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime]:
    obj = _one(meetings(_today()), pk)
    return s.meeting(s.Urls.current(), obj), obj.api_modified


@oparl
def location(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime]:
    obj = _one(meetings(_today(), omit_internal=True), pk)
    return s.location(s.Urls.current(), obj), obj.api_modified


@oparl
def protocol(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime]:
    """A posted anslag's public protokoll (PDF) as a File."""
    posted = m.Anslag.objects.published(_today()).select_related("justering", "meeting__organ")
    anslag = _one(posted.annotate(visible=_ANSLAG_VISIBLE), pk)
    return s.protocol(s.Urls.current(), anslag, anslag.meeting), anslag.visible


@oparl
def agenda_item_list(request: HttpRequest) -> tuple[dict, None]:
    u = s.Urls.current()
    today = _today()
    return _list(request, paragraphs(today), paragraph_modified(today), lambda x: s.agenda_item(u, x))


@oparl
def agenda_item(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime]:
    obj = _one(paragraphs(_today()), pk)
    return s.agenda_item(s.Urls.current(), obj), obj.api_modified


# ---------------------------------------------------------------------------------------------------
# Papers, consultations, files
# ---------------------------------------------------------------------------------------------------


@oparl
def paper_list(request: HttpRequest) -> tuple[dict, None]:
    omit = _omit_internal(request)
    u = s.Urls.current()
    today = _today()
    return _list(request, papers(today, omit), paper_modified(today), lambda x: s.paper(u, x, omit))


@oparl
def paper(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime]:
    obj = _one(papers(_today()), pk)
    return s.paper(s.Urls.current(), obj), obj.api_modified


@oparl
def consultation(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime]:
    obj = _one(consultations(_today()), pk)
    return s.consultation(s.Urls.current(), obj), obj.api_modified


def _withdrawn(today: datetime.date) -> QuerySet:
    return public.withdrawn_files(today)


@oparl
def file_list(request: HttpRequest) -> tuple[dict, None]:
    """Published files; with ``modified_since`` also those withdrawn in that time, as deleted
    objects (OParl 2.5 "Filter", 2.8). Ids first (both small), then the page's rows."""
    today = _today()
    u = s.Urls.current()
    published = _filtered(request, files(today), file_modified(today))
    ids: Iterable[tuple[int, bool]] = [(pk, False) for pk in published.values_list("pk", flat=True)]
    if _when(request, "modified_since") is not None:
        withdrawn = _filtered(request, _withdrawn(today), Modified("history_date"))
        ids = [*ids, *((pk, True) for pk in withdrawn.values_list("id", flat=True))]
    ordered = sorted(ids)
    page = _Page(request, len(ordered))
    chosen = ordered[page.start : page.end]
    live = {f.pk: f for f in files(today).filter(pk__in=[pk for pk, gone in chosen if not gone])}
    gone = {row.id: row for row in _withdrawn(today).filter(id__in=[pk for pk, gone in chosen if gone])}
    return page.wrap([s.deleted_file(u, gone[pk]) if was else s.file(u, live[pk]) for pk, was in chosen]), None


@oparl
def file(request: HttpRequest, pk: int) -> tuple[dict, datetime.datetime]:
    """A published file, or what is left of a withdrawn one (``deleted``, still 200: OParl 2.8)."""
    today = _today()
    u = s.Urls.current()
    found = files(today).filter(pk=pk).first()
    if found is not None:
        return s.file(u, found), found.api_modified
    row = _withdrawn(today).filter(id=pk).first()
    if row is None:
        raise Http404
    return s.deleted_file(u, row), row.history_date


@oparl
def not_found(request: HttpRequest, rest: str = "") -> tuple[dict, None]:
    raise Http404
