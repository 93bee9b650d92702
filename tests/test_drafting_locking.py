"""Optimistic locking under real concurrency, and the audit trail of drafting saves."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from meetings import models as m
from meetings.views.drafting import StaleVersion, _claim_version
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
                _claim_version(mine, 1)
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


def test_a_claim_with_an_old_version_changes_nothing(meeting):
    with pytest.raises(StaleVersion), transaction.atomic():
        _claim_version(meeting, meeting.version + 1)
    meeting.refresh_from_db()
    assert meeting.version == 1


def test_saves_through_the_views_are_in_the_audit_log_with_the_user(client, alice, meeting):
    paragraph = f.paragraph(meeting, title="Före")
    client.force_login(alice)
    data = {"version": 1, "number": paragraph.number, "title": "Efter", "action": "save"}
    for key in ("clauses", "motions", "reservations", "notes", "recusals"):
        data.update({f"{key}-TOTAL_FORMS": 1 if key == "clauses" else 0, f"{key}-INITIAL_FORMS": 0})
    data["clauses-0-text"] = "att godkänna."
    assert client.post(reverse("paragraph_edit", args=[meeting.pk, paragraph.pk]), data).status_code == 302
    latest = paragraph.history.latest()
    assert (latest.title, latest.version, latest.history_user) == ("Efter", 2, alice)
    assert m.DecisionClause.history.get(paragraph_id=paragraph.pk).history_user == alice
