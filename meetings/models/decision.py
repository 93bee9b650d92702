"""How a § was decided: the propositions the chair put, in the order they were put.

KL 5 kap. 67 § (for nämnder through 6 kap. 35 §) asks the protokoll to show, for each ärende, the
order in which the chair put the proposals (p. 2), the votes and their results (p. 3) and the
decisions (p. 4). One ``Proposition`` is one question put to the meeting with two sides that can be
answered yes or no (KL 5 kap. 53 §): återremiss or bordläggning against deciding today, a
kontraproposition that picks the motförslag, the main question, or a tilläggsyrkande. The chair's
finding on acclamation is recorded; when a vote was asked for, its roll call (``Vote`` with
``VoteCast`` rows) hangs on the proposition and the code counts the outcome
(``meetings.services.decision``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from ..services.decision import Outcome
    from .paragraph import Vote


class PropositionKind(models.TextChoices):
    # Formal questions come first, each on its own against deciding today (law.md 7; Alingsås).
    BORDLAGGNING = "bordlaggning", _("Bordläggning")
    ATERREMISS = "aterremiss", _("Återremiss")
    # With three or more proposals, a kontrapropositionsvotering first picks the motförslag.
    KONTRAPROPOSITION = "kontraproposition", _("Kontraproposition: val av motförslag")
    HUVUDFRAGA = "huvudfraga", _("Huvudfråga")
    # Tilläggsyrkanden come last, each on its own: bifall against avslag.
    TILLAGG = "tillagg", _("Tilläggsyrkande")


# Formal questions: "ska ärendet avgöras i dag?" against återremiss or bordläggning.
FORMAL_KINDS = frozenset({PropositionKind.BORDLAGGNING, PropositionKind.ATERREMISS})


class Side(models.TextChoices):
    """A side of a proposition: the Ja side or the Nej side."""

    JA = "ja", _("Ja")
    NEJ = "nej", _("Nej")


class DecidingRule(models.TextChoices):
    """What decided a proposition (KL 5 kap. 50, 53, 55 and 56 §§)."""

    ACKLAMATION = "acklamation", _("acklamation")
    MAJORITET = "majoritet", _("enkel majoritet")
    UTSLAGSROST = "utslagsrost", _("ordförandens utslagsröst")
    LOTTNING = "lottning", _("lottning")
    # In fullmäktige a third of the members present may have an ärende återremitterat or bordlagt.
    MINORITET = "minoritet", _("minoritetsåterremiss eller minoritetsbordläggning")
    OAVGJORD = "oavgjord", _("inte avgjord")


class Proposition(models.Model):
    """One question the chair put to the meeting (a step of the propositionsordning).

    ``ja_label`` and ``nej_label`` name the two proposals as the protokoll names them ("arbetsutskottets
    förslag", "Per Eklunds (S) yrkande"); for a formal question the Ja side is deciding the ärende today,
    for a tilläggsyrkande the Ja side is bifall. ``chair_finds`` is the side the chair found adopted on
    acclamation (KL 5 kap. 53 §). When a vote was asked for, ``vote`` is the roll call; its tie is
    decided by the chair's casting vote, or by lot in an ``election`` (KL 5 kap. 56 §), whose drawn
    side is ``lot_winner``.
    """

    paragraph = models.ForeignKey("Paragraph", on_delete=models.CASCADE, related_name="propositions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(
        _("fråga"), max_length=20, choices=PropositionKind.choices, default=PropositionKind.HUVUDFRAGA
    )
    ja_label = models.CharField(
        _("förslag (Ja)"),
        max_length=500,
        blank=True,
        help_text="T.ex. ”arbetsutskottets förslag”. Vid återremiss och bordläggning: avgörande i dag.",
    )
    nej_label = models.CharField(
        _("mot förslag (Nej)"),
        max_length=500,
        blank=True,
        help_text="T.ex. ”Per Eklunds (S) yrkande”. Vid tilläggsyrkande: avslag.",
    )
    chair_finds = models.CharField(
        _("ordföranden finner bifall till"), max_length=3, choices=Side.choices, default=Side.JA
    )
    election = models.BooleanField(
        _("val eller anställning"), default=False, help_text="Lika röstetal avgörs då genom lottning."
    )
    lot_winner = models.CharField(_("lottningen föll på"), max_length=3, choices=Side.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("proposition")
        verbose_name_plural = _("propositioner")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.ja_label} mot {self.nej_label}"

    @property
    def is_formal(self) -> bool:
        return self.kind in FORMAL_KINDS

    @property
    def roll_call(self) -> Vote | None:
        """The vote (roll call) on this proposition, or None when it was decided by acclamation."""
        try:
            return self.vote
        except ObjectDoesNotExist:
            return None

    @property
    def outcome(self) -> Outcome:
        """Which side won, by which rule, with the counts (``meetings.services.decision.Outcome``)."""
        from ..services.decision import proposition_outcome

        return proposition_outcome(self, self.roll_call)
