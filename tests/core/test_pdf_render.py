"""The PDF reads like a real protokoll: the seed's extract page by page, headers, boxes, PDF/A."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from meetings import models as m
from meetings.export.document import build_document, load_meeting
from meetings.export.render import UnknownParagraphError, pdf_title, render_html, render_pdf
from tests import factories as f
from tests.helpers import normalise, page_texts


def assert_in_order(text: str, snippets: list[str]) -> None:
    position = 0
    for snippet in snippets:
        found = text.find(normalise(snippet), position)
        assert found >= 0, f"{snippet!r} missing after position {position} in {text!r}"
        position = found + len(normalise(snippet))


# The text of the real protokollsutdrag (../shared/seed/protokollsutdrag-ksau-2021-11-22.txt), page by page.
SEED_PAGE_1 = [
    "Plats och tid Sessionssalen kl. 13.30–14.15",
    "Beslutande Mikael Rubin (M), Ordförande",
    "Erik Lundström (KD)",
    "Helmuth Petersén (SD)",
    "Lennart Höckert (S)",
    "Henrik Silfverstolpe (L)",
    "Tjänstgörande ersättare",
    "Ersättare",
    "Övriga Fredrik Geijer, Kommundirektör, Kommunledningsförvaltningen",
    "Eva-Lotta Kittel, Kommunsekreterare, Kommunledningsförvaltningen",
    "Johan Lilja, Generalsekreterare , ICLD, § 344",
    "Ana Maria Vargas Falla, Forskningschef, ICLD, § 344",
    "Justeringens plats och tid",
    "Paragrafer 343–344",
    "Sekreterare",
    "Eva-Lotta Kittel",
    "Ordförande",
    "Mikael Rubin (M)",
    "Justerare Erik Lundström (KD) Lennart Höckert (S)",
    "ANSLAG/BEVIS",
    "Protokollet är justerat. Justeringen har tillkännagivits genom anslag.",
    "Beslutande organ Kommunstyrelsens arbetsutskott",
    "Datum då anslaget sätts upp",
    "Datum då anslaget tas ned",
    "Förvaringsplats",
    "Underskrift",
    "Eva-Lotta Kittel",
]
SEED_PAGE_2 = [
    "§ 344 Information ICLD (Internationellt Centrum för Lokal Demokrati)",
    "Dnr KS 2021/868",
    "Beslut",
    "Kommunstyrelsens arbetsutskott beslutar",
    "att uppdra till kommundirektören att, som första kommun i klimatnätverket, gå vidare in i "
    "förberedelsefasen i projektsamarbetet.",
    "Sammanfattning",
    "Johan Lilja, generalsekreterare i ICLD informerar.",
    "Nätverk för kommunala partnerskap är en ny samarbetsform där några kommuner får utökat stöd från ICLD för "
    "att bedriva resultatinriktade internationella projekt. Kommunerna startar samtidigt med sina förberedelser "
    "och knyts samman i ett nätverk där jobbar parallellt över fyra år med sina projekt ihop med varsin "
    "partnerkommun.",
    "Samarbetet inleds med en förberedelsefas där projekt ska utformas och planeras.",
]
SEED_HEADER = ["Kommunstyrelsens arbetsutskott", "Mötesdatum Mötets diarienummer", "2021-11-22 KS 2021/647"]
BOXES = ["Justerares signaturer", "Utdragsbestyrkan"]
DRAFT_MARK = "UTKAST – EJ JUSTERAT"


@pytest.fixture
def seed_meeting(db) -> m.Meeting:
    call_command("load_demo", verbosity=0)
    return load_meeting(m.Meeting.objects.get(diarienummer="KS 2021/647").pk)


@pytest.fixture
def seed_extract(seed_meeting) -> bytes:
    return render_pdf(seed_meeting, [344])


def test_seed_extract_is_two_pages_like_the_seed(seed_extract):
    pages = page_texts(seed_extract)
    assert len(pages) == 2
    assert_in_order(pages[0], SEED_PAGE_1)
    assert_in_order(pages[1], SEED_PAGE_2)
    assert "§ 344" not in pages[0].replace("ICLD, § 344", "")


def test_seed_extract_holds_nothing_of_paragraph_343(seed_extract):
    text = " ".join(page_texts(seed_extract))
    for fragment in ("§ 343", "Budgetuppföljning", "KS 2021/402", "Ekonomienheten"):
        assert fragment not in text


def test_every_page_has_the_header_and_its_own_page_count(seed_extract):
    for number, text in enumerate(page_texts(seed_extract), start=1):
        for snippet in SEED_HEADER:
            assert snippet in text
        assert f"Protokollsutdrag {number} (2)" in text


def test_the_boxes_are_on_every_page_after_the_first(seed_extract):
    first, second = page_texts(seed_extract)
    for box in BOXES:
        assert box not in first
        assert box in second


def test_a_draft_is_marked_on_every_page(organ):
    meeting = f.meeting(organ, diarienummer="KS 2026/199")
    for i in range(3):
        f.paragraph(meeting, title=f"Ärende {i}", summary="Lång text om ärendet. " * 200)
    pages = page_texts(render_pdf(load_meeting(meeting.pk)))
    assert len(pages) >= 3
    assert all(DRAFT_MARK in text for text in pages)


def test_a_justerat_protokoll_is_not_marked(seed_meeting, seed_extract):
    assert seed_meeting.status not in (m.MeetingStatus.UTKAST, m.MeetingStatus.UNDER_JUSTERING)
    assert all(DRAFT_MARK not in text for text in page_texts(seed_extract))


def test_it_is_pdfa_tagged_swedish_with_metadata(seed_extract):
    reader = PdfReader(io.BytesIO(seed_extract))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title == "Protokollsutdrag KSAU 2021-11-22 § 344"
    assert reader.metadata.author == "Kommunstyrelsens arbetsutskott"


def test_it_embeds_only_the_bundled_fonts(seed_extract):
    reader = PdfReader(io.BytesIO(seed_extract))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    # WeasyPrint names an @font-face font by its family: the bundled one, not a system font.
    assert all("Protokoll-Sans" in name for name in fonts), fonts


def test_html_declares_swedish_and_the_title(seed_meeting):
    html = render_html(build_document(seed_meeting, [344]))
    assert '<html lang="sv">' in html
    assert "<title>Protokollsutdrag KSAU 2021-11-22 § 344</title>" in html


def justera(meeting: m.Meeting) -> None:
    """Mark the meeting justerat without the workflow (a queryset update skips the content lock)."""
    m.Meeting.objects.filter(pk=meeting.pk).update(status=m.MeetingStatus.JUSTERAT)


def test_the_full_protokoll_counts_its_own_pages(organ, bob):
    meeting = f.meeting(organ, diarienummer="KS 2026/200")
    f.attend(meeting, bob.person, role="Ordförande")
    long_text = "\n\n".join(["Förvaltningen redogör för ärendet och dess bakgrund i detalj. " * 8] * 4)
    for i in range(8):
        p = f.paragraph(meeting, title=f"Ärende {i + 1}", dnr=f"KS 2026/{300 + i}", summary=long_text)
        m.DecisionClause.objects.create(paragraph=p, position=1, text="att godkänna redovisningen.")
    justera(meeting)
    pages = page_texts(render_pdf(load_meeting(meeting.pk)))
    total = len(pages)
    assert total >= 4
    for number, text in enumerate(pages, start=1):
        assert f"Protokoll {number} ({total})" in text
        assert "KS 2026/200" in text
        assert DRAFT_MARK not in text
        assert all(box in text for box in BOXES) == (number > 1)
    assert_in_order(" ".join(pages), [f"§ {p.number} Ärende {i + 1}" for i, p in enumerate(meeting.paragraphs.all())])


def test_a_heading_never_ends_a_page(organ, bob):
    meeting = f.meeting(organ, diarienummer="KS 2026/201")
    headings = {"Beslut", "Sammanfattning", "Beslutsunderlag", "Omröstning", "Yrkanden", "Beslutet skickas till"}
    for i in range(12):
        p = f.paragraph(
            meeting,
            title=f"Ärende {i + 1}",
            summary="Text om ärendet. " * (15 + 9 * i),
            basis="Tjänsteskrivelse. " * (5 + i),
            recipients="Kommunstyrelsen",
        )
        m.DecisionClause.objects.create(paragraph=p, position=1, text="att godkänna förslaget.")
    reader = PdfReader(io.BytesIO(render_pdf(load_meeting(meeting.pk))))
    for page in reader.pages[:-1]:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        # Body text comes first; the page header starts with the organ and the page count.
        body = lines[: next(i for i, line in enumerate(lines) if "Protokoll " in line and "(" in line)]
        assert body[-1] not in headings
        assert not body[-1].startswith("§ ")


def test_every_section_is_printed(organ, bob, alice):
    meeting = f.meeting(organ, diarienummer="KS 2026/202")
    member = f.member(organ, "Greta Ledamot", "C")
    f.attend(meeting, bob.person, role="Ordförande", party=f.party("M"))
    f.attend(meeting, member, party=f.party("C"))
    p = f.paragraph(
        meeting,
        title="Detaljplan",
        proposal="Förvaltningens förslag.",
        proposition_order="Ordföranden ställer proposition.",
        recipients="Byggnadsnämnden\nLantmäteriet",
    )
    m.Motion.objects.create(paragraph=p, person=member, kind=m.MotionKind.AVSLAG, text="Avslag.")
    vote = m.Vote.objects.create(paragraph=p, ja_means="förslaget", nej_means="avslag")
    m.VoteCast.objects.create(vote=vote, person=bob.person, party=f.party("M"), choice=m.VoteChoice.JA, position=1)
    m.VoteCast.objects.create(vote=vote, person=member, party=f.party("C"), choice=m.VoteChoice.NEJ, position=2)
    reservation = m.Reservation.objects.create(paragraph=p, motivation="Fel väg.")
    reservation.persons.set([member])
    m.ProtocolNote.objects.create(paragraph=p, person=member, text="En anteckning.")
    m.Recusal.objects.create(paragraph=p, person=bob.person)
    text = " ".join(page_texts(render_pdf(load_meeting(meeting.pk), [p.number])))
    assert_in_order(
        text,
        [
            "Förslag till beslut",
            "Yrkanden",
            "Greta Ledamot (C) yrkar avslag: Avslag.",
            "Propositionsordning",
            "Omröstning",
            "Ja-röst för förslaget. Nej-röst för avslag.",
            "Bob Ordförande (M) Ja",
            "Greta Ledamot (C) Nej",
            "Ja 1, Nej 1, Avstår 0, Frånvarande 0",
            "Reservationer",
            "Greta Ledamot (C) reserverar sig mot beslutet. Fel väg.",
            "Protokollsanteckningar",
            "Greta Ledamot (C): En anteckning.",
            "Jäv",
            "Bob Ordförande (M) anmäler jäv",
            "Beslutet skickas till",
            "Byggnadsnämnden Lantmäteriet",
        ],
    )


def test_an_unknown_paragraph_is_refused_in_swedish(seed_meeting):
    with pytest.raises(UnknownParagraphError, match="§ 999 finns inte"):
        render_pdf(seed_meeting, [999])
    with pytest.raises(UnknownParagraphError, match="Välj minst en paragraf"):
        render_pdf(seed_meeting, [])


def test_titles():
    meeting = m.Meeting(organ=m.Organ(short_name="KSAU"), date=datetime.date(2021, 11, 22))
    assert pdf_title(meeting) == "Protokoll KSAU 2021-11-22"
    assert pdf_title(meeting, [344]) == "Protokollsutdrag KSAU 2021-11-22 § 344"
    assert pdf_title(meeting, [343, 344]) == "Protokollsutdrag KSAU 2021-11-22 §§ 343–344"
