"""load_demo creates the seed meeting exactly, is idempotent and creates users only when DEBUG is on."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from meetings import models as m
from meetings.demo import SEED_344_CLAUSE, SEED_344_SUMMARY, SEED_344_TITLE
from meetings.export.document import build_document, load_meeting

pytestmark = pytest.mark.django_db


def _counts():
    models = [m.Organ, m.Party, m.Person, m.Membership, m.Meeting, m.Attendance, m.Paragraph, m.DecisionClause]
    models += [m.Motion, m.Vote, m.VoteCast, m.Reservation, m.ProtocolNote, m.Recusal, get_user_model()]
    return {model.__name__: model.objects.count() for model in models}


@override_settings(DEBUG=True)
def test_second_run_changes_nothing():
    call_command("load_demo", stdout=None)
    first = _counts()
    history = m.Paragraph.history.count()
    call_command("load_demo")
    assert _counts() == first
    assert m.Paragraph.history.count() == history
    assert first["User"] == 5


def test_no_demo_users_when_debug_is_off(capsys):
    call_command("load_demo")
    assert get_user_model().objects.count() == 0
    assert "inga demoanvändare" in capsys.readouterr().err
    assert m.Meeting.objects.filter(diarienummer="KS 2021/647").exists()


def test_seed_meeting_is_as_in_the_seed():
    call_command("load_demo")
    meeting = load_meeting(m.Meeting.objects.get(diarienummer="KS 2021/647").pk)
    assert meeting.organ.name == "Kommunstyrelsens arbetsutskott"
    assert meeting.date == datetime.date(2021, 11, 22)
    assert meeting.place_and_time == "Sessionssalen kl. 13.30–14.15"
    assert meeting.secretary.name == "Eva-Lotta Kittel"
    assert [p.name for p in meeting.justerare] == ["Erik Lundström", "Lennart Höckert"]
    doc = build_document(meeting)
    assert doc.beslutande == [
        "Mikael Rubin (M), Ordförande",
        "Erik Lundström (KD)",
        "Helmuth Petersén (SD)",
        "Lennart Höckert (S)",
        "Henrik Silfverstolpe (L)",
    ]
    assert doc.tjanstgorande == [] and doc.ersattare == []
    assert doc.ovriga == [
        "Fredrik Geijer, Kommundirektör, Kommunledningsförvaltningen",
        "Eva-Lotta Kittel, Kommunsekreterare, Kommunledningsförvaltningen",
        "Johan Lilja, Generalsekreterare, ICLD, § 344",
        "Ana Maria Vargas Falla, Forskningschef, ICLD, § 344",
    ]
    assert doc.paragraph_range == "343–344"
    p344 = m.Paragraph.objects.get(meeting=meeting, number=344)
    assert (p344.title, p344.dnr) == (SEED_344_TITLE, "KS 2021/868")
    assert p344.decision_intro == "Kommunstyrelsens arbetsutskott beslutar"
    assert [c.text for c in p344.clauses.all()] == [SEED_344_CLAUSE]
    assert p344.summary == SEED_344_SUMMARY


def test_seed_meeting_is_justerat_by_its_signers_and_posted():
    call_command("load_demo")
    meeting = m.Meeting.objects.get(diarienummer="KS 2021/647")
    assert meeting.status == "arkiverat"
    justering = meeting.justeringar.get()
    assert [(s.person.name, s.role, s.status) for s in justering.signatures.all()] == [
        ("Mikael Rubin", "ordforande", "signerat"),
        ("Erik Lundström", "justerare", "signerat"),
        ("Lennart Höckert", "justerare", "signerat"),
    ]
    anslag = justering.anslag
    assert (anslag.posted_on, anslag.appeal_until) == (datetime.date(2021, 11, 30), datetime.date(2021, 12, 21))


def _next_week():
    return m.Meeting.objects.get(date=timezone.localdate() + datetime.timedelta(days=7))


def test_relative_meetings_cover_every_journey():
    call_command("load_demo")
    relative = m.Meeting.objects.exclude(diarienummer="KS 2021/647").exclude(pk=_next_week().pk)
    statuses = set(relative.values_list("status", flat=True))
    assert statuses == {"utkast", "under_justering", "anslaget"}
    board = m.Anslag.objects.current(timezone.localdate())
    year = timezone.localdate().year
    assert [a.meeting.diarienummer for a in board] == [f"KS {year}/905", f"KS {year}/903"]
    waiting = m.Meeting.objects.get(status="under_justering").justeringar.get()
    assert waiting.signatures.filter(status="pagar").count() == 3
    for meeting in relative:
        assert m.Motion.objects.filter(paragraph__meeting=meeting).exists()
        assert m.VoteCast.objects.filter(vote__paragraph__meeting=meeting).count() == 5
        assert m.Reservation.objects.filter(paragraph__meeting=meeting).exists()


def test_ksau_register_comes_from_the_bundled_list():
    call_command("load_demo")
    seats = m.Membership.objects.filter(organ__short_name="KSAU").select_related("person", "party")
    by_name = {ms.person.name: ms for ms in seats}
    assert len(by_name) == 8
    assert (by_name["Mikael Rubin"].role, by_name["Mikael Rubin"].party.abbreviation) == ("ordforande", "M")
    assert by_name["Lennart Höckert"].role == "vice_ordforande"
    assert sorted(n for n, ms in by_name.items() if ms.role == "ersattare") == [
        "Anna Berglund",
        "Karin Nyström",
        "Sofia Wikström",
    ]
    assert by_name["Anna Berglund"].person.email == "anna.berglund@example.se"
    assert by_name["Henrik Silfverstolpe"].person.email == ""


def test_next_weeks_meeting_has_a_kallelse_to_send():
    call_command("load_demo")
    meeting = _next_week()
    items = list(meeting.agenda_items.select_related("paper").order_by("position"))
    assert len(items) >= 5
    assert [i.name for i in items[:2]] == ["Upprop", "Val av justerare och tid för justering"]
    with_files = [i for i in items if i.paper_id and i.paper.files.exists()]
    assert len(with_files) == 2
    hidden = m.File.objects.filter(paper__consultations__meeting=meeting, public=False)
    assert [f.name for f in hidden] == ["Värderingsutlåtande"]
    assert not meeting.kallelser.exists()
    assert meeting.attendances.count() == 8  # the register on the day
    assert default_storage.exists(hidden.get().content.name)


def test_the_draft_was_made_from_its_agenda():
    call_command("load_demo")
    draft = m.Meeting.objects.get(diarienummer=f"KS {timezone.localdate().year}/901")
    items = list(draft.agenda_items.select_related("paragraph", "paper").order_by("position"))
    assert [i.paragraph.title for i in items] == ["Val av justerare", "Föreningsbidrag", "Ekonomisk rapport"]
    assert items[1].paragraph.dnr == items[1].paper.reference
    assert items[1].paragraph.basis == "Tjänsteskrivelse"
    assert items[1].paragraph.proposal == "att föreslå kommunstyrelsen att anta förvaltningens förslag."
