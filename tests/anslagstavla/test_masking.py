"""Personnummer are masked in every free-text field of the public version (front page, §§, rättelser),
on the anslag's page and in its PDF. Every way of writing one: tests/core/test_public_masking.py."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings import models as m
from meetings.public import MASK
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from tests import factories as f
from tests.helpers import sign_all

# One personnummer per field, each written another way, so that a leak names the field.
PLACE = "850101-1111"
DIARIENUMMER = "19850102-2222"
JUSTERING_PLACE = "850103 3333"
ROLE = "850104–4444"
TJANSTGORANDE = "850105-5555"
ERSATTARE = "19850106 - 6666"
OVRIGA = "850107-7777"
FIELD_LABEL = "850108-8888"
PARAGRAPH_DNR = "850109-9999"
ALL = {
    "place": PLACE,
    "diarienummer": DIARIENUMMER,
    "justering place": JUSTERING_PLACE,
    "beslutande role": ROLE,
    "tjänstgörande ersättare": TJANSTGORANDE,
    "ersättare": ERSATTARE,
    "övriga": OVRIGA,
    "rättelse field label": FIELD_LABEL,
    "paragraph dnr": PARAGRAPH_DNR,
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def anslag(ready, organ, alice, bob):
    """A posted protokoll with a personnummer in every free-text field of its front page, a § and a
    rättelse."""
    m.Meeting.objects.filter(pk=ready.pk).update(
        place=f"Sessionssalen {PLACE}",
        diarienummer=f"KS-{DIARIENUMMER}",
        justering_place=f"Kansliet {JUSTERING_PLACE}",
        justering_date=timezone.localdate(),
    )
    ready.refresh_from_db()
    m.Attendance.objects.filter(meeting=ready, person=bob.person).update(role=f"Ordförande {ROLE}")
    f.attend(
        ready,
        f.member(organ, f"Tina Tjänstgörande {TJANSTGORANDE}", "S"),
        m.AttendanceKind.TJANSTGORANDE_ERSATTARE,
        replaces=ready.justerare_1,
    )
    f.attend(ready, f.member(organ, f"Erik Ersättare {ERSATTARE}", "M"), m.AttendanceKind.ERSATTARE)
    f.attend(ready, f.person("Olle Övrig"), m.AttendanceKind.OVRIG, title=f"Handläggare {OVRIGA}")
    m.Paragraph.objects.filter(meeting=ready, title="Budget").update(dnr=f"Dnr-{PARAGRAPH_DNR}")
    justering = justering_service.send_to_justering(ready, alice)
    sign_all(justering)
    justering.refresh_from_db()
    posted = anslag_service.post_anslag(justering, alice, timezone.localdate())
    m.Correction.objects.create(
        meeting=ready,
        paragraph=None,
        field_label=f"Närvaro {FIELD_LABEL}",
        old_text="Fel namn",
        new_text="Rätt namn",
        reason="Skrivfel",
        made_by=alice,
    )
    return posted


def _pdf(content: bytes) -> tuple[str, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, " ".join(str(value) for value in (reader.metadata or {}).values())


def _leaks(text: str) -> list[str]:
    # The YYMMDD part of each number, however it was written, must be gone.
    return [where for where, number in ALL.items() if number.replace("19850", "850")[:6] in text]


def test_every_free_text_field_is_masked_on_the_page_and_in_the_pdf(client, anslag):
    page = client.get(reverse("public_anslag", args=[anslag.pk])).content.decode()
    text, metadata = _pdf(client.get(reverse("public_anslag_pdf", args=[anslag.pk])).content)
    for where, body in (("page", page), ("pdf", text), ("pdf metadata", metadata)):
        assert _leaks(body) == [], where
    for shown in ("Sessionssalen", "Ordförande", "Tina Tjänstgörande", "Erik Ersättare", "Närvaro"):
        assert f"{shown} {MASK}" in page, shown
    # Signed online: the front page gives the signing days, not the planned place (masked or not).
    assert "Justeringen har gjorts digitalt" in page and "Kansliet" not in page
    assert f"KS-{MASK}" in page and f"Dnr-{MASK}" in page
    assert f"Handläggare {MASK}" in page
    assert MASK in text


def test_the_original_is_not_changed_by_masking(client, anslag):
    client.get(reverse("public_anslag", args=[anslag.pk]))
    meeting = m.Meeting.objects.get(pk=anslag.meeting_id)
    assert PLACE in meeting.place and DIARIENUMMER in meeting.diarienummer
    assert FIELD_LABEL in m.Correction.objects.get().field_label


def test_search_finds_nothing_by_a_masked_number(client, anslag):
    page = client.get(reverse("public_search"), {"q": PARAGRAPH_DNR}).content.decode()
    assert "Inga träffar" in page
