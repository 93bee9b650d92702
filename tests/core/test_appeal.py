"""Appeal routes per §: the besvärshänvisning of each route (KL 13 kap., FL 33 and 43–46 §§, KL 13
kap. 2 § p. 2, 6 kap. 32 §), the checks, and the anslag's appeal time for the §§ open to
laglighetsprövning only."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from meetings import appeal
from meetings import models as m
from meetings.export.canonical import canonical_content
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from tests import factories as f
from tests.helpers import sign_all

R = m.AppealRoute


def _paragraph(**fields):
    return m.Paragraph(number=312, dnr="KS 2026/12", **fields)


def test_laglighetsprovning_is_the_default_text(settings):
    settings.MUNICIPALITY_NAME, settings.APPEAL_COURT = "Exempel kommun", "Förvaltningsrätten i Växjö"
    text = appeal.appeal_text(_paragraph(), "Kommunstyrelsen", dt.date(2026, 3, 10))
    assert text.line == "Beslutet kan överklagas genom laglighetsprövning enligt 13 kap. kommunallagen."
    assert text.body[0].startswith("Den som är medlem i Exempel kommun kan överklaga beslutet genom laglighetsprövning")
    assert "ställas till Förvaltningsrätten i Växjö" in text.body[0]
    assert "(Kommunstyrelsen, 2026-03-10, § 312, Dnr KS 2026/12)" in text.body[1]


def test_forvaltningsbesvar_is_handed_in_to_the_organ_and_names_the_instance():
    p = _paragraph(
        appeal_route=R.FORVALTNINGSBESVAR, appeal_body="Länsstyrelsen i Dalarnas län", appeal_law="plan- och bygglagen"
    )
    text = appeal.appeal_text(p, "Miljö- och byggnadsnämnden", dt.date(2026, 3, 10))
    assert text.heading == "Hur man överklagar (förvaltningsbesvär)"
    assert text.line == (
        "Beslutet kan överklagas genom förvaltningsbesvär enligt plan- och bygglagen till Länsstyrelsen i Dalarnas "
        "län inom tre veckor från den dag den som överklagar fick del av beslutet."
    )
    # FL 43 §: written to the överinstans, handed in to the beslutsmyndighet; FL 44 §: from notification.
    assert text.body[0] == (
        "Om du vill överklaga beslutet ska du skriva till Länsstyrelsen i Dalarnas län, men skicka eller lämna "
        "skrivelsen till Miljö- och byggnadsnämnden."
    )
    assert "inom tre veckor från den dag då du fick del av beslutet" in text.body[1]
    assert text.body[-1] == "Beslutet har fattats med stöd av plan- och bygglagen."


@pytest.mark.parametrize(
    ("reason", "cites"),
    [
        (m.NotAppealableReason.RENT_FORBEREDANDE, "rent förberedande art och kan därför inte överklagas (13 kap. 2 §"),
        (m.NotAppealableReason.RENT_VERKSTALLANDE, "rent verkställande art"),
        (m.NotAppealableReason.JAVSBESLUT, "(6 kap. 32 § kommunallagen)"),
        (m.NotAppealableReason.INGET_BESLUT, "inget beslut"),
    ],
)
def test_a_decision_that_cannot_be_appealed_says_why(reason, cites):
    text = appeal.appeal_text(_paragraph(appeal_route=R.EJ_OVERKLAGBART, not_appealable_reason=reason), "KS", None)
    assert cites in text.line and text.body == [text.line]


def test_the_checks_of_a_route():
    assert appeal.route_problems(R.FORVALTNINGSBESVAR, "  ", "") == {
        "appeal_body": "Ange överinstansen, t.ex. ”Förvaltningsrätten i Växjö”."
    }
    assert set(appeal.route_problems(R.EJ_OVERKLAGBART, "", "")) == {"not_appealable_reason"}
    assert appeal.route_problems(R.LAGLIGHETSPROVNING, "", "") == {}
    # KL 13 kap. 2 § p. 1: fullmäktige has no exception for preparatory decisions.
    why = m.NotAppealableReason.RENT_FORBEREDANDE
    assert appeal.route_warnings(R.EJ_OVERKLAGBART, why, m.OrganKind.FULLMAKTIGE)
    assert appeal.route_warnings(R.EJ_OVERKLAGBART, why, m.OrganKind.NAMND) == []


def test_the_route_is_signed_content_only_when_it_is_not_the_default(ready):
    before = canonical_content(ready)
    p = ready.paragraphs.get(title="Taxor")
    p.appeal_route, p.appeal_body = R.FORVALTNINGSBESVAR, "Förvaltningsrätten i Växjö"
    p.save()
    data = json.loads(canonical_content(ready))
    assert canonical_content(ready) != before
    taxor = next(x for x in data["paragraphs"] if x["title"] == "Taxor")
    assert taxor["appeal"] == {
        "route": "forvaltningsbesvar",
        "body": "Förvaltningsrätten i Växjö",
        "law": "",
        "reason": "",
    }
    assert "appeal" not in next(x for x in data["paragraphs"] if x["title"] == "Budget")


def test_the_anslag_names_the_paragraphs_open_to_laglighetsprovning(ready, alice):
    budget, taxor = ready.paragraphs.order_by("position")
    taxor.appeal_route, taxor.not_appealable_reason = R.EJ_OVERKLAGBART, m.NotAppealableReason.RENT_FORBEREDANDE
    taxor.save()
    justering = justering_service.send_to_justering(ready, alice)
    sign_all(justering)
    justering.refresh_from_db()
    anslag = anslag_service.post_anslag(justering, alice, timezone.localdate())
    assert anslag.appeal_label == f"§ {budget.number}"
    assert anslag.paragraphs_label == f"§§ {budget.number}–{taxor.number}"


def test_an_anslag_with_nothing_open_to_laglighetsprovning_has_an_empty_label(ready, alice):
    ready.paragraphs.update(appeal_route=R.FORVALTNINGSBESVAR, appeal_body="Förvaltningsrätten i Växjö")
    justering = justering_service.send_to_justering(ready, alice)
    sign_all(justering)
    justering.refresh_from_db()
    assert anslag_service.post_anslag(justering, alice, timezone.localdate()).appeal_label == ""


def test_the_default_route_is_laglighetsprovning(meeting):
    assert f.paragraph(meeting).appeal_route == R.LAGLIGHETSPROVNING
