"""The board, the archive, the feed and search run a fixed number of queries, however many anslag."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from tests.helpers import bulk_anslag


def _queries(client, url: str, params: dict | None = None, cached: bool = False) -> int:
    """The queries of one request; the page is built anew unless ``cached``."""
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_public_paragraphs(anslag: list[m.Anslag]) -> None:
    start = m.Paragraph.objects.count()
    paragraphs = m.Paragraph.objects.bulk_create(
        m.Paragraph(
            meeting_id=a.meeting_id,
            organ_id=a.organ_id,
            year=a.meeting.date.year,
            number=start + i + 1,
            title=f"Budget för verksamhet {i}",
            decision_intro="Organet beslutar",
        )
        for i, a in enumerate(anslag)
    )
    m.PublicParagraph.objects.bulk_create(
        m.PublicParagraph(
            anslag=a, paragraph=p, number=p.number, title=p.title, text="att anta budgeten för verksamheten"
        )
        for a, p in zip(anslag, paragraphs, strict=True)
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        m.PublicParagraph.objects.update(search_vector=SearchVector("title", "text", config="swedish"))


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        # the publication generation (meetings.publication), the anslag on the board, the notices of
        # coming fullmäktige meetings
        ("public_board", None, 3),
        # organs, years, count, the page's ids, the page's rows
        ("public_archive", None, 6),
        ("public_archive", {"organ": "KSAU", "ar": "2026", "sida": "2"}, 6),
        ("public_feed", None, 2),
        # the best ids by rank, then their rows (PostgreSQL); one filtered query (SQLite)
        ("public_search", {"q": "budget"}, 2 if connection.vendor == "postgresql" else 1),
    ],
)
def test_queries_do_not_grow_with_the_number_of_anslag(client, organ, alice, url, params, expected):
    today = timezone.localdate()
    first = bulk_anslag(organ, 10, today, alice)
    _add_public_paragraphs(first)
    with_ten = _queries(client, reverse(url), params)
    if url == "public_search":
        assert "träffar" in client.get(reverse(url), params).content.decode()
    more = bulk_anslag(organ, 990, today - dt.timedelta(days=1), alice)
    _add_public_paragraphs(more)
    assert m.Anslag.objects.count() == 1000
    assert with_ten == expected
    assert _queries(client, reverse(url), params) == expected


@pytest.mark.parametrize(
    ("url", "params"), [("public_board", None), ("public_archive", {"organ": "KSAU"}), ("public_feed", None)]
)
def test_a_cached_list_costs_no_query(client, organ, alice, url, params):
    bulk_anslag(organ, 10, timezone.localdate(), alice)
    _queries(client, reverse(url), params)
    assert _queries(client, reverse(url), params, cached=True) == 0
