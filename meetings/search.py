"""Search in published protokoll (title, Dnr, text) for the public anslagstavla.

Reads only ``PublicParagraph`` rows of published anslag (``Anslag.objects.published``: posted on or
before today): those rows hold the masked public text and never a § under sekretess, so search
cannot find what is not public.

On PostgreSQL it is full-text search with the Swedish configuration over ``search_vector`` (GIN
index), ranked by ``SearchRank``; the query is parsed as a web search ("budget -skola", quoted
phrases, "or"), so no input is a syntax error. On SQLite every word must occur in the title, Dnr or
text (case-insensitive), newest first.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet

from . import models as m

MAX_QUERY_LENGTH = 200
# Results come a page at a time: ranking reads every match anyway, but each shown hit costs a
# snippet and its share of the page, and few visitors look past the first pages.
PER_PAGE = 20
MAX_PAGES = 10
SNIPPET_CHARS = 220

_WORD = re.compile(r"[\w/-]+")


class SearchError(ValueError):
    """Input we will not search for; the message is shown to the visitor (Swedish)."""


@dataclass
class Hit:
    paragraph: m.PublicParagraph
    snippet: str

    @property
    def anslag(self) -> m.Anslag:
        return self.paragraph.anslag


def clean_query(raw: str) -> str:
    """The query to search for: whitespace collapsed; SearchError for what cannot be searched."""
    if len(raw) > MAX_QUERY_LENGTH * 4:
        # Do not even normalise megabytes of input.
        raise SearchError(f"Sökfrågan är för lång. Använd högst {MAX_QUERY_LENGTH} tecken.")
    query = " ".join(raw.replace("\x00", " ").split())
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchError(f"Sökfrågan är för lång. Använd högst {MAX_QUERY_LENGTH} tecken.")
    if query and not _WORD.search(query):
        raise SearchError("Skriv minst ett ord att söka efter.")
    return query


def _published(today: datetime.date) -> QuerySet[m.PublicParagraph]:
    """The rows of published anslag, by the one rule for the public (``Anslag.objects.published``)."""
    return m.PublicParagraph.objects.filter(anslag__in=m.Anslag.objects.published(today)).select_related(
        "anslag__organ", "anslag__meeting"
    )


def search(query: str, today: datetime.date, limit: int = PER_PAGE, offset: int = 0) -> list[Hit]:
    """Published §§ matching ``query`` (already cleaned), best first: ``limit`` of them from ``offset``."""
    if not query:
        return []
    if connection.vendor == "postgresql":
        rows = _search_postgresql(query, today, limit, offset)
    else:
        rows = list(_search_simple(query, today)[offset : offset + limit])
    words = _words(query)
    return [Hit(row, snippet(row.text, words)) for row in rows]


def _search_postgresql(query: str, today: datetime.date, limit: int, offset: int) -> list[m.PublicParagraph]:
    """Two queries whatever the number of matches: the best ids by rank (narrow rows, no joins to
    sort), then those rows with their anslag, organ and meeting."""
    # The Dnr is in the vector too ("KS 2021/868" parses to 'ks' & '2021/868' in both configurations),
    # so the GIN index alone answers the match; an OR on another column would scan the table.
    ts_query = SearchQuery(query, config="swedish", search_type="websearch")
    # Nearly every anslag is published, so leave out the few that are not yet: found through the
    # board index (an anslag not yet put up is not yet taken down either) instead of hashing them all.
    # This only narrows the ranking; the rows themselves come through ``_published``.
    not_yet = m.Anslag.objects.filter(take_down_on__gt=today, posted_on__gt=today).values("pk")
    best = list(
        m.PublicParagraph.objects.filter(search_vector=ts_query)
        .exclude(anslag__in=not_yet)
        .annotate(rank=SearchRank(F("search_vector"), ts_query))
        .order_by("-rank", "-anslag_id", "number")
        .values_list("pk", flat=True)[offset : offset + limit]
    )
    rows = _published(today).filter(pk__in=best).defer("search_vector").in_bulk()
    return [rows[pk] for pk in best if pk in rows]


def _search_simple(query: str, today: datetime.date) -> QuerySet[m.PublicParagraph]:
    rows = _published(today)
    for word in _words(query):
        rows = rows.filter(Q(title__icontains=word) | Q(dnr__icontains=word) | Q(text__icontains=word))
    return rows.order_by("-anslag__posted_on", "-anslag_id", "number")


def _words(query: str) -> list[str]:
    """The words of a query without web-search syntax (quotes, a leading minus, "or")."""
    return [w.strip("-") for w in _WORD.findall(query) if w.lower() != "or" and w.strip("-")][:20]


def snippet(text: str, words: list[str]) -> str:
    """About ``SNIPPET_CHARS`` characters of ``text`` around the first word of the query found in it."""
    flat = " ".join(text.split())
    lower = flat.lower()
    # Swedish stemming finds "budgeten" for "budget"; the stem's start is a good enough anchor.
    found = [i for i in (lower.find(w.lower()[: max(4, len(w) - 2)]) for w in words) if i >= 0]
    start = max(0, min(found) - SNIPPET_CHARS // 3) if found else 0
    end = start + SNIPPET_CHARS
    text = flat[start:end]
    return ("…" if start else "") + text + ("…" if end < len(flat) else "")
