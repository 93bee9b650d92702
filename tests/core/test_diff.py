"""What a re-signer is shown: the change since their signature, labelled and word by word."""

import pytest
from django.urls import reverse

from meetings import models as m
from meetings.export import diff
from meetings.services import justering as justering_service
from tests.helpers import client_for


def test_a_changed_clause_is_shown_word_by_word():
    old = {
        "paragraphs": [
            {"number": 312, "title": "Motion", "decision_intro": "RS beslutar", "clauses": ["att avslå motionen."]}
        ]
    }
    new = {
        "paragraphs": [
            {"number": 312, "title": "Motion", "decision_intro": "RS beslutar", "clauses": ["att bifalla motionen."]}
        ]
    }
    (change,) = diff.changes(old, new)
    assert (change.label, change.kind) == ("§ 312, Beslut", "Ändrat")
    assert ("delete", "avslå") in change.pieces and ("insert", "bifalla") in change.pieces
    assert ("equal", "motionen.") in [(op, text.strip()) for op, text in change.pieces]


def test_added_and_removed_parts_are_named():
    old = {"paragraphs": [{"number": 1, "title": "A", "motions": [{"person": "Per", "kind": "avslag", "text": ""}]}]}
    new = {"paragraphs": [{"number": 1, "title": "A", "votes": [{"ja_means": "x", "nej_means": "y", "casts": []}]}]}
    kinds = {change.label: change.kind for change in diff.changes(old, new)}
    assert kinds == {"§ 1, Yrkande 1": "Borttaget", "§ 1, Omröstning 1": "Tillagt"}


@pytest.fixture
def resent(ready, alice, bob):
    """Bob signed; Joe sent it back; Alice changed the decision and sent it again."""
    justering = justering_service.send_to_justering(ready, alice)
    justering_service.sign(justering, bob.person)
    joe = m.Person.objects.get(name="Joe Justerare")
    justering_service.send_back(justering, joe, "Beslutet ska vara att anta budgeten med ändringen.")
    m.DecisionClause.objects.filter(paragraph__meeting=ready).update(text="att anta budgeten med ändringen")
    return justering_service.send_to_justering(ready, alice)


def test_the_re_signer_sees_what_changed_since_they_signed(resent, bob):
    page = client_for(bob).get(reverse("justering_detail", args=[resent.pk])).content.decode()
    assert "Ändringar sedan du signerade" in page
    assert "§ 1, Beslut" in page
    assert "att anta budgeten<ins> med ändringen</ins>" in page
    assert "Beslutet ska vara att anta budgeten med ändringen." in page  # the comment, to every signer


def test_a_signer_who_had_not_signed_sees_the_comment_but_no_changes(resent):
    jane = m.Person.objects.get(name="Jane Justerare")
    page = client_for(jane.user).get(reverse("justering_detail", args=[resent.pk])).content.decode()
    assert "Förra omgången skickades tillbaka" in page
    assert "Ändringar sedan du signerade" not in page
