"""The justering workflow: legal transitions, signatures bound to content, locking, rättelser."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.db.models import ProtectedError

from meetings import models as m
from meetings.export.canonical import content_hash
from meetings.locking import ProtokollLocked
from meetings.services import base
from meetings.services import correction as correction_service
from meetings.services import justering as justering_service
from meetings.services.base import WorkflowError
from tests import factories as f
from tests.helpers import sign_all

S = m.MeetingStatus


def test_send_to_justering_creates_a_round_with_chair_and_justerare(ready, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        justering = justering_service.send_to_justering(ready, alice)
    ready.refresh_from_db()
    assert ready.status == S.UNDER_JUSTERING
    assert [(s.person.name, s.role, s.status) for s in justering.signatures.all()] == [
        ("Bob Ordförande", "ordforande", "pagar"),
        ("Jane Justerare", "justerare", "pagar"),
        ("Joe Justerare", "justerare", "pagar"),
    ]
    assert len(justering.content_hash) == 64
    assert sorted(mail.outbox[0].to + mail.outbox[1].to + mail.outbox[2].to) == [
        "bob@example.se",
        "jane@example.se",
        "joe@example.se",
    ]
    assert ready.history.first().history_change_reason == "Skickat till justering"


def test_not_ready_without_the_organs_number_of_justerare(ready, alice):
    ready.justerare_2 = None
    ready.save()
    with pytest.raises(WorkflowError, match="ska ha 2 justerare"):
        justering_service.send_to_justering(ready, alice)
    ready.refresh_from_db()
    assert ready.status == S.UTKAST and not m.Justering.objects.exists()


def test_only_legal_transitions(ready, alice):
    justering_service.send_to_justering(ready, alice)
    with pytest.raises(WorkflowError):
        justering_service.send_to_justering(ready, alice)
    ready.refresh_from_db()
    with pytest.raises(WorkflowError):
        base.set_status(ready, S.ARKIVERAT, "hopp")


def test_last_signature_makes_it_justerat_with_one_hash(ready, alice, django_capture_on_commit_callbacks):
    justering = justering_service.send_to_justering(ready, alice)
    signers = [s.person for s in justering.signatures.all()]
    justering_service.sign(justering, signers[0])
    justering_service.sign(justering, signers[1])
    ready.refresh_from_db()
    assert ready.status == S.UNDER_JUSTERING
    with django_capture_on_commit_callbacks(execute=True):
        justering_service.sign(justering, signers[2])
    ready.refresh_from_db()
    justering.refresh_from_db()
    assert ready.status == S.JUSTERAT and ready.justerat_at is not None
    assert justering.status == "justerat"
    hashes = {s.content_hash for s in justering.signatures.all()}
    assert hashes == {justering.content_hash}
    assert all(s.signed_at for s in justering.signatures.all())
    assert "Justerat" in mail.outbox[-1].subject


def test_a_signer_signs_once_and_outsiders_not_at_all(ready, alice, charlie):
    justering = justering_service.send_to_justering(ready, alice)
    chair = justering.signatures.first().person
    justering_service.sign(justering, chair)
    with pytest.raises(WorkflowError, match="redan signerat"):
        justering_service.sign(justering, chair)
    with pytest.raises(WorkflowError, match="inte utsedd"):
        justering_service.sign(justering, charlie.person)
    assert justering.signatures.filter(status="signerat").count() == 1


def test_send_back_voids_every_signature_and_reopens_the_draft(ready, alice, django_capture_on_commit_callbacks):
    justering = justering_service.send_to_justering(ready, alice)
    chair, jane, _joe = [s.person for s in justering.signatures.all()]
    justering_service.sign(justering, chair)
    with django_capture_on_commit_callbacks(execute=True):
        justering_service.send_back(justering, jane, "Fel belopp i § 1.")
    ready.refresh_from_db()
    justering.refresh_from_db()
    assert ready.status == S.ATERSANT
    assert justering.returned_comment == "Fel belopp i § 1." and justering.returned_by == jane
    assert sorted(s.status for s in justering.signatures.all()) == ["aterkallat", "aterkallat", "avslaget"]
    assert mail.outbox[0].to == ["alice@example.se"] and "Fel belopp" in mail.outbox[0].body
    # The secretary may edit again, then send a new round.
    p = ready.paragraphs.first()
    p.title = "Budget 2027"
    p.save()
    second = justering_service.send_to_justering(ready, alice)
    assert second.pk != justering.pk and second.signatures.filter(status="pagar").count() == 3


def test_send_back_needs_a_comment(ready, alice):
    justering = justering_service.send_to_justering(ready, alice)
    with pytest.raises(WorkflowError, match="kommentar"):
        justering_service.send_back(justering, justering.signatures.first().person, "   ")


def refused(action) -> None:
    """``action`` raises ProtokollLocked. The savepoint keeps the test's transaction usable, as a
    view's transaction would be rolled back."""
    with pytest.raises(ProtokollLocked), transaction.atomic():
        action()


class TestLockedContent:
    """Every path that would change content under justering or after it is refused at the model layer."""

    @pytest.fixture(params=["under_justering", "justerat"])
    def locked(self, request, ready, alice):
        justering = justering_service.send_to_justering(ready, alice)
        if request.param == "justerat":
            sign_all(justering)
        ready.refresh_from_db()
        return ready

    def test_meeting_fields(self, locked):
        locked.place = "Annan sal"
        refused(lambda: locked.save())

    def test_paragraph_save_create_delete(self, locked):
        p = locked.paragraphs.first()
        p.title = "Ändrad"
        refused(lambda: p.save())
        refused(lambda: m.Paragraph.objects.create(meeting=locked, number=99, title="Ny"))
        refused(lambda: p.delete())
        refused(lambda: m.Paragraph.objects.filter(meeting=locked).delete())

    def test_related_objects(self, locked):
        p = locked.paragraphs.first()
        clause = p.clauses.first()
        clause.text = "att göra något annat"
        refused(lambda: clause.save())
        refused(lambda: clause.delete())
        refused(lambda: m.Motion.objects.create(paragraph=p, person=locked.chair, kind="bifall"))
        refused(lambda: m.Vote.objects.create(paragraph=p, ja_means="a", nej_means="b"))
        attendance = locked.attendances.first()
        refused(lambda: attendance.paragraphs.add(p))
        refused(lambda: f.attend(locked, f.person("Sen gäst"), m.AttendanceKind.OVRIG))

    def test_meeting_cannot_be_deleted(self, locked):
        # The justering rounds protect it (PROTECT) and so does the lock itself.
        with pytest.raises((ProtokollLocked, ProtectedError)), transaction.atomic():
            locked.delete()
        with pytest.raises(ProtokollLocked), transaction.atomic():
            m.Justering.objects.filter(meeting=locked).update(meeting=f.meeting(locked.organ))
            locked.delete()

    def test_content_is_unchanged_after_every_attempt(self, locked):
        before = content_hash(locked)
        p = locked.paragraphs.first()
        refused(lambda: m.DecisionClause.objects.create(paragraph=p, text="att smyga in något"))
        refused(lambda: p.clauses.all().delete())
        refused(lambda: locked.attendances.first().delete())
        assert content_hash(locked) == before


def test_immediate_justering_locks_just_those_paragraphs(ready, alice):
    urgent = ready.paragraphs.get(title="Taxor")
    other = ready.paragraphs.get(title="Budget")
    justering = justering_service.send_immediate_justering(ready, alice, [urgent])
    sign_all(justering)
    urgent.refresh_from_db()
    ready.refresh_from_db()
    assert urgent.justerad_at is not None
    assert ready.status == S.UTKAST
    urgent.title = "Ändrad"
    with pytest.raises(ProtokollLocked, match="omedelbart justerad"):
        urgent.save()
    other.title = "Budget ändrad"
    other.save()  # the rest follows the normal flow


def test_immediate_justering_only_of_flagged_paragraphs(ready, alice):
    with pytest.raises(WorkflowError, match="inte markerad"):
        justering_service.send_immediate_justering(ready, alice, [ready.paragraphs.get(title="Budget")])


def test_a_change_after_a_signature_voids_it(ready, alice):
    """In an omedelbar round the rest of the draft stays editable, so the round's §§ can change
    between two signatures: the earlier signature is then void and its signer must sign again."""
    urgent = ready.paragraphs.get(title="Taxor")
    justering = justering_service.send_immediate_justering(ready, alice, [urgent])
    chair, jane, joe = [s.person for s in justering.signatures.all()]
    justering_service.sign(justering, chair)
    m.DecisionClause.objects.create(paragraph=urgent, text="att höja taxan")
    justering_service.sign(justering, jane)
    justering_service.sign(justering, joe)
    justering.refresh_from_db()
    assert justering.status == "pagar"
    statuses = [(s.person.name, s.status) for s in justering.signatures.all()]
    assert ("Bob Ordförande", "aterkallat") in statuses and ("Bob Ordförande", "pagar") in statuses
    justering_service.sign(justering, chair)
    justering.refresh_from_db()
    assert justering.status == "justerat"
    assert {s.content_hash for s in justering.signatures.filter(status="signerat")} == {justering.content_hash}


def test_correction_is_recorded_and_applied(ready, alice):
    sign_all(justering_service.send_to_justering(ready, alice))
    p = ready.paragraphs.get(title="Budget")
    correction = correction_service.correct(p, "title", "Budget 2027", "Skrivfel i rubriken", alice)
    p.refresh_from_db()
    assert p.title == "Budget 2027"
    assert (correction.old_text, correction.new_text, correction.made_by) == ("Budget", "Budget 2027", alice)
    assert correction.field_label == f"§ {p.number}, rubrik"
    with pytest.raises(WorkflowError, match="skälet"):
        correction_service.correct(p, "title", "X", " ", alice)
    with pytest.raises(WorkflowError, match="kan inte rättas"):
        correction_service.correct(p, "number", "1", "x", alice)


def test_correction_only_of_justerat(ready, alice):
    with pytest.raises(WorkflowError, match="bara i justerade"):
        correction_service.correct(ready.paragraphs.first(), "title", "Ny", "skäl", alice)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_two_signers_at_the_same_moment_end_justerat_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (set DATABASE_URL)")
    organ = f.organ()
    people = [f.member(organ, name) for name in ("Ordf", "Just1", "Just2")]
    secretary = f.user("sekr")
    meeting = f.meeting(organ, chair=people[0], justerare_1=people[1], justerare_2=people[2])
    for person in people:
        f.attend(meeting, person)
    f.paragraph(meeting)
    justering = justering_service.send_to_justering(meeting, secretary)
    justering_service.sign(justering, people[0])
    barrier = threading.Barrier(2)
    errors = []

    def sign(person):
        try:
            barrier.wait()
            justering_service.sign(justering, person)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(p,)) for p in people[1:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    meeting.refresh_from_db()
    assert meeting.status == S.JUSTERAT
    assert m.Signature.objects.filter(justering=justering, status="signerat").count() == 3
    changes = [h.history_change_reason for h in meeting.history.all()]
    assert changes.count("Justerat") == 1


def test_admin_change_of_a_justerat_protokoll_is_refused_with_a_message(ready, alice, admin_user, client):
    sign_all(justering_service.send_to_justering(ready, alice))
    p = ready.paragraphs.get(title="Budget")
    client.force_login(admin_user)
    url = f"/admin/meetings/paragraph/{p.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"meeting": ready.pk, "title": "Ändrad i admin", "clauses-TOTAL_FORMS": 0, "clauses-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 409
    assert "justerat och kan inte ändras" in response.content.decode()
    p.refresh_from_db()
    assert p.title == "Budget"
