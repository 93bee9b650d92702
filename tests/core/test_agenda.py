"""Before the meeting, as rules and services: the agenda, the kallelse and who is called, the notice
of a fullmäktige meeting, the protokoll made from the agenda, and the one rule of which files the
public may download."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from meetings import dates
from meetings import models as m
from meetings.export.document import build_document, load_meeting
from meetings.services import agenda
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from meetings.services.base import WorkflowError
from meetings.services.register import standing_items_of
from tests import factories as f
from tests.helpers import bilaga, handling, sign_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(organ, bob):
    """KSAU's register: bob chairs, mia sits, erik is ersättare (no e-mail), ola left last year."""
    bob.person.email = "bob@example.se"
    bob.person.save()
    f.member(organ, "Mia Ledamot", "S", email="mia@example.se")
    f.member(organ, "Erik Ersättare", "S", m.MembershipRole.ERSATTARE)
    ola = f.member(organ, "Ola Avgången", "KD", email="ola@example.se")
    ola.memberships.update(end=datetime.date(2025, 12, 31))
    return organ


@pytest.fixture
def upcoming(board):
    return f.meeting(board, date=datetime.date(2026, 5, 14), diarienummer="KS 2026/140")


# ---------------------------------------------------------------------------------------------------
# Dates (KL 5 kap. 13 and 15 §§)
# ---------------------------------------------------------------------------------------------------


def test_fullmaktige_notice_is_due_a_week_before_the_meeting_day():
    # KL 5 kap. 13 §: "minst en vecka före sammanträdesdagen"; a notice period, not moved off weekends.
    assert dates.notice_deadline(datetime.date(2026, 5, 14)) == datetime.date(2026, 5, 7)
    assert dates.notice_deadline(datetime.date(2026, 5, 16)) == datetime.date(2026, 5, 9)  # a Saturday


def test_kallelse_deadline_follows_the_reglemente_but_fullmaktige_never_under_a_week():
    # KL 5 kap. 15 § for fullmäktige; nämnder as their reglemente says.
    assert dates.kallelse_deadline(datetime.date(2026, 5, 14), 5, fullmaktige=False) == datetime.date(2026, 5, 9)
    assert dates.kallelse_deadline(datetime.date(2026, 5, 14), 5, fullmaktige=True) == datetime.date(2026, 5, 7)
    assert dates.kallelse_deadline(datetime.date(2026, 5, 14), 10, fullmaktige=True) == datetime.date(2026, 5, 4)


def test_a_fullmaktige_cannot_be_set_to_call_later_than_a_week_before():
    organ = f.organ("KF", kind=m.OrganKind.FULLMAKTIGE, kallelse_days=5)
    with pytest.raises(Exception, match="minst en vecka"):
        organ.full_clean()


# ---------------------------------------------------------------------------------------------------
# The agenda
# ---------------------------------------------------------------------------------------------------


def test_standing_points_go_first_and_only_once(upcoming):
    paper = f.paper(upcoming.organ, "Budget")
    agenda.add_paper_item(upcoming, paper)
    standing = standing_items_of(upcoming.organ)
    agenda.add_standing_items(upcoming, standing)
    agenda.add_standing_items(upcoming, standing)
    names = list(upcoming.agenda_items.order_by("position").values_list("name", flat=True))
    assert names == [s.name for s in standing] + ["Budget"]


def test_an_arende_is_on_an_agenda_once(upcoming):
    paper = f.paper(upcoming.organ, "Budget", proposal="att anta budgeten")
    item = agenda.add_paper_item(upcoming, paper)
    assert (item.name, item.proposal, item.reference) == ("Budget", "att anta budgeten", paper.reference)
    with pytest.raises(WorkflowError, match="finns redan"):
        agenda.add_paper_item(upcoming, paper)


def test_points_move_and_the_agenda_is_frozen_with_the_protokoll(upcoming, alice):
    first = agenda.add_free_item(upcoming, "Upprop")
    second = agenda.add_free_item(upcoming, "Informationsärenden")
    agenda.move_item(upcoming, second.pk, "up")
    assert list(upcoming.agenda_items.order_by("position")) == [second, first]
    m.Meeting.objects.filter(pk=upcoming.pk).update(status=m.MeetingStatus.UNDER_JUSTERING)
    with pytest.raises(Exception, match="under justering"):
        agenda.add_free_item(upcoming, "Övrigt")


# ---------------------------------------------------------------------------------------------------
# Kallelse
# ---------------------------------------------------------------------------------------------------


def test_kallelse_goes_to_members_and_ersattare_of_the_day_and_records_who_had_no_address(
    upcoming, alice, django_capture_on_commit_callbacks
):
    agenda.add_paper_item(upcoming, f.paper(upcoming.organ, "Budget 2027", reference="KS 2026/77"))
    with django_capture_on_commit_callbacks(execute=True):
        kallelse = agenda.send_kallelse(upcoming, alice)
    assert sorted(r["name"] for r in kallelse.recipients) == ["Bob Ordförande", "Mia Ledamot"]
    assert kallelse.missing == ["Erik Ersättare"]  # no address: to be called another way
    assert sorted(message.to[0] for message in mail.outbox) == ["bob@example.se", "mia@example.se"]
    message = next(msg for msg in mail.outbox if msg.to == ["mia@example.se"])
    assert message.subject == "Kallelse: Kommunstyrelsens arbetsutskott 2026-05-14"
    assert "Du kallas som ledamot" in message.body
    assert "1. Budget 2027 (Dnr KS 2026/77)" in message.body
    assert f"/kallelser/{upcoming.pk}/" in message.body
    assert "ola@example.se" not in [msg.to[0] for msg in mail.outbox]  # left before the meeting


def test_a_second_kallelse_is_a_revised_one(upcoming, alice, django_capture_on_commit_callbacks):
    agenda.add_free_item(upcoming, "Upprop")
    with django_capture_on_commit_callbacks(execute=True):
        agenda.send_kallelse(upcoming, alice)
        agenda.send_kallelse(upcoming, alice)
    assert mail.outbox[-1].subject.startswith("Reviderad kallelse")


def test_an_empty_agenda_is_not_sent(upcoming, alice):
    with pytest.raises(WorkflowError, match="tom"):
        agenda.send_kallelse(upcoming, alice)
    assert not m.Kallelse.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Notice of a fullmäktige meeting (KL 5 kap. 13 §)
# ---------------------------------------------------------------------------------------------------


@pytest.fixture
def kf(alice):
    organ = f.organ("KF", kind=m.OrganKind.FULLMAKTIGE, justerare_count=2)
    organ.secretaries.add(alice)
    return organ


def test_only_fullmaktige_meetings_are_announced(upcoming, alice):
    agenda.add_free_item(upcoming, "Upprop")
    with pytest.raises(WorkflowError, match="Bara fullmäktiges"):
        agenda.post_notice(upcoming, alice, upcoming.date - datetime.timedelta(days=8), upcoming.date)


def test_a_notice_is_put_up_once_today_or_later(kf, alice):
    today = timezone.localdate()
    meeting = f.meeting(kf, date=today + datetime.timedelta(days=10))
    with pytest.raises(WorkflowError, match="tom"):
        agenda.post_notice(meeting, alice, today, today)
    agenda.add_free_item(meeting, "Val av justerare")
    with pytest.raises(WorkflowError, match="tidigare datum"):
        agenda.post_notice(meeting, alice, today - datetime.timedelta(days=1), today)
    notice = agenda.post_notice(meeting, alice, today, today)
    assert notice.posted_on <= meeting.notice_deadline
    with pytest.raises(WorkflowError, match="redan"):
        agenda.post_notice(meeting, alice, today, today)


def test_notices_are_published_from_their_day_and_current_until_the_meeting(kf, alice):
    today = timezone.localdate()
    later = m.MeetingNotice.objects.create(
        meeting=f.meeting(kf, date=today + datetime.timedelta(days=9)), posted_on=today + datetime.timedelta(days=1)
    )
    now = m.MeetingNotice.objects.create(
        meeting=f.meeting(kf, date=today + datetime.timedelta(days=7)), posted_on=today
    )
    held = m.MeetingNotice.objects.create(
        meeting=f.meeting(kf, date=today - datetime.timedelta(days=1)), posted_on=today - datetime.timedelta(days=9)
    )
    assert set(m.MeetingNotice.objects.published(today)) == {now, held}
    assert list(m.MeetingNotice.objects.current(today)) == [now]
    assert later not in m.MeetingNotice.objects.published(today)


# ---------------------------------------------------------------------------------------------------
# The protokoll from the agenda
# ---------------------------------------------------------------------------------------------------


def test_the_protokoll_is_made_from_the_agenda(upcoming, alice):
    paper = f.paper(
        upcoming.organ,
        "Detaljplan",
        reference="KS 2026/512",
        description="Planen gäller hamnen.",
        proposal="att godkänna planen",
    )
    handling(paper, "Tjänsteskrivelse 2026-04-01")
    handling(paper, "Plankarta", public=False)
    agenda.add_free_item(upcoming, "Val av justerare", "att utse Mia Ledamot")
    agenda.add_paper_item(upcoming, paper)
    paragraphs = agenda.create_protokoll_from_agenda(load_meeting(upcoming.pk))
    first, second = paragraphs
    assert (first.number, first.title, first.dnr, first.proposal) == (1, "Val av justerare", "", "att utse Mia Ledamot")
    assert (second.number, second.title, second.dnr) == (2, "Detaljplan", "KS 2026/512")
    assert second.basis == "Tjänsteskrivelse 2026-04-01\nPlankarta"
    assert (second.summary, second.proposal) == ("Planen gäller hamnen.", "att godkänna planen")
    assert [a.person.name for a in upcoming.attendances.all()] == ["Bob Ordförande", "Mia Ledamot", "Erik Ersättare"]
    assert {a.person.name: a.kind for a in upcoming.attendances.all()}["Erik Ersättare"] == "ersattare"
    assert m.Meeting.objects.get(pk=upcoming.pk).chair.name == "Bob Ordförande"


def test_making_it_again_adds_only_new_points_and_keeps_edited_attendance(upcoming, alice):
    agenda.add_free_item(upcoming, "Upprop")
    agenda.create_protokoll_from_agenda(load_meeting(upcoming.pk))
    upcoming.attendances.filter(person__name="Mia Ledamot").update(absent=True)
    f.member(upcoming.organ, "Nils Nykomling", "M")
    agenda.add_free_item(upcoming, "Informationsärenden")
    [added] = agenda.create_protokoll_from_agenda(load_meeting(upcoming.pk))
    assert (added.number, added.title) == (2, "Informationsärenden")
    assert upcoming.paragraphs.count() == 2
    assert upcoming.attendances.get(person__name="Mia Ledamot").absent
    assert upcoming.attendances.filter(person__name="Nils Nykomling").exists()


def test_removing_a_paragraph_frees_its_point(upcoming):
    item = agenda.add_free_item(upcoming, "Upprop")
    [paragraph] = agenda.create_protokoll_from_agenda(load_meeting(upcoming.pk))
    paragraph.delete()
    item.refresh_from_db()
    assert item.paragraph is None


# ---------------------------------------------------------------------------------------------------
# Bilagor in the protokoll, and which files the public may download
# ---------------------------------------------------------------------------------------------------


def test_bilagor_are_numbered_through_the_protokoll(ready):
    budget, taxor = ready.paragraphs.order_by("position")
    bilaga(budget, "Karta")
    bilaga(taxor, "Taxetabell")
    bilaga(taxor, "Reservation (S)", public=False)
    doc = build_document(load_meeting(ready.pk))
    assert [[(n, f.name) for n, f in item.attachments] for item in doc.paragraphs] == [
        [(1, "Karta")],
        [(2, "Taxetabell"), (3, "Reservation (S)")],
    ]
    extract = build_document(load_meeting(ready.pk), [taxor.number])
    assert [n for n, _f in extract.paragraphs[0].attachments] == [2, 3]


def test_bilagor_are_signed_with_their_paragraph_and_locked_after(ready, alice):
    from meetings.export.canonical import canonical_data, content_hash
    from meetings.locking import ProtokollLocked

    before = content_hash(ready)
    assert "attachments" not in canonical_data(ready)["paragraphs"][0]  # old hashes stay as they were
    file = bilaga(ready.paragraphs.first(), "Karta")
    assert content_hash(ready) != before
    assert canonical_data(ready)["paragraphs"][0]["attachments"] == [{"name": "Karta", "sha256": file.sha256}]
    sign_all(justering_service.send_to_justering(ready, alice))
    file.name = "Annan karta"
    with pytest.raises(ProtokollLocked):
        file.save()
    with pytest.raises(ProtokollLocked), transaction.atomic():
        file.delete()
    # Whether the public may see it is not what was signed: it can be withdrawn after justering.
    file.refresh_from_db()
    file.public = False
    file.save()


@pytest.fixture
def published(ready, alice):
    """A posted protokoll with a public and a hidden bilaga, and one on a § under sekretess."""
    budget = ready.paragraphs.get(title="Budget")
    open_file = bilaga(budget, "Karta")
    hidden = bilaga(budget, "Reservation", public=False)
    secret = f.paragraph(ready, title="Personalärende", secret=True)
    m.DecisionClause.objects.create(paragraph=secret, text="att bevilja")
    on_secret = bilaga(secret, "Läkarintyg")
    justering = justering_service.send_to_justering(ready, alice)
    sign_all(justering)
    justering.refresh_from_db()
    return {"justering": justering, "open": open_file, "hidden": hidden, "secret": on_secret}


def test_a_bilaga_is_public_only_once_its_anslag_is_up_and_if_marked_public(published, alice):
    today = timezone.localdate()
    assert not m.File.objects.published(today).exists()  # justerat, not yet posted
    anslag_service.post_anslag(published["justering"], alice, today)
    assert list(m.File.objects.published(today)) == [published["open"]]
    assert not m.File.objects.published(today - datetime.timedelta(days=1)).exists()


def test_handlingar_are_public_only_through_a_published_fullmaktige_notice(kf, alice):
    today = timezone.localdate()
    meeting = f.meeting(kf, date=today + datetime.timedelta(days=10))
    paper = f.paper(kf, "Årsredovisning")
    open_file, hidden = handling(paper, "Årsredovisning 2025"), handling(paper, "Utkast", public=False)
    closed_paper = f.paper(kf, "Förvärv")
    closed = handling(closed_paper, "Värdering")
    agenda.add_paper_item(meeting, paper)
    item = agenda.add_paper_item(meeting, closed_paper)
    item.public = False
    item.save()
    assert not m.File.objects.published(today).exists()  # on the agenda, not yet announced
    agenda.post_notice(meeting, alice, today, today)
    assert list(m.File.objects.published(today)) == [open_file]
    assert hidden not in m.File.objects.published(today) and closed not in m.File.objects.published(today)


def test_a_namnd_agenda_publishes_nothing(upcoming):
    paper = f.paper(upcoming.organ, "Budget")
    handling(paper)
    agenda.add_paper_item(upcoming, paper)
    # Even a notice that slipped in (post_notice refuses one for a nämnd) publishes nothing: a nämnd
    # meets behind closed doors (KL 6 kap. 25 §).
    m.MeetingNotice.objects.create(meeting=upcoming, posted_on=datetime.date(2026, 1, 1))
    assert not m.MeetingNotice.objects.published(datetime.date(2026, 5, 1)).exists()
    assert not m.File.objects.published(datetime.date(2026, 5, 1)).exists()


def test_bilagor_and_agenda_points_are_in_the_meetings_history(ready):
    from meetings.audit import meeting_history

    agenda.add_free_item(ready, "Upprop")
    bilaga(ready.paragraphs.get(title="Budget"), "Karta")
    described = [entry.object_repr for entry in meeting_history(ready)]
    assert "Punkt på föredragningslistan: Upprop" in described
    assert f"Bilaga i § {ready.paragraphs.get(title='Budget').number}: Karta" in described


def test_a_point_behind_closed_doors_becomes_a_paragraph_under_sekretess(upcoming, alice):
    """Review A 4 (OSL 2009:400; KL 6 kap. 25 §): a point handled behind closed doors because of
    sekretess must not become a public § when the protokoll is made from the agenda."""
    paper = f.paper(upcoming.organ, "Förvärv av Hamnen 1:12", reference="KS 2026/301")
    agenda.add_free_item(upcoming, "Upprop")
    item = agenda.add_paper_item(upcoming, paper)
    item.public = False
    item.save()
    open_point, closed_point = agenda.create_protokoll_from_agenda(load_meeting(upcoming.pk))
    assert (open_point.secret, closed_point.secret) == (False, True)


def test_a_point_closed_after_its_paragraph_was_made_puts_the_paragraph_under_sekretess(upcoming, alice):
    item = agenda.add_free_item(upcoming, "Personalärende")
    (paragraph,) = agenda.create_protokoll_from_agenda(load_meeting(upcoming.pk))
    assert not paragraph.secret
    item.refresh_from_db()
    item.public = False
    agenda.save_item(item, item.version, ["public"])
    paragraph.refresh_from_db()
    assert paragraph.secret
