"""Search in published protokoll: finds words in title, Dnr and text of posted anslag only, links to
the §, and answers bad or huge input with a message instead of an error."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from meetings import models as m
from meetings.search import MAX_QUERY_LENGTH


def _search(client, q: str):
    return client.get(reverse("public_search"), {"q": q})


def test_it_finds_a_word_in_a_decision_and_links_to_the_paragraph(client, posted):
    budget = posted.public_paragraphs.get(title="Budget")
    response = _search(client, "budgeten")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("public_anslag", args=[posted.pk])}#paragraf-{budget.number}"' in page
    assert "1 träff" in page


def test_it_finds_by_title_and_dnr(client, posted):
    budget = m.PublicParagraph.objects.get(title="Budget")
    m.PublicParagraph.objects.filter(pk=budget.pk).update(dnr="KS 2026/868")
    if connection.vendor == "postgresql":
        from meetings.services.anslag import update_search_vectors

        update_search_vectors(posted)
    assert f"#paragraf-{budget.number}" in _search(client, "Budget").content.decode()
    assert f"#paragraf-{budget.number}" in _search(client, "KS 2026/868").content.decode()


def test_it_finds_masked_text_but_never_the_personnummer(client, posted):
    assert "idrottshallen" in _search(client, "idrottshallen").content.decode()
    assert "Inga träffar" in _search(client, "19850412-1234").content.decode()


@pytest.mark.parametrize("q", ["", "   "])
def test_an_empty_query_shows_the_form(client, db, q):
    response = _search(client, q)
    assert response.status_code == 200
    assert "Resultat" not in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        "x" * (MAX_QUERY_LENGTH + 1),
        "budget " * 10_000,
        "!!! ??? ***",
    ],
)
def test_bad_or_huge_input_gets_a_message(client, posted, q):
    response = _search(client, q)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize(
    "q", ['"budget', "budget -", "-budget", "a & b | !c", "budget OR taxor", "nul\x00byte", "'; --"]
)
def test_query_syntax_is_never_an_error(client, posted, q):
    assert _search(client, q).status_code == 200


def test_results_come_a_page_at_a_time(client, posted):
    """Pages of PER_PAGE hits with a link to the next; odd page numbers fall back to page 1."""
    from meetings import search as public_search

    base = posted.public_paragraphs.first()
    total = public_search.PER_PAGE + 3
    m.PublicParagraph.objects.filter(anslag=posted).delete()
    m.PublicParagraph.objects.bulk_create(
        m.PublicParagraph(anslag=posted, paragraph=base.paragraph, number=i, title=f"Ärende {i}", text="budget")
        for i in range(1, total + 1)
    )
    if connection.vendor == "postgresql":
        from meetings.services.anslag import update_search_vectors

        update_search_vectors(posted)
    first = client.get(reverse("public_search"), {"q": "budget"}).content.decode()
    assert f"Träff 1–{public_search.PER_PAGE}," in first and "Fler träffar" in first
    second = client.get(reverse("public_search"), {"q": "budget", "sida": 2}).content.decode()
    assert f"Träff {public_search.PER_PAGE + 1}–{total}," in second
    assert "Föregående träffar" in second and "Fler träffar" not in second
    for odd in ("abc", "²", "-1", "99999999999"):
        assert client.get(reverse("public_search"), {"q": "budget", "sida": odd}).status_code == 200
