"""The Kallelse PDF: in the protokoll's family (header, PDF/A, fonts), with the föredragningslista and
the handlingar, from the command line too, and never fetching what user content names."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from meetings import models as m
from meetings.export.document import load_meeting
from meetings.export.fetcher import StaticOnlyURLFetcher
from meetings.export.kallelse import build_kallelse, render_kallelse_pdf
from meetings.services import agenda
from tests import factories as f
from tests.helpers import handling, page_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def kallad(organ, bob, alice):
    f.member(organ, "Mia Ledamot", "S")
    f.member(organ, "Erik Ersättare", "S", m.MembershipRole.ERSATTARE)
    meeting = f.meeting(
        organ,
        date=datetime.date(2026, 5, 14),
        start_time=datetime.time(13, 30),
        diarienummer="KS 2026/140",
        secretary=alice.person,
    )
    plan = f.paper(organ, "Detaljplan för Norra hamnen", reference="KS 2026/512", proposal="att godkänna planen")
    handling(plan, "Tjänsteskrivelse 2026-04-01")
    handling(plan, "Värdering", public=False)
    agenda.add_free_item(meeting, "Val av justerare")
    agenda.add_paper_item(meeting, plan)
    return meeting


def test_the_kallelse_lists_time_place_the_called_and_each_point_with_its_handlingar(kallad):
    text = " ".join(page_texts(render_kallelse_pdf(load_meeting(kallad.pk))))
    assert "Kommunstyrelsens arbetsutskott Kallelse 1 (1)" in text
    assert "Kallelse till sammanträde" in text
    assert "torsdag 14 maj 2026 kl. 13.30" in text
    assert "Bob Ordförande (M), ordförande" in text and "Mia Ledamot (S)" in text
    assert "Ersättare Erik Ersättare (S)" in text
    assert "1. Val av justerare" in text
    assert "2. Detaljplan för Norra hamnen Dnr KS 2026/512" in text
    assert "Förslag till beslut att godkänna planen" in text
    # Members read every handling, public or not.
    assert "Handlingar Tjänsteskrivelse 2026-04-01 Värdering" in text
    assert "Alice Sekreterare Sekreterare" in text


def test_it_is_pdfa_with_the_protokolls_metadata(kallad):
    reader = PdfReader(io.BytesIO(render_kallelse_pdf(load_meeting(kallad.pk))))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert reader.metadata.title == "Kallelse KSAU 2026-05-14"


def test_the_document_loads_in_a_fixed_number_of_queries(kallad, django_assert_num_queries):
    meeting = load_meeting(kallad.pk)
    with django_assert_num_queries(3):  # points with ärenden, their handlingar, who is called
        doc = build_kallelse(meeting)
    assert [p.number for p in doc.points] == [1, 2]


def test_export_pdf_writes_the_kallelse(kallad, tmp_path):
    output = tmp_path / "kallelse.pdf"
    call_command("export_pdf", "KS 2026/140", "--document", "kallelse", "--output", str(output), stdout=io.StringIO())
    assert "Detaljplan för Norra hamnen" in " ".join(page_texts(output.read_bytes()))
    with pytest.raises(CommandError, match="--paragraphs"):
        call_command(
            "export_pdf", "KS 2026/140", "--document", "kallelse", "--paragraphs", "1", "--output", str(output)
        )


def test_nothing_user_content_names_is_fetched(kallad, monkeypatch):
    fetched: list[str] = []
    original = StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyURLFetcher, "fetch", spy)
    attack = '<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="file:///etc/passwd">'
    kallad.place = attack
    kallad.save()
    agenda.add_free_item(kallad, attack, proposal=f'<style>@import url("http://127.0.0.1:9/a.css");</style>{attack}')
    paper = f.paper(kallad.organ, "Ärende")
    handling(paper, '<iframe src="file:///etc/passwd">')
    agenda.add_paper_item(kallad, paper)
    text = " ".join(page_texts(render_kallelse_pdf(load_meeting(kallad.pk))))
    assert fetched and all(url.startswith(("protokoll-static:", "data:")) for url in fetched)
    assert '<img src="http://127.0.0.1:9/x.png">' in text  # shown as the text that was typed
