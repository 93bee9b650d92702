"""The demo's meeting that uses the whole decision model, read back from its sealed PDFs: the
propositions and the casting vote, jäv and the late arrival on the front page, the ajournering, the
appeal route of each §, the e-signed boxes and the expediering that was sent."""

import pytest
from django.core.management import call_command

from meetings import models as m
from meetings.export.document import load_meeting
from meetings.export.pdf import export_pdf
from tests.helpers import page_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)
    meeting = m.Meeting.objects.get(diarienummer__endswith="/905")
    first, motion, sale, documents = meeting.paragraphs.order_by("position")
    return load_meeting(meeting.pk), motion, sale, documents


def test_it_is_justerat_posted_and_expedierat(demo):
    meeting, motion, sale, documents = demo
    assert meeting.status == m.MeetingStatus.ANSLAGET
    anslag = meeting.anslag.get()
    first = meeting.paragraphs.order_by("position").first()
    # The proposal to fullmäktige and the förvaltningsbesvär § are not the anslag's to appeal.
    assert anslag.appeal_label == f"§§ {first.number}, {sale.number}"
    assert sorted(m.Dispatch.objects.values_list("name", "mail__status")) == [
        ("Köparen", "sent"),
        ("Mark- och exploateringsenheten", "sent"),
        ("Sökanden", "sent"),
    ]


def test_the_protokoll_pdf_reads_back_every_decision(demo):
    meeting, motion, sale, documents = demo
    text = " ".join(page_texts(export_pdf(meeting).content))
    for sentence in (
        "Ordföranden ställer proposition på om ärendet ska avgöras i dag eller återremitteras och finner att "
        "ärendet ska avgöras i dag.",
        "för att utse motförslag i huvudvoteringen och finner att Lennart Höckerts (S) yrkande om bifall till "
        "motionen utses till motförslag.",
        "Med 2 ja-röster mot 2 nej-röster, 1 avstår, och ordförandens utslagsröst beslutar kommunstyrelsens "
        "arbetsutskott enligt arbetsutskottets förslag.",
        "Beslutet är av rent förberedande art och kan därför inte överklagas (13 kap. 2 § kommunallagen).",
        "Beslutet kan överklagas genom förvaltningsbesvär enligt 6 kap. 7 § offentlighets- och sekretesslagen "
        "(2009:400) till Kammarrätten i Göteborg",
        f"Erik Lundström (KD), ej § {sale.number} (jäv)",
        f"Karin Nyström (M) ersätter Erik Lundström (KD) § {sale.number} (jäv)",
        f"Henrik Silfverstolpe (L), från § {motion.number}, ankom kl. 09.40",
        "Sessionssalen kl. 09.00–10.15, 10.30–12.00",
        f"kl. 10.15–10.30 efter § {motion.number}",
        "Justeringen har gjorts digitalt",
        "Justerares signaturer MR EL LH, digitalt",
    ):
        assert sentence in text, sentence
    assert "Kommunledningsförvaltningen" + " " + meeting.justering_date.isoformat() not in text


def test_the_extract_to_the_party_is_certified_and_says_how_to_appeal(demo):
    meeting, _motion, _sale, documents = demo
    text = " ".join(page_texts(export_pdf(meeting, [documents.number]).content))
    assert "Hur man överklagar (förvaltningsbesvär)" in text
    assert "Om du vill överklaga beslutet ska du skriva till Kammarrätten i Göteborg" in text
    assert "Utdragsbestyrkan Bestyrkt genom elektronisk försegling" in text
    assert "Utdragsbestyrkan: utdraget är bestyrkt genom organisationens elektroniska försegling" in text
