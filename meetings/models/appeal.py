"""How a decision is appealed: the route of each §, chosen by the secretary (law.md 1–3, 11).

- Laglighetsprövning (KL 13 kap.): any member of the kommun, within three weeks from the anslag
  (13 kap. 5 §). The default.
- Förvaltningsbesvär (Förvaltningslagen 2017:900, 40–47 §§, or a special law such as SoL, LSS,
  PBL): the party concerned, within three weeks from when the party was notified (FL 44 §); where
  another law has its own appeal rules, 13 kap. does not apply (KL 13 kap. 3 §).
- Not appealable: a nämnd's decisions "av rent förberedande eller rent verkställande art" (KL 13 kap.
  2 § p. 2; a nämnd's proposal to fullmäktige, RÅ 1995 not 353), a decision on jäv on its own (KL 6
  kap. 32 §), or no decision at all (information, anmälan).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealRoute(models.TextChoices):
    LAGLIGHETSPROVNING = "laglighetsprovning", _("Laglighetsprövning (kommunallagen 13 kap.)")
    FORVALTNINGSBESVAR = "forvaltningsbesvar", _("Förvaltningsbesvär")
    EJ_OVERKLAGBART = "ej_overklagbart", _("Kan inte överklagas")


class NotAppealableReason(models.TextChoices):
    RENT_FORBEREDANDE = "rent_forberedande", _("Rent förberedande, t.ex. förslag till fullmäktige")
    RENT_VERKSTALLANDE = "rent_verkstallande", _("Rent verkställande")
    JAVSBESLUT = "javsbeslut", _("Beslut i en jävsfråga")
    INGET_BESLUT = "inget_beslut", _("Inget beslut: information eller anmälan")
