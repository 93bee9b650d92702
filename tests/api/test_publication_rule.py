"""The API asks the anslagstavla's one rule of what is published, and masks as the public version
does: with a stricter rule the protokoll posted today is gone from every list and object; the day an
anslag goes up it appears; every free text of the front page and the § is masked."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from meetings import models as m
from meetings.public import MASK
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from tests.api.oparl import walk
from tests.helpers import sign_all

PLACE = "850101-1111"
DIARIENUMMER = "19850102-2222"
PARAGRAPH_DNR = "850109-9999"
CLAUSE = "850110+0000"


def test_every_list_and_object_asks_the_one_rule_of_what_is_published(client, posted, monkeypatch):
    calls = []
    original = m.AnslagQuerySet.published

    def nothing_yet(self, today):
        calls.append(today)
        return original(self, today - dt.timedelta(days=1))

    before = walk(client)
    assert before.problems == [] and before.by_type["AgendaItem"]
    monkeypatch.setattr(m.AnslagQuerySet, "published", nothing_yet)
    after = walk(client)
    assert after.problems == []
    for kind in ("Meeting", "AgendaItem", "Location", "File", "Paper", "Consultation"):
        assert kind not in after.by_type, kind
    for p in posted.meeting.paragraphs.all():
        assert client.get(f"/api/oparl/1.1/agendaitem/{p.pk}").status_code == 404
    assert client.get(f"/api/oparl/1.1/meeting/{posted.meeting_id}").status_code == 404
    assert client.get(f"/api/oparl/1.1/protocol/{posted.pk}").status_code == 404
    assert calls and set(calls) == {timezone.localdate()}


def test_the_day_it_is_posted_it_appears(client, world):
    future = world["future"]
    url = f"/api/oparl/1.1/meeting/{future.meeting_id}"
    assert client.get(url).status_code == 404
    tomorrow = timezone.make_aware(dt.datetime.combine(future.posted_on, dt.time(8)))
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        meeting = client.get(url).json()
        assert meeting["resultsProtocol"]["accessUrl"].endswith(f"/anslagstavla/{future.pk}/protokoll.pdf")
        # Its modified is when it went up, so that a client that asks what changed since yesterday sees it.
        assert meeting["modified"][:10] == future.posted_on.isoformat()


@pytest.fixture
def masked(ready, alice):
    m.Meeting.objects.filter(pk=ready.pk).update(place=f"Sessionssalen {PLACE}", diarienummer=f"KS-{DIARIENUMMER}")
    ready.refresh_from_db()
    budget = ready.paragraphs.get(title="Budget")
    budget.dnr = f"Dnr-{PARAGRAPH_DNR}"
    budget.save()
    m.DecisionClause.objects.filter(paragraph=budget).update(text=f"att bevilja {CLAUSE} bidrag")
    justering = justering_service.send_to_justering(ready, alice)
    sign_all(justering)
    justering.refresh_from_db()
    return anslag_service.post_anslag(justering, alice, timezone.localdate())


def test_every_free_text_is_masked(client, masked):
    result = walk(client)
    assert result.problems == []
    for number in (PLACE, DIARIENUMMER, PARAGRAPH_DNR, CLAUSE, "850101", "850102", "850109", "850110"):
        assert number not in result.text, number
    meeting = result.by_type["Meeting"][0]
    assert meeting["location"]["description"] == f"Sessionssalen {MASK}"
    assert meeting["protokoll:diarienummer"] == f"KS-{MASK}"
    budget = next(item for item in result.by_type["AgendaItem"] if item["name"] == "Budget")
    assert budget["protokoll:dnr"] == f"Dnr-{MASK}"
    assert budget["resolutionText"] == f"att bevilja {MASK} bidrag"
    # The original is not changed by masking.
    assert PLACE in m.Meeting.objects.get(pk=masked.meeting_id).place
