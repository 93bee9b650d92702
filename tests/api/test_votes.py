"""A client reads how each member voted back from the API (``protokoll:voteEvents`` on AgendaItem) and
finds the protokoll's vote table: the demo's roll calls, the chair's casting vote; an election gives
only its counts."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings import models as m
from meetings.export.public_pdf import anslag_document
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from tests.api.oparl import api_root
from tests.helpers import sign_all

OPTION = {"Ja": "yes", "Nej": "no", "Avstår": "abstain", "Frånvarande": "absent"}


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def _vote_tables(anslag: m.Anslag) -> dict[int, list[tuple[list[tuple[str, str]], dict]]]:
    """The roll calls as the public protokoll prints them: per §, each table's rows ("Name (P)",
    choice) and its tally."""
    tables: dict[int, list] = {}
    for item in anslag_document(anslag).paragraphs:
        for proposition in getattr(item, "propositions", []):
            if proposition.vote is not None:
                rows = [(str(row.person), row.choice) for row in proposition.rows]
                tables.setdefault(item.paragraph.pk, []).append((rows, proposition.tally))
        for _vote, rows, tally in getattr(item, "votes", []):
            tables.setdefault(item.paragraph.pk, []).append(([(str(r.person), r.choice) for r in rows], tally))
    return tables


def test_the_votes_of_the_demos_roll_calls_read_back_as_the_protokoll_prints_them(client, demo):
    tables = {}
    for anslag in m.Anslag.objects.select_related("justering", "meeting"):
        tables.update(_vote_tables(anslag))
    assert len(tables) >= 2  # the casting vote at KS …/905 and the återremiss vote of the posted meetings
    for paragraph_pk, expected in tables.items():
        item = client.get(f"/api/oparl/1.1/agendaitem/{paragraph_pk}").json()
        events = item["protokoll:voteEvents"]
        assert len(events) == len(expected)
        for event, (rows, tally) in zip(events, expected, strict=True):
            read = [
                (
                    f"{vote['voter_name']} ({vote['group_name']})" if "group_name" in vote else vote["voter_name"],
                    vote["option"],
                )
                for vote in event["votes"]
            ]
            assert read == [(who, OPTION[choice]) for who, choice in rows]
            counts = {c["option"]: c["value"] for c in event["counts"]}
            assert counts == {
                "yes": tally["ja"],
                "no": tally["nej"],
                "abstain": tally["avstar"],
                "absent": tally["franvarande"],
            }
            for vote in event["votes"]:
                assert client.get(vote["voter_id"].removeprefix("https://protokoll.example.se")).status_code == 200


def test_the_chairs_casting_vote_decides_the_demos_tie(client, demo):
    meeting = m.Meeting.objects.get(diarienummer__endswith="/905")
    motion = meeting.paragraphs.order_by("position")[1]
    item = client.get(f"/api/oparl/1.1/agendaitem/{motion.pk}").json()
    (event,) = item["protokoll:voteEvents"]
    assert event["motion"]["classification"] == "huvudfraga"
    assert event["motion"]["yes"] == "arbetsutskottets förslag"
    assert {c["option"]: c["value"] for c in event["counts"]} == {"yes": 2, "no": 2, "abstain": 1, "absent": 0}
    assert event["result"] == "yes" and event["winning_proposal"] == "arbetsutskottets förslag"
    assert event["decided_by"] == "utslagsrost" and event["casting_vote"] is True
    assert "ordförandens utslagsröst" in event["result_text"]
    chair = next(v for v in event["votes"] if v["voter_id"] == f"{api_root()}person/{meeting.chair_id}")
    assert chair["option"] == "yes"


def test_an_election_gives_its_counts_and_no_names(client, ready, alice, bob):
    """A val may be held with slutna sedlar (KL 5 kap. 54 §): no ballot is tied to a person."""
    budget = ready.paragraphs.get(title="Budget")
    proposition = m.Proposition.objects.create(
        paragraph=budget, ja_label="Jane Justerare", nej_label="Joe Justerare", election=True, lot_winner=m.Side.NEJ
    )
    vote = m.Vote.objects.create(paragraph=budget, proposition=proposition, ja_means="Jane", nej_means="Joe")
    jane, joe = ready.justerare
    for person, choice in ((bob.person, m.VoteChoice.JA), (jane, m.VoteChoice.NEJ), (joe, m.VoteChoice.AVSTAR)):
        m.VoteCast.objects.create(vote=vote, person=person, choice=choice)
    round_ = justering_service.send_to_justering(ready, alice)
    sign_all(round_)
    round_.refresh_from_db()
    anslag_service.post_anslag(round_, alice, timezone.localdate())
    (event,) = client.get(f"/api/oparl/1.1/agendaitem/{budget.pk}").json()["protokoll:voteEvents"]
    assert event["secret_ballot"] is True and "votes" not in event
    assert {c["option"]: c["value"] for c in event["counts"]} == {"yes": 1, "no": 1, "abstain": 1, "absent": 0}
    assert event["decided_by"] == "lottning" and event["result"] == "no" and event["casting_vote"] is False
