"""A new secretary's first cycle, in a real Chromium: she imports her organ's members and ersättare
from the valnämnd's list, creates three ärenden with their handlingar, builds the kallelse, downloads
its PDF and sends it; after the meeting she makes the protokoll from the agenda and sends it to
justering. axe-core checks every page on the way."""

import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings import models as m
from meetings.demo import text_pdf
from tests import factories as f
from tests.browser.helpers import assert_accessible
from tests.helpers import PERSONNUMMER

pytestmark = pytest.mark.django_db(transaction=True)

REGISTER = """Namn;Parti;Roll;Från;Till;E-post
Mikael Rubin;M;Ordförande;2023-01-01;2026-12-31;mikael@example.se
Lennart Höckert;S;Vice ordförande;2023-01-01;2026-12-31;lennart@example.se
Erik Lundström;KD;Ledamot;2023-01-01;2026-12-31;erik@example.se
Henrik Silfverstolpe;L;Ledamot;2023-01-01;2026-12-31;
Anna Berglund;S;Ersättare;2023-01-01;2026-12-31;anna@example.se
Sofia Wikström;C;Ersättare;2023-01-01;2026-12-31;sofia@example.se
"""

ARENDEN = [
    # (Dnr, rubrik, förslag, handlingar: (titel, filnamn, text, offentlig))
    (
        "KS 2026/512",
        "Detaljplan för Norra hamnen",
        "att godkänna planförslaget för samråd.",
        [("Tjänsteskrivelse", "tjansteskrivelse.pdf", ["Planförslaget för Norra hamnen."], True)],
    ),
    (
        "KS 2026/533",
        "Förvärv av fastigheten Hamnen 1:12",
        "att föreslå kommunstyrelsen att förvärva fastigheten.",
        [
            ("Tjänsteskrivelse", "forvarv.pdf", ["Förvärv av fastigheten."], True),
            ("Värderingsutlåtande", "vardering.pdf", ["Affärsuppgifter, sekretess."], False),
        ],
    ),
    (
        "KS 2026/540",
        "Bidrag till föreningen Hamnens vänner",
        "att bevilja bidrag med 20 000 kronor.",
        [("Ansökan", "ansokan.pdf", [f"Kontaktperson {PERSONNUMMER}."], True)],
    ),
]


@pytest.fixture
def new_secretary(alice):
    for abbreviation, name in (("S", "Socialdemokraterna"), ("M", "Moderaterna"), ("KD", "Kristdemokraterna")):
        f.party(abbreviation, name)
    f.party("C", "Centerpartiet")
    return alice


def _login(page) -> None:
    page.goto("/")
    page.get_by_label("Användarnamn").fill("alice")
    page.get_by_label("Lösenord").fill("pw-for-tests")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Mina sammanträden")).to_be_visible()


def test_a_new_secretary_from_register_to_justering(page, shots, new_secretary, tmp_path):
    _login(page)

    # The register: add the party the list needs, then import the list with a preview.
    page.get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", name="Register", exact=True)).to_be_visible()
    page.get_by_label("Namn").fill("Liberalerna")
    page.get_by_label("Förkortning").fill("L")
    page.get_by_role("button", name="Lägg till parti").click()
    expect(page.get_by_text("Partiet Liberalerna (L) är tillagt.")).to_be_visible()
    assert_accessible(page)
    shots("register")
    page.get_by_role("link", name="Kommunstyrelsens arbetsutskott").click()
    expect(page.get_by_text("Inga uppdrag.")).to_be_visible()
    page.get_by_role("link", name="Importera ledamöter och ersättare").click()
    csv_file = tmp_path / "ksau-ledamoter.csv"
    csv_file.write_text(REGISTER, encoding="utf-8")
    page.get_by_label("Fil med ledamöter och ersättare").set_input_files(str(csv_file))
    assert_accessible(page)
    shots("import")
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_text("Ingenting är sparat ännu.")).to_be_visible()
    expect(page.locator(".import-table tbody tr")).to_have_count(6)
    assert not m.Membership.objects.exists()
    assert_accessible(page)
    shots("import-preview")
    page.get_by_role("button", name="Spara 6 uppdrag").click()
    expect(page.get_by_text("6 uppdrag är inlagda (6 nya personer).")).to_be_visible()
    expect(page.locator(".seat-table")).to_contain_text("Mikael Rubin")
    assert_accessible(page)
    shots("register-imported")

    # Three ärenden with their handlingar.
    for reference, name, proposal, files in ARENDEN:
        page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ärenden").click()
        page.get_by_role("link", name="Nytt ärende").click()
        page.get_by_label("Dnr").fill(reference)
        page.get_by_label("Rubrik").fill(name)
        page.get_by_label("Förslag till beslut").fill(proposal)
        if reference.endswith("512"):
            assert_accessible(page)
            shots("new-arende")
        page.get_by_role("button", name="Skapa ärendet").click()
        expect(page.get_by_role("heading", name=name)).to_be_visible()
        for title, file_name, lines, public in files:
            path = tmp_path / file_name
            path.write_bytes(text_pdf([title, *lines]))
            form = page.locator(".upload-form")
            form.get_by_label("Titel").fill(title)
            if public:
                form.get_by_label("Offentlig").check()
            form.locator("input[type=file]").set_input_files(str(path))
            form.get_by_role("button", name="Ladda upp").click()
            expect(page.get_by_text(f"Handlingen ”{title}” är tillagd.")).to_be_visible()
        if reference.endswith("540"):
            # The public application holds a personnummer: she is warned.
            expect(page.get_by_text("innehåller något som ser ut som ett personnummer")).to_be_visible()
        assert_accessible(page)
        shots(f"arende-{reference.rsplit('/', 1)[1]}")
    assert m.File.objects.count() == 4

    # A meeting, and its kallelse: standing points and the three ärenden.
    day = datetime.date.today() + datetime.timedelta(days=8)
    page.get_by_role("link", name="Mina sammanträden").click()
    page.get_by_role("link", name="Nytt sammanträde", exact=True).click()
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Starttid").fill("13:30")
    page.get_by_label("Plats").fill("Sessionssalen")
    page.get_by_label("Mötets diarienummer").fill("KS 2026/900")
    page.get_by_role("button", name="Skapa sammanträdet").click()
    page.get_by_role("link", name="Kallelse", exact=True).click()
    expect(page.get_by_role("heading", name="Kallelse och föredragningslista")).to_be_visible()
    page.get_by_role("button", name="Lägg till organets stående punkter").click()
    expect(page.get_by_text("5 stående punkter är tillagda")).to_be_visible()
    for reference, name, _proposal, _files in ARENDEN:
        page.locator("#id_paper-paper").select_option(label=f"{reference} {name}")
        page.get_by_role("button", name="Lägg till ärendet").click()
        expect(page.get_by_text(f"{name} är tillagt på föredragningslistan.")).to_be_visible()
    points = page.locator(".agenda-point")
    expect(points).to_have_count(8)
    expect(points.nth(6)).to_contain_text("Värderingsutlåtande")
    expect(points.nth(6)).to_contain_text("Inte offentlig")
    expect(page.get_by_text("Kallas: 4 ledamöter och 2 ersättare.")).to_be_visible()
    assert_accessible(page)
    shots("kallelse")

    # Download the Kallelse PDF.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner kallelsen (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"Kallelse KSAU {day.isoformat()}.pdf"
    pdf = tmp_path / "kallelse.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")

    # Send it: five have an address, one must be called another way. The message says what the
    # outbox did (here the in-process task delivered each at once).
    page.get_by_role("button", name="Skicka kallelsen").click()
    expect(
        page.get_by_text(
            "Kallelsen: 5 av 6 ledamöter och ersättare fick e-post; Henrik Silfverstolpe saknar e-postadress. "
            "Den som saknar e-postadress behöver kallas på annat sätt."
        )
    ).to_be_visible()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@example.se",
        "erik@example.se",
        "lennart@example.se",
        "mikael@example.se",
        "sofia@example.se",
    ]
    assert_accessible(page)
    shots("kallelse-sent")

    # What the members see.
    page.get_by_role("link", name="Så ser kallelsen ut för ledamöterna").click()
    expect(page.get_by_role("heading", name="Kallelse: Kommunstyrelsens arbetsutskott")).to_be_visible()
    assert_accessible(page)
    shots("kallelse-member-view")
    page.go_back()

    # After the meeting: the protokoll from the agenda.
    page.get_by_role("button", name="Skapa protokollet från föredragningslistan").click()
    expect(page.get_by_text("8 paragrafer är skapade från föredragningslistan")).to_be_visible()
    rows = page.locator(".paragraph-table tbody tr")
    expect(rows).to_have_count(8)
    expect(rows.nth(5)).to_contain_text("Detaljplan för Norra hamnen")
    expect(rows.nth(5)).to_contain_text("KS 2026/512")
    assert_accessible(page)
    shots("protokoll-from-agenda")
    page.get_by_role("link", name="Detaljplan för Norra hamnen").click()
    expect(page.get_by_label("Beslutsunderlag")).to_have_value("Tjänsteskrivelse")
    expect(page.get_by_label("Förslag till beslut")).to_have_value("att godkänna planförslaget för samråd.")
    page.get_by_role("button", name="Kopiera förslaget till beslut").click()
    page.get_by_role("button", name="Spara paragrafen").first.click()
    expect(page.get_by_text("§ 6 är sparad.")).to_be_visible()
    shots("paragraph-from-agenda")

    # Justerare among those present, then to justering.
    page.get_by_role("link", name="Uppgifter").click()
    page.get_by_label("Första justerare").select_option(label="Erik Lundström (KD)")
    page.get_by_label("Andra justerare").select_option(label="Lennart Höckert (S)")
    page.get_by_label("Justeringens plats").fill("Kommunhuset")
    assert_accessible(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Sammanträdet är sparat.")).to_be_visible()
    page.get_by_role("button", name="Skicka till justering").click()
    expect(page.get_by_text("Protokollet är skickat till justering.")).to_be_visible()
    assert_accessible(page)
    shots("sent-to-justering")
    meeting = m.Meeting.objects.get(diarienummer="KS 2026/900")
    assert meeting.status == m.MeetingStatus.UNDER_JUSTERING
    assert meeting.chair.name == "Mikael Rubin"
