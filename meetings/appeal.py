"""How each § is appealed, in the words the protokoll, the extract and the anslagstavla print
(besvärshänvisning), and the checks of a §'s appeal route.

The routes and their law are in ``meetings.models.appeal``. The texts follow law.md 11:
- laglighetsprövning: KL 13 kap. 1, 4, 5 and 7 §§; the anslagstavla must say how to appeal by it
  (KL 8 kap. 10 § p. 5);
- förvaltningsbesvär: written to the överinstans but handed in to the organ that decided, within
  three weeks from when the party was notified (FL 43–46 §§); a party must be told how to appeal
  (FL 33 §), and a missing or wrong besvärshänvisning keeps a late appeal admissible (FL 45 §), so
  every extract sent to a party carries the full text;
- not appealable: KL 13 kap. 2 § p. 2 (rent förberedande or rent verkställande, RÅ 1995 not 353 for a
  nämnd's proposal to fullmäktige), KL 6 kap. 32 § (jäv).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings

from . import models as m

R = m.AppealRoute
WHY = m.NotAppealableReason

NOT_APPEALABLE_TEXT = {
    WHY.RENT_FORBEREDANDE: (
        "Beslutet är av rent förberedande art och kan därför inte överklagas (13 kap. 2 § kommunallagen). "
        "Det slutliga beslutet i ärendet kan överklagas när det har fattats."
    ),
    WHY.RENT_VERKSTALLANDE: (
        "Beslutet är av rent verkställande art och kan därför inte överklagas (13 kap. 2 § kommunallagen)."
    ),
    WHY.JAVSBESLUT: (
        "Beslutet i jävsfrågan kan bara överklagas i samband med att beslutet i ärendet överklagas "
        "(6 kap. 32 § kommunallagen)."
    ),
    WHY.INGET_BESLUT: "Paragrafen innehåller inget beslut som kan överklagas.",
}


@dataclass(frozen=True)
class AppealText:
    """The besvärshänvisning of one §: a line under the § and the full text of an extract."""

    route: str
    line: str
    heading: str
    body: list[str] = field(default_factory=list)


def _court() -> str:
    return settings.APPEAL_COURT or "förvaltningsrätten"


def _which(paragraph, organ_name: str, meeting_date: datetime.date | None) -> str:
    """ "Kommunstyrelsen, 2026-03-10, § 312, Dnr KS 2026/12": the decision as an appeal names it."""
    parts = [organ_name, meeting_date.isoformat() if meeting_date else "", f"§ {paragraph.number}"]
    if paragraph.dnr:
        parts.append(f"Dnr {paragraph.dnr}")
    return ", ".join(part for part in parts if part)


def appeal_text(paragraph, organ_name: str, meeting_date: datetime.date | None) -> AppealText:
    """The besvärshänvisning of ``paragraph`` (its route, överinstans, law and reason, masked
    already for the public version) of a meeting of ``organ_name`` on ``meeting_date``."""
    which = _which(paragraph, organ_name, meeting_date)
    if paragraph.appeal_route == R.FORVALTNINGSBESVAR:
        body_name = paragraph.appeal_body or _court()
        law = f" enligt {paragraph.appeal_law}" if paragraph.appeal_law else ""
        text = [
            f"Om du vill överklaga beslutet ska du skriva till {body_name}, men skicka eller lämna skrivelsen till "
            f"{organ_name}.",
            f"Överklagandet måste ha kommit in till {organ_name} inom tre veckor från den dag då du fick del av "
            "beslutet. Infaller sista dagen på en lördag, söndag eller helgdag, midsommarafton, julafton eller "
            "nyårsafton räcker det att överklagandet kommer in nästa vardag.",
            f"Skriv vilket beslut du överklagar ({which}), varför du anser att beslutet är felaktigt och vilken "
            "ändring du vill ha. Skicka med det du anser stöder din uppfattning. Underteckna skrivelsen och uppge "
            "namn, adress och telefonnummer.",
            f"Om överklagandet har kommit in i rätt tid och {organ_name} inte själv ändrar beslutet så som du begär, "
            f"skickas överklagandet vidare till {body_name}.",
        ]
        if paragraph.appeal_law:
            text.append(f"Beslutet har fattats med stöd av {paragraph.appeal_law}.")
        return AppealText(
            R.FORVALTNINGSBESVAR,
            f"Beslutet kan överklagas genom förvaltningsbesvär{law} till {body_name} inom tre veckor från den dag "
            "den som överklagar fick del av beslutet.",
            "Hur man överklagar (förvaltningsbesvär)",
            text,
        )
    if paragraph.appeal_route == R.EJ_OVERKLAGBART:
        line = NOT_APPEALABLE_TEXT.get(paragraph.not_appealable_reason, "Beslutet kan inte överklagas.")
        return AppealText(R.EJ_OVERKLAGBART, line, "Överklagande", [line])
    municipality = settings.MUNICIPALITY_NAME or "kommunen"
    return AppealText(
        R.LAGLIGHETSPROVNING,
        "Beslutet kan överklagas genom laglighetsprövning enligt 13 kap. kommunallagen.",
        "Hur man överklagar (laglighetsprövning enligt 13 kap. kommunallagen)",
        [
            f"Den som är medlem i {municipality} kan överklaga beslutet genom laglighetsprövning. Överklagandet "
            f"ska vara skriftligt och ställas till {_court()}.",
            f"Ange vilket beslut du överklagar ({which}) och varför du anser att beslutet inte är lagligt. "
            "Domstolen prövar bara de skäl du anger innan tiden för överklagande har gått ut.",
            "Överklagandet ska ha kommit in till förvaltningsrätten inom tre veckor från den dag då justeringen av "
            "protokollet tillkännagavs på anslagstavlan.",
        ],
    )


def route_problems(route: str, appeal_body: str, reason: str) -> dict[str, str]:
    """What a § must say for its route, by field: the överinstans of a förvaltningsbesvär (FL 33 §
    asks the party to be told where the appeal goes) and the reason a decision cannot be appealed."""
    problems = {}
    if route == R.FORVALTNINGSBESVAR and not appeal_body.strip():
        problems["appeal_body"] = "Ange överinstansen, t.ex. ”Förvaltningsrätten i Växjö”."
    if route == R.EJ_OVERKLAGBART and not reason:
        problems["not_appealable_reason"] = "Ange varför beslutet inte kan överklagas."
    return problems


def route_warnings(route: str, reason: str, organ_kind: str) -> list[str]:
    """Routes that the law does not support as chosen; a warning, since case law is not covered here."""
    preparatory = (WHY.RENT_FORBEREDANDE, WHY.RENT_VERKSTALLANDE)
    if route == R.EJ_OVERKLAGBART and reason in preparatory and organ_kind == m.OrganKind.FULLMAKTIGE:
        return [
            "Fullmäktiges beslut kan laglighetsprövas även när de är förberedande eller verkställande "
            "(kommunallagen 13 kap. 2 § 1): undantaget gäller bara nämnder."
        ]
    return []


def laglighetsprovning_numbers(paragraphs) -> list[int]:
    """The numbers of the §§ open to laglighetsprövning, whose appeal time the anslag starts."""
    return [p.number for p in paragraphs if p.appeal_route == R.LAGLIGHETSPROVNING]
