"""Search's text handling: a query's whitespace is collapsed, and a hit is shown with the text around
the word."""

from __future__ import annotations

from meetings.search import clean_query, snippet


def test_clean_query_collapses_whitespace():
    assert clean_query("  budget \n  2026 ") == "budget 2026"


def test_snippet_shows_the_text_around_the_word():
    text = "Inledning. " * 50 + "Här beslutas om budgeten för skolan." + " Slut." * 50
    assert "budgeten för skolan" in snippet(text, ["budget"])
    assert snippet(text, ["budget"]).startswith("…")
