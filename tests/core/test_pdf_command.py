"""manage.py export_pdf "<diarienummer>" [--paragraphs N ...] --output FILE [--html FILE]."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader


@pytest.fixture
def seed(db):
    call_command("load_demo", verbosity=0)


def test_it_writes_the_extract_and_its_html(seed, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    output, html = tmp_path / "utdrag.pdf", tmp_path / "utdrag.html"
    call_command("export_pdf", "KS 2021/647", "--paragraphs", "344", "--output", str(output), "--html", str(html))
    reader = PdfReader(output)
    assert len(reader.pages) == 2
    assert "§ 344 Information ICLD" in reader.pages[1].extract_text()
    assert "§ 344 Information ICLD" in html.read_text()
    assert '<html lang="sv">' in html.read_text()


def test_it_writes_the_whole_protokoll(seed, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    output = tmp_path / "protokoll.pdf"
    call_command("export_pdf", "KS 2021/647", "--output", str(output))
    text = " ".join(page.extract_text() for page in PdfReader(output).pages)
    assert "§ 343 Budgetuppföljning" in text
    assert "Protokoll 1 (" in text


def test_an_unknown_diarienummer_is_a_swedish_error(seed, tmp_path):
    with pytest.raises(CommandError, match="Det finns inget sammanträde med diarienummer 'KS 1999/1'"):
        call_command("export_pdf", "KS 1999/1", "--output", str(tmp_path / "x.pdf"))


def test_an_unknown_paragraph_is_a_swedish_error(seed, tmp_path):
    output = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="§ 999 finns inte i protokollet"):
        call_command("export_pdf", "KS 2021/647", "--paragraphs", "999", "--output", str(output))
    assert not output.exists()
