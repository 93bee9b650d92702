"""The § editor's propositionsordning and the roll call on a proposition: saved in order, proposed
from the yrkanden, votes take Ja and Nej from their proposition, "Resten Ja", and who may not."""

import pytest
from django.urls import reverse

from meetings import models as m
from tests import factories as f
from tests.helpers import client_for, editor_data


@pytest.fixture
def seated(meeting, bob):
    chair = f.attend(meeting, bob.person, role="Ordförande", party=f.party("M"))
    others = [f.attend(meeting, f.member(meeting.organ, f"Ledamot {i}", "S"), party=f.party("S")) for i in range(4)]
    return chair, others


def _edit_url(p):
    return reverse("paragraph_edit", args=[p.meeting_id, p.pk])


def test_propositions_are_saved_in_the_order_put_and_printed(client, alice, meeting, seated):
    paragraph = f.paragraph(meeting, title="Motion")
    rows = {
        "propositions": [
            {
                "kind": "aterremiss",
                "ja_label": "",
                "nej_label": "Per Eklunds (S) yrkande",
                "chair_finds": "ja",
                "ORDER": 1,
            },
            {
                "kind": "huvudfraga",
                "ja_label": "arbetsutskottets förslag",
                "nej_label": "avslag",
                "chair_finds": "ja",
                "ORDER": 2,
            },
        ]
    }
    client.force_login(alice)
    assert client.post(_edit_url(paragraph), editor_data(paragraph, rows)).status_code == 302
    assert [p.kind for p in paragraph.propositions.all()] == ["aterremiss", "huvudfraga"]
    page = client.get(_edit_url(paragraph)).content.decode()
    assert "finner att kommunstyrelsens arbetsutskott beslutar enligt arbetsutskottets förslag." in page
    preview = client.get(reverse("preview", args=[meeting.pk])).content.decode()
    assert "om ärendet ska avgöras i dag eller återremitteras och finner att ärendet ska avgöras i dag." in preview


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"kind": "huvudfraga", "ja_label": "förslaget", "nej_label": ""}, "Ange förslaget som ställs mot det"),
        ({"kind": "tillagg", "ja_label": "", "nej_label": ""}, "Ange tilläggsyrkandet"),
        ({"kind": "huvudfraga", "ja_label": "A", "nej_label": "B", "lot_winner": "ja"}, "Lottning avgör bara val"),
    ],
)
def test_a_proposition_that_says_too_little_is_refused(client, alice, meeting, row, message):
    paragraph = f.paragraph(meeting)
    client.force_login(alice)
    response = client.post(_edit_url(paragraph), editor_data(paragraph, {"propositions": [{**row, "ORDER": 1}]}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not paragraph.propositions.exists()


def test_the_usual_order_is_proposed_from_the_yrkanden(client, alice, meeting, seated):
    chair, (per, lars, *_rest) = seated
    paragraph = f.paragraph(meeting)
    rows = {
        "motions": [
            {"person": per.person_id, "kind": "avslag", "text": "", "ORDER": 1},
            {"person": lars.person_id, "kind": "aterremiss", "text": "", "ORDER": 2},
        ]
    }
    client.force_login(alice)
    response = client.post(_edit_url(paragraph), editor_data(paragraph, rows, action="propose_order"), follow=True)
    assert response.status_code == 200
    assert [(p.kind, p.ja_label, p.nej_label) for p in paragraph.propositions.all()] == [
        ("aterremiss", "", "Ledamot 1s (S) yrkande om återremiss"),
        ("huvudfraga", "förslaget till beslut", "Ledamot 0s (S) avslagsyrkande"),
    ]
    # A second press does not pile up a second order.
    paragraph.refresh_from_db()
    existing = [
        {"id": p.pk, "kind": p.kind, "ja_label": p.ja_label, "nej_label": p.nej_label, "chair_finds": "ja", "ORDER": i}
        for i, p in enumerate(paragraph.propositions.all(), start=1)
    ]
    motions = [
        {"id": x.pk, "person": x.person_id, "kind": x.kind, "text": "", "ORDER": i}
        for i, x in enumerate(paragraph.motions.all(), start=1)
    ]
    data = editor_data(paragraph, {"propositions": existing, "motions": motions}, action="propose_order")
    response = client.post(_edit_url(paragraph), data, follow=True)
    assert "redan en propositionsordning" in response.content.decode()
    assert paragraph.propositions.count() == 2


def test_a_vote_on_a_proposition_takes_its_sides_and_the_rest_vote_ja(client, alice, meeting, seated):
    chair, others = seated
    paragraph = f.paragraph(meeting)
    proposition = m.Proposition.objects.create(
        paragraph=paragraph, kind=m.PropositionKind.ATERREMISS, nej_label="Per Eklunds (S) yrkande"
    )
    client.force_login(alice)
    url = reverse("vote_create", args=[meeting.pk, paragraph.pk]) + f"?proposition={proposition.pk}"
    page = client.get(url).content.decode()
    assert "Ja-röst för att ärendet ska avgöras i dag, Nej-röst för att ärendet ska återremitteras." in page
    assert 'name="ja_means"' not in page
    data = {
        "version": paragraph.version,
        "proposition": proposition.pk,
        f"cast_{others[0].person_id}": "nej",
        f"cast_{others[1].person_id}": "avstar",
        "rest": "ja",
    }
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    vote = proposition.vote
    assert (vote.ja_means, vote.nej_means) == ("att ärendet ska avgöras i dag", "att ärendet ska återremitteras")
    assert vote.tally() == {"ja": 3, "nej": 1, "avstar": 1, "franvarande": 0}
    assert "Med 3 ja-röster mot 1 nej-röst, 1 avstår, beslutar" in response.content.decode()
    # A second "Votering begärd" on the same proposition opens the vote that exists.
    assert client.get(url).url == reverse("vote_edit", args=[meeting.pk, paragraph.pk, vote.pk])


def test_changing_a_proposition_changes_its_votes_ja_and_nej(client, alice, meeting, seated):
    chair, _others = seated
    paragraph = f.paragraph(meeting)
    proposition = m.Proposition.objects.create(paragraph=paragraph, ja_label="A", nej_label="B")
    m.Vote.objects.create(paragraph=paragraph, proposition=proposition, ja_means="A", nej_means="B")
    rows = {
        "propositions": [
            {
                "id": proposition.pk,
                "kind": "huvudfraga",
                "ja_label": "A2",
                "nej_label": "B2",
                "chair_finds": "ja",
                "ORDER": 1,
            }
        ]
    }
    client.force_login(alice)
    assert client.post(_edit_url(paragraph), editor_data(paragraph, rows)).status_code == 302
    proposition.vote.refresh_from_db()
    assert (proposition.vote.ja_means, proposition.vote.nej_means) == ("A2", "B2")


def test_a_proposition_of_another_paragraph_is_not_found(client, alice, meeting, seated):
    paragraph, other = f.paragraph(meeting), f.paragraph(meeting)
    theirs = m.Proposition.objects.create(paragraph=other, ja_label="A", nej_label="B")
    client.force_login(alice)
    url = reverse("vote_create", args=[meeting.pk, paragraph.pk])
    assert client.get(url + f"?proposition={theirs.pk}").status_code == 404
    assert client.get(url + "?proposition=abc").status_code == 404


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("charlie", 404), ("bob", 403)])
def test_who_may_not_open_the_roll_call(client, meeting, seated, charlie, bob, who, status):
    paragraph = f.paragraph(meeting)
    proposition = m.Proposition.objects.create(paragraph=paragraph, ja_label="A", nej_label="B")
    browser = client if who == "anonymous" else client_for({"charlie": charlie, "bob": bob}[who])
    url = reverse("vote_create", args=[meeting.pk, paragraph.pk]) + f"?proposition={proposition.pk}"
    assert browser.get(url).status_code == status
    assert browser.post(url, {"version": 1, "rest": "ja"}).status_code == status
    assert not m.Vote.objects.exists()


def test_the_appeal_route_is_chosen_in_the_editor_and_checked(client, alice, meeting):
    paragraph = f.paragraph(meeting)
    client.force_login(alice)
    response = client.post(_edit_url(paragraph), editor_data(paragraph, appeal_route="forvaltningsbesvar"))
    assert "Ange överinstansen" in response.content.decode()
    paragraph.refresh_from_db()
    assert paragraph.appeal_route == m.AppealRoute.LAGLIGHETSPROVNING
    data = editor_data(paragraph, appeal_route="forvaltningsbesvar", appeal_body="Förvaltningsrätten i Växjö")
    assert client.post(_edit_url(paragraph), data).status_code == 302
    paragraph.refresh_from_db()
    assert (paragraph.appeal_route, paragraph.appeal_body) == ("forvaltningsbesvar", "Förvaltningsrätten i Växjö")


def test_fullmaktige_is_warned_that_preparatory_decisions_are_appealable(client, alice, meeting):
    m.Organ.objects.filter(pk=meeting.organ_id).update(kind=m.OrganKind.FULLMAKTIGE)
    paragraph = f.paragraph(
        meeting, appeal_route="ej_overklagbart", not_appealable_reason=m.NotAppealableReason.RENT_FORBEREDANDE
    )
    client.force_login(alice)
    assert "undantaget gäller bara nämnder" in client.get(_edit_url(paragraph)).content.decode()
