"""Posting the anslag: legal dates, the public text (sekretess left out, personnummer masked), archiving."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings import models as m
from meetings.public import mask_personnummer
from meetings.services import anslag as anslag_service
from meetings.services import correction as correction_service
from meetings.services import justering as justering_service
from meetings.services.base import WorkflowError
from tests import factories as f
from tests.helpers import sign_all


@pytest.fixture
def justerat(ready, alice):
    secret = f.paragraph(ready, title="Personalärende", secret=True, summary="Hemlig text")
    m.DecisionClause.objects.create(paragraph=secret, text="att bevilja ansökan")
    budget = ready.paragraphs.get(title="Budget")
    budget.summary = "Sökanden 19850412-1234 och 850412-1234 samt 8504121234 och 850472+1234."
    budget.save()
    justering = justering_service.send_to_justering(ready, alice)
    sign_all(justering)
    justering.refresh_from_db()
    return justering


def _justerat_on(justering, day: dt.date) -> None:
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    m.Justering.objects.filter(pk=justering.pk).update(completed_at=when)
    justering.refresh_from_db()


def test_posting_sets_the_legal_dates(justerat, alice):
    _justerat_on(justerat, dt.date(2011, 4, 1))
    anslag = anslag_service.post_anslag(justerat, alice, dt.date(2011, 4, 4), backdate=True)
    assert anslag.appeal_until == dt.date(2011, 4, 26)  # three weeks is Annandag påsk
    assert anslag.take_down_on == dt.date(2011, 4, 27)
    assert anslag.storage_location == "Kommunledningsförvaltningen"
    justerat.meeting.refresh_from_db()
    assert justerat.meeting.status == "anslaget"


def test_public_text_leaves_out_sekretess_and_masks_personnummer(justerat, alice):
    anslag = anslag_service.post_anslag(justerat, alice, timezone.localdate())
    rows = {p.title: p for p in anslag.public_paragraphs.all()}
    assert "Personalärende" not in rows
    assert not any("Hemlig" in p.text or "bevilja" in p.text for p in rows.values())
    text = rows["Budget"].text
    assert "1234" not in text and text.count("ÅÅÅÅMMDD-XXXX") == 4
    # The original keeps the real text for staff.
    assert "19850412-1234" in m.Paragraph.objects.get(title="Budget").summary


def test_posting_twice_or_before_justering_is_refused(justerat, alice):
    with pytest.raises(WorkflowError, match="före justeringen"):
        anslag_service.post_anslag(justerat, alice, timezone.localdate() - dt.timedelta(days=1))
    anslag_service.post_anslag(justerat, alice, timezone.localdate())
    with pytest.raises(WorkflowError, match="redan"):
        anslag_service.post_anslag(justerat, alice, timezone.localdate())


def test_only_justerat_may_be_posted(ready, alice):
    justering = justering_service.send_to_justering(ready, alice)
    with pytest.raises(WorkflowError, match="Bara ett justerat"):
        anslag_service.post_anslag(justering, alice, timezone.localdate())


def test_current_and_archived(justerat, alice):
    _justerat_on(justerat, dt.date(2026, 10, 30))
    anslag = anslag_service.post_anslag(justerat, alice, dt.date(2026, 11, 2), backdate=True)
    board = m.Anslag.objects.current
    assert list(board(dt.date(2026, 11, 2))) == [anslag]
    assert list(board(dt.date(2026, 11, 23))) == [anslag]  # last appeal day 2026-11-23
    assert list(board(dt.date(2026, 11, 24))) == []  # taken down
    assert list(m.Anslag.objects.archived(dt.date(2026, 11, 24))) == [anslag]


def test_archive_command_moves_expired_to_arkiverat(justerat, alice):
    _justerat_on(justerat, dt.date(2026, 1, 2))
    anslag_service.post_anslag(justerat, alice, dt.date(2026, 1, 5), backdate=True)
    call_command("archive_anslag")
    justerat.meeting.refresh_from_db()
    assert justerat.meeting.status == "arkiverat"


def test_immediate_anslag_of_its_paragraphs_only(ready, alice):
    urgent = ready.paragraphs.get(title="Taxor")
    justering = justering_service.send_immediate_justering(ready, alice, [urgent])
    sign_all(justering)
    justering.refresh_from_db()
    anslag = anslag_service.post_anslag(justering, alice, timezone.localdate())
    assert [p.title for p in anslag.public_paragraphs.all()] == ["Taxor"]
    assert anslag.paragraphs_label == f"§ {urgent.number}"
    ready.refresh_from_db()
    assert ready.status == "utkast"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("pnr 19850412-1234.", "pnr ÅÅÅÅMMDD-XXXX."),
        ("850412-1234", "ÅÅÅÅMMDD-XXXX"),
        ("8504121234", "ÅÅÅÅMMDD-XXXX"),
        ("198504121234", "ÅÅÅÅMMDD-XXXX"),
        ("samordningsnummer 850472-1234", "samordningsnummer ÅÅÅÅMMDD-XXXX"),
        ("Dnr KS 2021/868", "Dnr KS 2021/868"),
        ("12 400 000 kronor", "12 400 000 kronor"),
        ("2021-11-22", "2021-11-22"),
    ],
)
def test_mask_personnummer(text, masked):
    assert mask_personnummer(text) == masked


def test_a_correction_after_posting_updates_the_public_text(justerat, alice):
    anslag = anslag_service.post_anslag(justerat, alice, timezone.localdate())
    budget = m.Paragraph.objects.get(title="Budget")
    correction_service.correct(budget, "title", "Budget 2027", "Fel årtal", alice)
    assert [p.title for p in anslag.public_paragraphs.filter(number=budget.number)] == ["Budget 2027"]
