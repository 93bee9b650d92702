"""Optimistic locking under real concurrency, and the audit trail of drafting saves."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.http import Http404
from django.urls import reverse

from backoffice.forms import SECTION_FORMSETS
from meetings import models as m
from meetings.locking import ProtokollLocked
from meetings.services.drafting import StaleVersion, claim_version
from tests import factories as f


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_racing_saves_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (set DATABASE_URL); SQLite serialises writers")
    paragraph = f.paragraph(f.meeting(f.organ()), title="Original")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(title: str) -> None:
        try:
            mine = m.Paragraph.objects.get(pk=paragraph.pk)
            barrier.wait()
            with transaction.atomic():
                claim_version(mine, 1)
                time.sleep(0.3)  # hold the row lock while the other save tries
                mine.title = title
                mine.save(update_fields=["title", "version"])
            outcomes[title] = "saved"
        except StaleVersion:
            outcomes[title] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(t,)) for t in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["refused", "saved"]
    paragraph.refresh_from_db()
    winner = next(t for t, o in outcomes.items() if o == "saved")
    assert (paragraph.title, paragraph.version) == (winner, 2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_save_racing_a_send_to_justering_waits_and_is_refused():
    """The send locks the meeting row and changes the status; a paragraph save that starts before
    the send commits must wait for it and see the new status, not slip in unseen by the content
    hash of the justering."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (set DATABASE_URL); SQLite serialises writers")
    meeting = f.meeting(f.organ())
    paragraph = f.paragraph(meeting, title="Original")
    sending = threading.Event()
    outcome: list[str] = []

    def send() -> None:
        try:
            with transaction.atomic():
                m.Meeting.objects.select_for_update().get(pk=meeting.pk)
                m.Meeting.objects.filter(pk=meeting.pk).update(status=m.MeetingStatus.UNDER_JUSTERING)
                sending.set()
                time.sleep(0.5)  # computing the content hash, creating signatures …
        finally:
            connections.close_all()

    def save() -> None:
        try:
            sending.wait(5)
            mine = m.Paragraph.objects.get(pk=paragraph.pk)
            with transaction.atomic():
                claim_version(mine, 1)
                mine.title = "Sent ändrad"
                mine.save(update_fields=["title", "version"])
            outcome.append("saved")
        except ProtokollLocked:
            outcome.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send), threading.Thread(target=save)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcome == ["refused"]
    paragraph.refresh_from_db()
    assert (paragraph.title, paragraph.version) == ("Original", 1)


@pytest.mark.parametrize("status", [m.MeetingStatus.UNDER_JUSTERING, m.MeetingStatus.JUSTERAT])
def test_a_claim_rechecks_the_status_under_the_lock(meeting, status):
    paragraph = f.paragraph(meeting)
    m.Meeting.objects.filter(pk=meeting.pk).update(status=status)
    for obj in (meeting, paragraph):
        with pytest.raises(ProtokollLocked, match="kan inte längre ändras"), transaction.atomic():
            claim_version(obj, 1)
    paragraph.refresh_from_db()
    assert paragraph.version == 1


def test_a_claim_on_a_deleted_row_is_a_conflict_or_not_found(meeting):
    paragraph = f.paragraph(meeting)
    m.Paragraph.objects.filter(pk=paragraph.pk).delete()
    with pytest.raises(StaleVersion), transaction.atomic():
        claim_version(paragraph, 1)
    m.Meeting.objects.filter(pk=meeting.pk).delete()
    for obj in (meeting, paragraph):
        with pytest.raises(Http404), transaction.atomic():
            claim_version(obj, 1)


def test_a_claim_with_an_old_version_changes_nothing(meeting):
    with pytest.raises(StaleVersion), transaction.atomic():
        claim_version(meeting, meeting.version + 1)
    meeting.refresh_from_db()
    assert meeting.version == 1


def test_saves_through_the_views_are_in_the_audit_log_with_the_user(client, alice, meeting):
    paragraph = f.paragraph(meeting, title="Före")
    client.force_login(alice)
    data = {"version": 1, "number": paragraph.number, "title": "Efter", "action": "save"}
    for key in SECTION_FORMSETS:
        data.update({f"{key}-TOTAL_FORMS": 1 if key == "clauses" else 0, f"{key}-INITIAL_FORMS": 0})
    data["clauses-0-text"] = "att godkänna."
    assert client.post(reverse("paragraph_edit", args=[meeting.pk, paragraph.pk]), data).status_code == 302
    latest = paragraph.history.latest()
    assert (latest.title, latest.version, latest.history_user) == ("Efter", 2, alice)
    assert m.DecisionClause.history.get(paragraph_id=paragraph.pk).history_user == alice
