"""The public anslagstavla: the board, an anslag's page with how to appeal, the archive and the feed.

The fixtures ``justerat`` (a justerat protokoll with a § under sekretess and a personnummer) and
``posted`` (its anslag) are in tests/conftest.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings.services import anslag as anslag_service
from meetings.services import justering as justering_service
from tests import factories as f
from tests.helpers import bulk_anslag, make_anslag, sign_all


def test_board_lists_current_anslag_newest_first(client, posted, alice, organ):
    older_meeting = f.meeting(organ, date=dt.date(2026, 2, 1))
    older = m.Anslag.objects.create(
        justering=m.Justering.objects.create(meeting=older_meeting, status="justerat"),
        meeting=older_meeting,
        organ=organ,
        paragraphs_label="§ 1",
        justerat_on=posted.posted_on - dt.timedelta(days=3),
        posted_on=posted.posted_on - dt.timedelta(days=2),
        appeal_until=posted.appeal_until,
        take_down_on=posted.take_down_on,
        storage_location="Kommunledningsförvaltningen",
    )
    response = client.get(reverse("public_board"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(reverse("public_anslag", args=[posted.pk])) < page.index(
        reverse("public_anslag", args=[older.pk])
    )
    assert "Kommunstyrelsens arbetsutskott 2026-03-10, §§" in page
    assert posted.appeal_until.isoformat() in page


def test_board_is_separate_from_the_staff_pages(client, posted, alice):
    client.force_login(alice)
    page = client.get(reverse("public_board")).content.decode()
    assert '<html lang="sv">' in page
    assert 'href="#main"' in page and 'id="main"' in page
    assert "css/public.css" in page and "css/app.css" not in page
    assert "Mina sammanträden" not in page and "Logga ut" not in page


def test_taken_down_anslag_leaves_the_board_but_stays_in_the_archive(client, justerat, alice):
    anslag = make_anslag(justerat, alice, dt.date(2026, 1, 5))
    url = reverse("public_anslag", args=[anslag.pk])
    assert url not in client.get(reverse("public_board")).content.decode()
    assert url in client.get(reverse("public_archive")).content.decode()
    page = client.get(url).content.decode()
    assert "Anslaget är nedtaget." in page


def test_anslag_page_shows_every_field(client, posted):
    response = client.get(reverse("public_anslag", args=[posted.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for label in (
        "Beslutande organ",
        "Sammanträdesdatum",
        "Paragrafer",
        "Datum för justering",
        "Datum då anslaget sattes upp",
        "Sista dag för överklagande",
        "Datum då anslaget tas ned",
        "Förvaringsplats för protokollet",
        "Sekreterare",
    ):
        assert f"<dt>{label}</dt>" in page
    assert "Kommunstyrelsens arbetsutskott" in page
    assert "2026-03-10" in page
    assert posted.paragraphs_label in page
    assert posted.justerat_on.isoformat() in page
    assert posted.posted_on.isoformat() in page
    assert posted.take_down_on.isoformat() in page
    assert "Kommunledningsförvaltningen" in page
    assert reverse("public_anslag_pdf", args=[posted.pk]) in page


def test_anslag_page_explains_how_to_appeal_with_the_computed_last_day(client, justerat, alice):
    anslag = make_anslag(justerat, alice, dt.date(2026, 11, 2))
    page = client.get(reverse("public_anslag", args=[anslag.pk])).content.decode()
    assert "Så överklagar du" in page
    assert "laglighetsprövning" in page and "förvaltningsrätten" in page
    assert "tre veckor från den dag anslaget sattes upp" in page
    assert 'datetime="2026-11-23"' in page  # three weeks after Monday 2 November
    assert "senast måndag 23 november 2026" in page


def test_anslag_page_shows_the_public_protokoll(client, posted):
    page = client.get(reverse("public_anslag", args=[posted.pk])).content.decode()
    budget = posted.public_paragraphs.get(title="Budget")
    assert f'id="paragraf-{budget.number}"' in page
    assert "att anta budgeten" in page
    assert "ÅÅÅÅMMDD-XXXX" in page
    secret_number = m.Paragraph.objects.get(title="Personalärende").number
    assert f"§ {secret_number} Ärendet omfattas av sekretess" in page


def test_immediate_anslag_shows_only_its_paragraphs(client, ready, alice):
    urgent = ready.paragraphs.get(title="Taxor")
    justering = justering_service.send_immediate_justering(ready, alice, [urgent])
    sign_all(justering)
    justering.refresh_from_db()
    anslag = anslag_service.post_anslag(justering, alice, timezone.localdate())
    page = client.get(reverse("public_anslag", args=[anslag.pk])).content.decode()
    assert "Taxor" in page and "Budget" not in page
    assert "justerades omedelbart" in page


def test_archive_filters_by_organ_and_year(client, justerat, alice, organ):
    anslag = make_anslag(justerat, alice, dt.date(2026, 1, 5))
    url = reverse("public_anslag", args=[anslag.pk])
    archive = reverse("public_archive")
    assert url in client.get(archive, {"organ": "KSAU", "ar": "2026"}).content.decode()
    assert url not in client.get(archive, {"organ": "KSAU", "ar": "2025"}).content.decode()
    [other] = bulk_anslag(f.organ("KF"), 1, dt.date(2026, 1, 7), alice)
    page = client.get(archive, {"organ": "KF"}).content.decode()
    assert url not in page and reverse("public_anslag", args=[other.pk]) in page


@pytest.mark.parametrize("query", [{"organ": "NOPE"}, {"ar": "abc"}, {"sida": "999"}, {"sida": "x"}])
def test_archive_survives_bad_parameters(client, posted, query):
    response = client.get(reverse("public_archive"), query)
    assert response.status_code == 200
    assert reverse("public_anslag", args=[posted.pk]) in response.content.decode()


def test_feed_is_atom_with_published_anslag(client, posted):
    response = client.get(reverse("public_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in body
    assert reverse("public_anslag", args=[posted.pk]) in body
    assert f"Sista dag för överklagande {posted.appeal_until.isoformat()}" in body


def test_board_links_the_feed(client, db):
    page = client.get(reverse("public_board")).content.decode()
    assert f'type="application/atom+xml" title="Anslagstavlan (Atom)" href="{reverse("public_feed")}"' in page


def test_a_cached_list_is_kept_per_query_and_per_host(client, posted, settings):
    """The cache key holds everything the page is built from: the whole query (in a normal order)
    and the host and scheme the feed's absolute links are made of."""
    settings.ALLOWED_HOSTS = ["a.example.se", "b.example.se", "testserver"]
    feed = reverse("public_feed")
    assert "http://a.example.se/" in client.get(feed, HTTP_HOST="a.example.se").content.decode()
    other = client.get(feed, HTTP_HOST="b.example.se").content.decode()
    assert "http://b.example.se/" in other and "a.example.se" not in other
    archive = reverse("public_archive")
    year = posted.posted_on.year
    assert posted.get_absolute_url() in client.get(f"{archive}?ar={year}&organ=KSAU").content.decode()
    assert posted.get_absolute_url() not in client.get(f"{archive}?ar={year - 1}&organ=KSAU").content.decode()
    assert posted.get_absolute_url() in client.get(f"{archive}?organ=KSAU&ar={year}").content.decode()


def test_the_order_of_the_query_does_not_make_a_new_cache_entry(client, posted):
    from django.core.cache import cache

    archive = reverse("public_archive")
    client.get(f"{archive}?ar=2026&organ=KSAU")
    keys = set(cache._cache)  # the local-memory cache of the tests
    client.get(f"{archive}?organ=KSAU&ar=2026")
    assert set(cache._cache) == keys
