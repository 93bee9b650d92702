"""Rules of deciding a §: outcome of a vote (KL 5 kap. 55–56 §§, 4 kap. 25 §), acclamation (5 kap.
53 §), the propositionsordning and the sentences the protokoll prints."""

import pytest

from meetings import models as m
from meetings.export.document import build_document, load_meeting
from meetings.services import decision
from meetings.services import justering as justering_service
from meetings.services.base import WorkflowError
from tests import factories as f

K = m.PropositionKind


def counts(ja=0, nej=0, avstar=0, franvarande=0):
    return {"ja": ja, "nej": nej, "avstar": avstar, "franvarande": franvarande}


def test_enkel_majoritet_leaves_abstentions_out():
    # KL 5 kap. 55 §: enkel majoritet of those who vote; 4 abstaining do not turn 3–2 around.
    outcome = decision.decide(counts(ja=3, nej=2, avstar=4), chair_choice="nej")
    assert (outcome.winner, outcome.rule, outcome.casting_vote) == ("ja", m.DecidingRule.MAJORITET, False)
    assert decision.decide(counts(ja=1, nej=5), chair_choice="ja").winner == "nej"


@pytest.mark.parametrize("chair", ["ja", "nej"])
def test_a_tie_is_decided_by_the_chairs_casting_vote(chair):
    # KL 5 kap. 56 § första stycket.
    outcome = decision.decide(counts(ja=7, nej=7, avstar=1), chair_choice=chair)
    assert (outcome.winner, outcome.rule, outcome.casting_vote, outcome.tie) == (chair, "utslagsrost", True, True)


@pytest.mark.parametrize("chair", ["avstar", None])
def test_a_tie_without_the_chairs_vote_is_not_decided(chair):
    # KL 4 kap. 25 §: the chair must vote when it is needed for the ärende to be decided.
    outcome = decision.decide(counts(ja=2, nej=2), chair_choice=chair)
    assert not outcome.decided and outcome.rule == m.DecidingRule.OAVGJORD
    assert "4 kap. 25 §" in outcome.problem


def test_a_tie_in_an_election_is_decided_by_lot_not_by_the_chair():
    # KL 5 kap. 56 § andra stycket: val och anställning avgörs genom lottning.
    assert not decision.decide(counts(ja=3, nej=3), chair_choice="ja", election=True).decided
    outcome = decision.decide(counts(ja=3, nej=3), chair_choice="ja", election=True, lot_winner="nej")
    assert (outcome.winner, outcome.rule, outcome.casting_vote) == ("nej", m.DecidingRule.LOTTNING, False)


def test_acclamation_is_what_the_chair_found():
    # KL 5 kap. 53 §.
    assert decision.acclamation("nej") == decision.Outcome("nej", m.DecidingRule.ACKLAMATION)


@pytest.fixture
def gotland(db):
    """Regionstyrelsen 2007-10-25 § 312: a motion, the arbetsutskott's proposal and a counter-proposal;
    7 Ja – 7 Nej with one abstention, decided by the chair's casting vote."""
    organ = f.organ("RS", name="Regionstyrelsen", diarium_prefix="RS")
    names = [f"Ledamot {i}" for i in range(1, 16)]
    people = [f.member(organ, name, "S" if i % 2 else "M") for i, name in enumerate(names)]
    meeting = f.meeting(organ, chair=people[0])
    for person in people:
        f.attend(meeting, person)
    p = f.paragraph(meeting, title="Motion om regionens fordon")
    kontra = m.Proposition.objects.create(
        paragraph=p,
        position=1,
        kind=K.KONTRAPROPOSITION,
        ja_label="Per Eklunds (S) yrkande om bifall till motionen",
        nej_label="Lars Olssons (V) yrkande",
    )
    main = m.Proposition.objects.create(
        paragraph=p,
        position=2,
        kind=K.HUVUDFRAGA,
        ja_label="arbetsutskottets förslag",
        nej_label="Per Eklunds (S) yrkande om bifall till motionen",
    )
    vote = m.Vote.objects.create(
        paragraph=p, proposition=main, ja_means="arbetsutskottets förslag", nej_means="motionen"
    )
    choices = ["ja"] * 7 + ["nej"] * 7 + ["avstar"]
    for position, (person, choice) in enumerate(zip(people, choices, strict=True), start=1):
        m.VoteCast.objects.create(vote=vote, person=person, choice=choice, position=position)
    return meeting, p, kontra, main, vote


def test_gotland_312_tie_decided_by_the_casting_vote(gotland):
    meeting, _p, _kontra, main, vote = gotland
    outcome = main.outcome
    assert (outcome.ja, outcome.nej, outcome.avstar) == (7, 7, 1)
    assert (outcome.winner, outcome.casting_vote) == ("ja", True)
    assert vote.outcome == outcome
    assert vote.result_text == (
        "Med 7 ja-röster mot 7 nej-röster, 1 avstår, och ordförandens utslagsröst beslutar regionstyrelsen "
        "enligt arbetsutskottets förslag."
    )


def test_gotland_312_reads_in_protokoll_order(gotland):
    meeting, *_rest = gotland
    item = build_document(load_meeting(meeting.pk)).paragraphs[0]
    kontra, main = item.propositions
    assert kontra.lead_sentences == [
        "Ordföranden ställer proposition på Per Eklunds (S) yrkande om bifall till motionen och Lars Olssons (V) "
        "yrkande för att utse motförslag i huvudvoteringen och finner att Per Eklunds (S) yrkande om bifall till "
        "motionen utses till motförslag."
    ]
    assert kontra.result_sentence == ""  # acclamation: no vote
    assert main.lead_sentences == [
        "Ordföranden ställer proposition på arbetsutskottets förslag och Per Eklunds (S) yrkande om bifall till "
        "motionen och finner att regionstyrelsen beslutar enligt arbetsutskottets förslag.",
        "Votering begärs och verkställs.",
        "Följande propositionsordning godkänns: Ja-röst för arbetsutskottets förslag, Nej-röst för motionen.",
    ]
    assert main.result_sentence.startswith("Med 7 ja-röster mot 7 nej-röster, 1 avstår, och ordförandens utslagsröst")
    assert len(main.rows) == 15 and main.tally["avstar"] == 1
    assert item.votes == []  # the vote belongs to its proposition


def test_an_undecided_vote_stops_the_sending(gotland):
    meeting, _p, _kontra, main, vote = gotland
    vote.casts.filter(person=meeting.chair).update(choice=m.VoteChoice.AVSTAR)
    m.VoteCast.objects.filter(vote=vote, choice=m.VoteChoice.AVSTAR).exclude(person=meeting.chair).update(
        choice=m.VoteChoice.JA
    )
    assert main.outcome.tie and not main.outcome.decided
    problems = justering_service.vote_problems(meeting)
    assert any("omröstningen är inte avgjord" in text and "utslagsröst" in text for text in problems)
    with pytest.raises(WorkflowError, match="inte avgjord"):
        justering_service.send_to_justering(meeting, None)


def test_a_lot_in_an_election_is_printed(gotland):
    _meeting, _p, _kontra, main, vote = gotland
    main.election, main.lot_winner = True, "nej"
    main.save()
    vote.refresh_from_db()
    assert vote.outcome.rule == m.DecidingRule.LOTTNING
    assert vote.result_text == (
        "Med 7 ja-röster mot 7 nej-röster, 1 avstår, är rösterna lika. Lotten avgör och faller på Per Eklunds (S) "
        "yrkande om bifall till motionen; därmed beslutar regionstyrelsen enligt Per Eklunds (S) yrkande om "
        "bifall till motionen."
    )


@pytest.mark.parametrize(
    ("kind", "finds", "text"),
    [
        (
            K.ATERREMISS,
            "ja",
            "Ordföranden ställer proposition på om ärendet ska avgöras i dag eller återremitteras och finner att "
            "ärendet ska avgöras i dag.",
        ),
        (
            K.BORDLAGGNING,
            "nej",
            "Ordföranden ställer proposition på om ärendet ska avgöras i dag eller bordläggas och finner att "
            "ärendet ska bordläggas.",
        ),
        (
            K.TILLAGG,
            "nej",
            "Ordföranden ställer proposition på bifall till och avslag på Anna Bergs (V) tilläggsyrkande och finner "
            "att kommunstyrelsen avslår det.",
        ),
    ],
)
def test_formal_questions_and_additions_are_put_in_their_own_words(kind, finds, text):
    label = "Anna Bergs (V) tilläggsyrkande" if kind == K.TILLAGG else ""
    assert decision.put_sentence(kind, label, "Per Eklunds (S) yrkande", finds, "kommunstyrelsen") == text


def test_a_formal_vote_says_what_was_decided():
    outcome = decision.decide(counts(ja=4, nej=5), chair_choice="ja")
    text = decision.result_sentence(outcome, K.ATERREMISS, "", "Per Eklunds (S) yrkande", "kommunstyrelsen")
    assert text == "Med 4 ja-röster mot 5 nej-röster beslutar kommunstyrelsen att ärendet ska återremitteras."
    assert decision.side_text(K.TILLAGG, "X", "", "nej") == "avslag på X"


def test_the_default_propositionsordning():
    motions = [
        ("Anna Berg", "V", "tillagg"),
        ("Per Eklund", "S", "avslag"),
        ("Lars Olsson", "C", "aterremiss"),
        ("Greta Nilsson", "MP", "andring"),
        ("Mia Ek", "M", "bifall"),
        ("Hans", "", "bordlaggning"),
    ]
    specs = decision.default_propositions(motions, "arbetsutskottets förslag")
    assert [(s.kind, s.ja_label, s.nej_label) for s in specs] == [
        (K.BORDLAGGNING, "", "Hans yrkande om bordläggning"),
        (K.ATERREMISS, "", "Lars Olssons (C) yrkande om återremiss"),
        (K.KONTRAPROPOSITION, "Per Eklunds (S) avslagsyrkande", "Greta Nilssons (MP) ändringsyrkande"),
        (K.HUVUDFRAGA, "arbetsutskottets förslag", "Per Eklunds (S) avslagsyrkande"),
        (K.TILLAGG, "Anna Bergs (V) tilläggsyrkande", ""),
    ]
    # A lone bifall needs no proposition; two proposals need no kontraproposition.
    assert decision.default_propositions([("Mia Ek", "M", "bifall")], "förslaget") == []
    two = decision.default_propositions([("Per Eklund", "S", "avslag")], "förslaget")
    assert [s.kind for s in two] == [K.HUVUDFRAGA]


def test_departures_from_the_usual_order_are_warned_about():
    assert decision.order_warnings([K.HUVUDFRAGA, K.ATERREMISS], 2) == [
        "Återremiss och bordläggning brukar prövas före huvudfrågan."
    ]
    assert "kontrapropositionsvotering" in decision.order_warnings([K.HUVUDFRAGA], 3)[0]
    assert decision.order_warnings([K.KONTRAPROPOSITION, K.HUVUDFRAGA], 3) == []


def test_genitive():
    assert [decision.genitive(n) for n in ("Per Eklund", "Lars", "Max", "Inez")] == [
        "Per Eklunds",
        "Lars",
        "Max",
        "Inez",
    ]


def test_the_main_question_is_put_against_the_motforslag_the_kontraproposition_chose(gotland):
    """Review A 10: with a kontrapropositionsvotering, the huvudfråga is put against the proposal it
    chose; a huvudfråga against the loser would print a wrong decision, so it stops the sending."""
    meeting, _p, kontra, main, _vote = gotland
    assert justering_service.vote_problems(meeting) == []
    kontra.chair_finds = m.Side.NEJ  # Lars Olssons (V) yrkande is chosen, the huvudfråga still names Per's
    kontra.save()
    (problem,) = justering_service.vote_problems(meeting)
    assert "Lars Olssons (V) yrkande" in problem and "motförslag" in problem
    main.nej_label = "Lars Olssons (V) yrkande"
    main.save()
    assert justering_service.vote_problems(meeting) == []


def test_a_chain_of_kontrapropositioner_carries_each_winner_to_the_next():
    steps = [
        (K.KONTRAPROPOSITION, "A", "B", "nej"),
        (K.KONTRAPROPOSITION, "A", "C", "ja"),
        (K.HUVUDFRAGA, "förslaget", "A", "ja"),
    ]
    (problem,) = decision.chain_problems(steps)
    assert "B" in problem
    assert (
        decision.chain_problems(
            [
                (K.KONTRAPROPOSITION, "A", "B", "nej"),
                (K.KONTRAPROPOSITION, "B", "C", "ja"),
                (K.HUVUDFRAGA, "förslaget", "B", "ja"),
            ]
        )
        == []
    )


def test_a_kontraproposition_after_the_main_question_is_warned_about():
    warnings = decision.order_warnings([K.HUVUDFRAGA, K.KONTRAPROPOSITION], 3)
    assert any("före huvudfrågan" in w for w in warnings)


def test_an_election_is_a_closed_ballot_printed_as_counts_only(gotland):
    """Review A 2 (KL 5 kap. 52 §: a vote in a val is by closed ballot): the protokoll, its public
    version and the PDF print the counts and the result, never who voted what."""
    from meetings.export.render import render_html
    from meetings.public import public_document

    meeting, _p, _kontra, main, _vote = gotland
    main.election, main.lot_winner = True, "nej"
    main.save()
    for doc in (build_document(load_meeting(meeting.pk)), public_document(build_document(load_meeting(meeting.pk)))):
        proposition = doc.paragraphs[0].propositions[1]
        assert proposition.rows == [] and proposition.closed
        assert proposition.tally == {"ja": 7, "nej": 7, "avstar": 1, "franvarande": 0}
        html = render_html(doc)
        assert "Sluten omröstning" in html and "Ja 7, Nej 7, Avstår 1" in html
        assert "Lotten avgör" in html
        # The voters stand on the front page as present; no table says how each voted.
        assert '<table class="vote-table' not in html and "<td>Ja</td>" not in html


def test_a_third_of_those_present_in_fullmaktige_refer_an_arende_back():
    """Review A 3 (KL 5 kap. 50 §, minoritetsåterremiss): in fullmäktige a third of the members
    present may demand återremiss; it then falls out so though the majority voted to decide today."""
    outcome = decision.decide(counts(ja=20, nej=11, avstar=2), "ja", minority=True)
    assert (outcome.winner, outcome.rule) == ("nej", m.DecidingRule.MINORITET)
    text = decision.result_sentence(outcome, K.ATERREMISS, "", "Per Eklunds (S) yrkande", "kommunfullmäktige")
    assert text == (
        "Med 20 ja-röster mot 11 nej-röster, 2 avstår, har minst en tredjedel av de närvarande ledamöterna "
        "begärt återremiss (kommunallagen 5 kap. 50 §); därmed beslutar kommunfullmäktige att ärendet ska "
        "återremitteras."
    )
    # Fewer than a third (10 of 33): the majority decides.
    assert decision.decide(counts(ja=21, nej=10, avstar=2), "ja", minority=True).winner == "ja"
    # Not in a nämnd (the rule is fullmäktige's).
    assert decision.decide(counts(ja=20, nej=11, avstar=2), "ja").winner == "ja"


def test_a_minority_aterremiss_is_counted_on_a_fullmaktige_vote(gotland):
    meeting, _p, _kontra, main, vote = gotland
    m.Organ.objects.filter(pk=meeting.organ_id).update(kind=m.OrganKind.FULLMAKTIGE)
    main.kind, main.ja_label, main.nej_label = K.ATERREMISS, "", "Per Eklunds (S) yrkande om återremiss"
    main.save()
    vote.casts.filter(choice="nej").exclude(pk__in=vote.casts.filter(choice="nej")[:5]).update(choice="ja")
    vote = m.Vote.objects.get(pk=vote.pk)
    assert vote.tally()["nej"] == 5 and vote.tally()["ja"] == 9  # 5 of 15 present: a third
    assert (vote.outcome.winner, vote.outcome.rule) == ("nej", m.DecidingRule.MINORITET)
    m.Organ.objects.filter(pk=meeting.organ_id).update(kind=m.OrganKind.NAMND)
    vote = m.Vote.objects.get(pk=vote.pk)
    assert vote.outcome.winner == "ja"
