"""The secretary's rättelse page: only for justerade protokoll, only for the organ's secretary."""

import pytest
from django.urls import reverse

from meetings import models as m
from meetings.services import justering as justering_service
from tests.helpers import sign_all


@pytest.fixture
def justerat(ready, alice):
    sign_all(justering_service.send_to_justering(ready, alice))
    ready.refresh_from_db()
    return ready


def test_secretary_corrects_a_title(client, alice, justerat):
    p = justerat.paragraphs.get(title="Budget")
    client.force_login(alice)
    url = reverse("correction", args=[justerat.pk])
    page = client.get(url, {"paragraph": p.pk, "field": "title"}).content.decode()
    assert "Budget" in page and "Rättad text" in page
    response = client.post(url, {"paragraph": p.pk, "field": "title", "new_text": "Budget 2027", "reason": "Skrivfel"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.title == "Budget 2027"
    assert m.Correction.objects.get().reason == "Skrivfel"


def test_a_clause_can_be_corrected(client, alice, justerat):
    p = justerat.paragraphs.get(title="Budget")
    clause = p.clauses.get()
    client.force_login(alice)
    client.post(
        reverse("correction", args=[justerat.pk]),
        {
            "paragraph": p.pk,
            "field": f"clause-{clause.pk}",
            "new_text": "att anta budgeten för 2027",
            "reason": "Årtal",
        },
    )
    clause.refresh_from_db()
    assert clause.text == "att anta budgeten för 2027"


def test_missing_reason_changes_nothing(client, alice, justerat):
    p = justerat.paragraphs.get(title="Budget")
    client.force_login(alice)
    response = client.post(
        reverse("correction", args=[justerat.pk]), {"paragraph": p.pk, "field": "title", "new_text": "X", "reason": ""}
    )
    assert response.status_code == 400
    p.refresh_from_db()
    assert p.title == "Budget" and not m.Correction.objects.exists()


@pytest.mark.parametrize("params", [{"paragraph": "abc", "field": "title"}, {"paragraph": "99999", "field": "number"}])
def test_odd_input_is_not_a_500(client, alice, justerat, params):
    client.force_login(alice)
    assert client.post(reverse("correction", args=[justerat.pk]), params).status_code == 200
    assert not m.Correction.objects.exists()


def test_not_for_drafts_or_other_users(client, alice, bob, charlie, ready):
    url = reverse("correction", args=[ready.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 404  # still a draft
    sign_all(justering_service.send_to_justering(ready, alice))
    for user in (bob, charlie):
        client.force_login(user)
        assert client.get(url).status_code == 404
