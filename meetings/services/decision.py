"""The rules of deciding a §: the outcome of a proposition, the default propositionsordning, and
the sentences the protokoll prints.

- Acclamation: the chair puts yes/no proposals and states what was decided (KL 5 kap. 53 §).
- Minoritetsåterremiss and minoritetsbordläggning: in fullmäktige an ärende is återremitterat or
  bordlagt when at least a third of the members present ask for it (KL 5 kap. 50 §; once per ärende,
  which the secretary keeps track of: earlier meetings are not looked up here).
- A vote: enkel majoritet of Ja against Nej, those who abstain left out (KL 5 kap. 55 §); on a tie
  the chair's casting vote decides (KL 5 kap. 56 § första stycket), so the chair must have voted Ja
  or Nej (KL 4 kap. 25 §); in a val or anställning a tie is decided by lot (5 kap. 56 § andra
  stycket). Nämnder apply the same rules (KL 6 kap. 33 §).
- Propositionsordning (practice, law.md 7): bordläggning and återremiss first, each on its own
  against deciding today; with three or more proposals a kontrapropositionsvotering picks the
  motförslag to set against the huvudförslag (FL 29 § and Riksdagsordningen 11 kap. 10 § write the
  same method down); tilläggsyrkanden last, each on its own.

Pure functions of plain values and model instances already loaded: no queries here, so the document
can call them for every § without a query per call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..models.decision import FORMAL_KINDS, DecidingRule, PropositionKind, Side

# The huvudförslag when nothing else names it.
MAIN_PROPOSAL = "förslaget till beslut"
# The Ja side of a formal question: deciding the ärende today.
TODAY = "att ärendet ska avgöras i dag"
FORMAL_NEJ = {
    PropositionKind.ATERREMISS: "att ärendet ska återremitteras",
    PropositionKind.BORDLAGGNING: "att ärendet ska bordläggas",
}
FORMAL_VERB = {PropositionKind.ATERREMISS: "återremitteras", PropositionKind.BORDLAGGNING: "bordläggas"}
CHAIR_MUST_VOTE = (
    "Rösterna är lika och ordföranden har inte röstat ja eller nej. Ordföranden har utslagsröst vid lika "
    "röstetal (kommunallagen 5 kap. 56 §) och ska rösta när det behövs för att ärendet ska kunna avgöras "
    "(4 kap. 25 §)."
)
LOT_MISSING = (
    "Rösterna är lika i ett val: lotten avgör (kommunallagen 5 kap. 56 §). Ange på vilket förslag lotten föll."
)


@dataclass(frozen=True)
class Outcome:
    """The outcome of one proposition: the winning side ("ja"/"nej", None while undecided), the rule
    that decided it, and the counts of the roll call (zero for acclamation)."""

    winner: str | None
    rule: DecidingRule
    ja: int = 0
    nej: int = 0
    avstar: int = 0
    franvarande: int = 0
    voted: bool = False
    problem: str = ""

    @property
    def decided(self) -> bool:
        return self.winner is not None

    @property
    def casting_vote(self) -> bool:
        """Whether the chair's casting vote decided it (a tie in a vote that is not an election)."""
        return self.rule == DecidingRule.UTSLAGSROST

    @property
    def tie(self) -> bool:
        return self.voted and self.ja == self.nej


def decide(
    counts: dict[str, int],
    chair_choice: str | None,
    *,
    election: bool = False,
    lot_winner: str = "",
    minority: bool = False,
) -> Outcome:
    """The outcome of a roll call from its counts (KL 5 kap. 55–56 §§).

    ``chair_choice`` is how the chair voted ("ja", "nej", "avstar", or None when the chair cast no
    vote); on a tie it decides, except in an election, where ``lot_winner`` (the side the lot fell
    on) does. ``minority``: a formal question in fullmäktige, where the Nej side (återremiss or
    bordläggning) wins with a third of the members present (KL 5 kap. 50 §).
    """
    figures = {key: counts.get(key, 0) for key in ("ja", "nej", "avstar", "franvarande")}
    present = figures["ja"] + figures["nej"] + figures["avstar"]
    if minority and figures["nej"] and 3 * figures["nej"] >= present:
        return Outcome(str(Side.NEJ), DecidingRule.MINORITET, voted=True, **figures)
    if figures["ja"] != figures["nej"]:
        winner = Side.JA if figures["ja"] > figures["nej"] else Side.NEJ
        return Outcome(str(winner), DecidingRule.MAJORITET, voted=True, **figures)
    if election:
        if lot_winner in Side.values:
            return Outcome(lot_winner, DecidingRule.LOTTNING, voted=True, **figures)
        return Outcome(None, DecidingRule.OAVGJORD, voted=True, problem=LOT_MISSING, **figures)
    if chair_choice in (Side.JA, Side.NEJ):
        return Outcome(str(chair_choice), DecidingRule.UTSLAGSROST, voted=True, **figures)
    return Outcome(None, DecidingRule.OAVGJORD, voted=True, problem=CHAIR_MUST_VOTE, **figures)


def acclamation(chair_finds: str) -> Outcome:
    """Decided without a vote: what the chair found (KL 5 kap. 53 §)."""
    return Outcome(chair_finds or str(Side.JA), DecidingRule.ACKLAMATION)


def vote_outcome(vote, *, election: bool = False, lot_winner: str = "", minority: bool = False) -> Outcome:
    """The outcome of a ``Vote`` (its casts prefetched), the meeting's chair holding the casting vote."""
    chair_id = vote.paragraph.meeting.chair_id
    chair_choice = next((c.choice for c in vote.casts.all() if c.person_id == chair_id), None)
    return decide(vote.tally(), chair_choice, election=election, lot_winner=lot_winner, minority=minority)


def proposition_outcome(proposition, vote) -> Outcome:
    if vote is None:
        return acclamation(proposition.chair_finds)
    return vote_outcome(
        vote,
        election=proposition.election,
        lot_winner=proposition.lot_winner,
        minority=proposition.kind in FORMAL_KINDS and proposition.paragraph.meeting.organ.is_fullmaktige,
    )


# ---------------------------------------------------------------------------------------------------
# The sentences of the protokoll
# ---------------------------------------------------------------------------------------------------


def organ_phrase(name: str) -> str:
    """The organ's name inside a sentence: "beslutar kommunstyrelsens arbetsutskott"."""
    return name[:1].lower() + name[1:]


def side_text(kind: str, ja_label: str, nej_label: str, side: str) -> str:
    """What one side of a proposition stands for, as the Ja/Nej line of a vote names it."""
    if kind in FORMAL_KINDS:
        return TODAY if side == Side.JA else FORMAL_NEJ[PropositionKind(kind)]
    if kind == PropositionKind.TILLAGG:
        return f"bifall till {ja_label}" if side == Side.JA else f"avslag på {ja_label}"
    return ja_label if side == Side.JA else nej_label


def _verdict(kind: str, ja_label: str, nej_label: str, side: str, organ: str) -> str:
    """The decision that follows from ``side`` winning: "beslutar kommunstyrelsen enligt X"."""
    if kind == PropositionKind.KONTRAPROPOSITION:
        return f"utses {side_text(kind, ja_label, nej_label, side)} till motförslag"
    if kind == PropositionKind.TILLAGG:
        return f"beslutar {organ} att {'bifalla' if side == Side.JA else 'avslå'} {ja_label}"
    if kind in FORMAL_KINDS:
        return f"beslutar {organ} {side_text(kind, ja_label, nej_label, side)}"
    return f"beslutar {organ} enligt {side_text(kind, ja_label, nej_label, side)}"


def _votes(count: int, word: str) -> str:
    return f"{count} {word}-röst" if count == 1 else f"{count} {word}-röster"


def put_sentence(kind: str, ja_label: str, nej_label: str, chair_finds: str, organ: str) -> str:
    """ "Ordföranden ställer proposition på … och finner att …" (acclamation, KL 5 kap. 53 §)."""
    found = side_text(kind, ja_label, nej_label, chair_finds)
    if kind in FORMAL_KINDS:
        verb = FORMAL_VERB[PropositionKind(kind)]
        finding = "avgöras i dag" if chair_finds == Side.JA else verb
        return (
            f"Ordföranden ställer proposition på om ärendet ska avgöras i dag eller {verb} "
            f"och finner att ärendet ska {finding}."
        )
    if kind == PropositionKind.KONTRAPROPOSITION:
        return (
            f"Ordföranden ställer proposition på {ja_label} och {nej_label} för att utse motförslag i "
            f"huvudvoteringen och finner att {found} utses till motförslag."
        )
    if kind == PropositionKind.TILLAGG:
        verb = "bifaller" if chair_finds == Side.JA else "avslår"
        return (
            f"Ordföranden ställer proposition på bifall till och avslag på {ja_label} "
            f"och finner att {organ} {verb} det."
        )
    return (
        f"Ordföranden ställer proposition på {ja_label} och {nej_label} och finner att {organ} beslutar enligt {found}."
    )


def vote_means(proposition) -> tuple[str, str]:
    """What a Ja and a Nej vote stand for in a vote on ``proposition``."""
    p = proposition
    return side_text(p.kind, p.ja_label, p.nej_label, Side.JA), side_text(p.kind, p.ja_label, p.nej_label, Side.NEJ)


def order_sentence(ja_means: str, nej_means: str) -> str:
    return f"Följande propositionsordning godkänns: Ja-röst för {ja_means}, Nej-röst för {nej_means}."


def result_sentence(outcome: Outcome, kind: str, ja_label: str, nej_label: str, organ: str) -> str:
    """ "Med 7 ja-röster mot 7 nej-röster, 1 avstår, och ordförandens utslagsröst beslutar … enligt …"."""
    text = f"Med {_votes(outcome.ja, 'ja')} mot {_votes(outcome.nej, 'nej')}"
    if outcome.avstar:
        text += f", {outcome.avstar} avstår,"
    if not outcome.decided:
        return f"{text} är rösterna lika. {outcome.problem}"
    verdict = _verdict(kind, ja_label, nej_label, outcome.winner, organ)
    if outcome.rule == DecidingRule.MINORITET:
        asked = "återremiss" if kind == PropositionKind.ATERREMISS else "bordläggning"
        return (
            f"{text} har minst en tredjedel av de närvarande ledamöterna begärt {asked} "
            f"(kommunallagen 5 kap. 50 §); därmed {verdict}."
        )
    if outcome.rule == DecidingRule.LOTTNING:
        drawn = side_text(kind, ja_label, nej_label, outcome.winner)
        return f"{text} är rösterna lika. Lotten avgör och faller på {drawn}; därmed {verdict}."
    if outcome.casting_vote:
        text += " och ordförandens utslagsröst"
    return f"{text} {verdict}."


def proposition_sentences(proposition, vote, outcome: Outcome, organ_name: str) -> list[str]:
    """What the protokoll says about one proposition, in order: how it was put and what the chair
    found, and with a vote, the order of the vote and its result."""
    organ = organ_phrase(organ_name)
    p = proposition
    sentences = [put_sentence(p.kind, p.ja_label, p.nej_label, p.chair_finds, organ)]
    if vote is not None:
        sentences.append("Votering begärs och verkställs.")
        sentences.append(order_sentence(vote.ja_means, vote.nej_means))
        sentences.append(result_sentence(outcome, p.kind, p.ja_label, p.nej_label, organ))
    return sentences


# ---------------------------------------------------------------------------------------------------
# Propositionsordning
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PropositionSpec:
    kind: str
    ja_label: str = ""
    nej_label: str = ""


def genitive(name: str) -> str:
    """ "Per Eklund" → "Per Eklunds"; a name ending in s, x or z takes no extra s."""
    return name if name[-1:].lower() in "sxz" else f"{name}s"


def motion_label(who: str, party: str, kind: str) -> str:
    """ "Per Eklunds (S) yrkande" as the protokoll names a yrkande of ``kind``."""
    noun = {
        "avslag": "avslagsyrkande",
        "andring": "ändringsyrkande",
        "tillagg": "tilläggsyrkande",
        "aterremiss": "yrkande om återremiss",
        "bordlaggning": "yrkande om bordläggning",
    }.get(kind, "yrkande")
    return f"{genitive(who)}{f' ({party})' if party else ''} {noun}"


def default_propositions(motions: Iterable[tuple[str, str, str]], main_label: str) -> list[PropositionSpec]:
    """A propositionsordning for the yrkanden ``motions`` ((name, party, kind) in the order moved),
    the huvudförslag being ``main_label``. The secretary edits what she needs to.

    Bordläggning, then återremiss, each on its own; with three or more proposals in the main
    question a chain of kontrapropositioner picks the motförslag (each winner meets the next); then
    the main question; then each tilläggsyrkande. A bifall supports the huvudförslag and is no
    proposal of its own.
    """
    motions = list(motions)
    specs = [
        PropositionSpec(kind, nej_label=motion_label(who, party, kind))
        for kind in (PropositionKind.BORDLAGGNING, PropositionKind.ATERREMISS)
        for who, party, motion_kind in motions
        if motion_kind == kind
    ]
    others = [motion_label(who, party, kind) for who, party, kind in motions if kind in ("avslag", "andring")]
    if others:
        counter = others[0]
        for challenger in others[1:]:
            specs.append(PropositionSpec(PropositionKind.KONTRAPROPOSITION, counter, challenger))
        specs.append(PropositionSpec(PropositionKind.HUVUDFRAGA, main_label, counter))
    specs += [
        PropositionSpec(PropositionKind.TILLAGG, ja_label=motion_label(who, party, kind))
        for who, party, kind in motions
        if kind == "tillagg"
    ]
    return specs


def chain_problems(steps: Iterable[tuple[str, str, str, str | None]]) -> list[str]:
    """Where a kontrapropositionsvotering's choice is not carried on: ``steps`` are (kind, ja_label,
    nej_label, winning side or None) in the order put. The motförslag a kontraproposition chose must
    be a side of the next kontraproposition and the Nej side of the huvudfråga, or the protokoll
    prints a decision on a proposal the meeting had already set aside (KL 5 kap. 67 § p. 2–4)."""
    problems = []
    chosen = ""
    for kind, ja_label, nej_label, winner in steps:
        if kind == PropositionKind.KONTRAPROPOSITION:
            if chosen and chosen not in (ja_label, nej_label):
                problems.append(
                    f"Kontrapropositionen ställer {ja_label} mot {nej_label}, men föregående kontraproposition "
                    f"utsåg {chosen} till motförslag."
                )
            chosen = side_text(kind, ja_label, nej_label, winner) if winner else ""
        elif kind == PropositionKind.HUVUDFRAGA:
            if chosen and nej_label != chosen:
                problems.append(
                    f"Huvudfrågan ställs mot {nej_label}, men kontrapropositionen utsåg {chosen} till motförslag."
                )
            chosen = ""
    return problems


def order_warnings(kinds: list[str], proposal_count: int) -> list[str]:
    """Departures from the usual propositionsordning, as warnings (it is practice, not statute).

    ``kinds`` are the propositions' kinds in the order put; ``proposal_count`` the number of
    proposals in the main question (the huvudförslag and each avslag or ändring).
    """
    warnings = []
    main_at = [i for i, kind in enumerate(kinds) if kind == PropositionKind.HUVUDFRAGA]
    formal_at = [i for i, kind in enumerate(kinds) if kind in FORMAL_KINDS]
    if main_at and formal_at and max(formal_at) > min(main_at):
        warnings.append("Återremiss och bordläggning brukar prövas före huvudfrågan.")
    kontra_at = [i for i, kind in enumerate(kinds) if kind == PropositionKind.KONTRAPROPOSITION]
    if main_at and kontra_at and max(kontra_at) > max(main_at):
        warnings.append("Kontrapropositionsvoteringen ska hållas före huvudfrågan: den utser motförslaget.")
    if proposal_count >= 3 and main_at and PropositionKind.KONTRAPROPOSITION not in kinds:
        warnings.append(
            f"Det finns {proposal_count} förslag i huvudfrågan: en kontrapropositionsvotering brukar först utse "
            "motförslaget."
        )
    return warnings
