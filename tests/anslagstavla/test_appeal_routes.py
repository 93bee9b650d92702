"""The public anslag says how each § is appealed: the anslag's last appeal day only for the §§ open to
laglighetsprövning, förvaltningsbesvär with its instance, and why a § cannot be appealed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from tests.helpers import PERSONNUMMER, sign_all

R = m.AppealRoute


def _post(meeting, alice):
    justering = justering_service.send_to_justering(meeting, alice)
    sign_all(justering)
    justering.refresh_from_db()
    return anslag_service.post_anslag(justering, alice, timezone.localdate())


@pytest.fixture
def mixed(ready, alice):
    """Budget by laglighetsprövning; Taxor a proposal to fullmäktige (not appealable)."""
    taxor = ready.paragraphs.get(title="Taxor")
    taxor.appeal_route, taxor.not_appealable_reason = R.EJ_OVERKLAGBART, m.NotAppealableReason.RENT_FORBEREDANDE
    taxor.save()
    return _post(ready, alice)


def test_the_deadline_is_for_the_paragraphs_open_to_laglighetsprovning(client, mixed):
    budget = mixed.meeting.paragraphs.get(title="Budget")
    page = client.get(reverse("public_anslag", args=[mixed.pk])).content.decode()
    assert f"Sista dag för överklagande (§ {budget.number})" in page
    assert f"kan du överklaga beslutet i § {budget.number}" in page
    assert "Beslutet är av rent förberedande art och kan därför inte överklagas" in page
    assert "Beslutet kan överklagas genom laglighetsprövning enligt 13 kap. kommunallagen." in page
    board = client.get(reverse("public_board")).content.decode()
    assert f"Sista dag för överklagande (§ {budget.number})" in board


def test_an_anslag_without_laglighetsprovning_shows_no_deadline(client, ready, alice):
    ready.paragraphs.update(
        appeal_route=R.FORVALTNINGSBESVAR,
        appeal_body=f"Förvaltningsrätten {PERSONNUMMER}",
        appeal_law="socialtjänstlagen (2001:453)",
    )
    anslag = _post(ready, alice)
    page = client.get(reverse("public_anslag", args=[anslag.pk])).content.decode()
    assert "Sista dag för överklagande" not in page
    assert "Inget av besluten i det här anslaget överklagas genom laglighetsprövning." in page
    assert "Beslutet kan överklagas genom förvaltningsbesvär enligt socialtjänstlagen (2001:453)" in page
    assert "inom tre veckor från den dag då du fick del av beslutet" in page
    # The instance is user text: masked like every other public text.
    assert PERSONNUMMER not in page and "Förvaltningsrätten ÅÅÅÅMMDD-XXXX" in page
    assert "Sista dag för överklagande" not in client.get(reverse("public_board")).content.decode()
    assert "Sista dag för överklagande" not in client.get(reverse("public_feed")).content.decode()


def test_a_withheld_paragraph_keeps_its_route_but_not_its_text(client, justerat, alice):
    secret = justerat.meeting.paragraphs.get(secret=True)
    m.Paragraph.objects.filter(pk=secret.pk).update(
        appeal_route=R.FORVALTNINGSBESVAR, appeal_body="Förvaltningsrätten i Växjö"
    )
    anslag = anslag_service.post_anslag(justerat, alice, timezone.localdate())
    page = client.get(reverse("public_anslag", args=[anslag.pk])).content.decode()
    withheld = page[page.index(f'id="paragraf-{secret.number}-h"') :]
    assert withheld.index("Beslutet kan överklagas genom förvaltningsbesvär") < withheld.index("</section>")
    assert "Personalärende" not in page
