"""The secretary posts the anslag: today proposed, the legal dates shown first, a warning when late."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings import workflow
from tests.test_public_pages import justerat  # noqa: F401 - shared fixture
from tests.test_workflow import _sign_all, ready  # noqa: F401 - shared fixture


def _url(justering) -> str:
    return reverse("anslag_post", args=[justering.pk])


def _justerat_on(justering, day: dt.date) -> None:
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    m.Justering.objects.filter(pk=justering.pk).update(completed_at=when)


def test_it_proposes_today_and_shows_the_legal_dates(client, alice, justerat):  # noqa: F811
    client.force_login(alice)
    today = timezone.localdate()
    response = client.get(_url(justerat))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{today.isoformat()}"' in page
    assert workflow.dates.appeal_deadline(today).isoformat() in page
    assert workflow.dates.default_take_down(today).isoformat() in page
    assert "Varning" not in page


def test_it_posts_the_anslag(client, alice, justerat):  # noqa: F811
    client.force_login(alice)
    today = timezone.localdate().isoformat()
    response = client.post(_url(justerat), {"posted_on": today, "shown_for": today, "action": "post"})
    anslag = m.Anslag.objects.get(justering=justerat)
    assert response.status_code == 302 and response.url == anslag.get_absolute_url()
    assert anslag.posted_by == alice
    assert client.get(_url(justerat)).status_code == 302  # already posted


def test_a_changed_date_is_shown_before_it_is_posted(client, alice, justerat):  # noqa: F811
    _justerat_on(justerat, dt.date(2011, 4, 2))
    client.force_login(alice)
    shown = timezone.localdate().isoformat()
    response = client.post(_url(justerat), {"posted_on": "2011-04-04", "shown_for": shown, "action": "post"})
    assert response.status_code == 200 and not m.Anslag.objects.exists()
    page = response.content.decode()
    assert "2011-04-26" in page and "2011-04-27" in page  # Annandag påsk moves the last day
    response = client.post(_url(justerat), {"posted_on": "2011-04-04", "shown_for": "2011-04-04", "action": "post"})
    assert response.status_code == 302
    assert m.Anslag.objects.get().appeal_until == dt.date(2011, 4, 26)


def test_it_warns_when_later_than_the_second_day_after_justering(client, alice, justerat):  # noqa: F811
    _justerat_on(justerat, dt.date(2026, 11, 2))
    client.force_login(alice)
    data = {"posted_on": "2026-11-05", "shown_for": "2026-11-05", "action": "post"}
    response = client.post(_url(justerat), data)
    assert response.status_code == 200 and not m.Anslag.objects.exists()
    page = response.content.decode()
    assert "Varning" in page and "2026-11-04" in page and "8 kap. 12 §" in page
    response = client.post(_url(justerat), {**data, "confirm_late": "on"})
    assert response.status_code == 302
    assert m.Anslag.objects.get().posted_on == dt.date(2026, 11, 5)


def test_the_second_day_after_justering_is_not_late(client, alice, justerat):  # noqa: F811
    _justerat_on(justerat, dt.date(2026, 11, 2))
    client.force_login(alice)
    response = client.post(_url(justerat), {"posted_on": "2026-11-04", "shown_for": "2026-11-04", "action": "post"})
    assert response.status_code == 302


def test_it_refuses_a_date_before_justering(client, alice, justerat):  # noqa: F811
    _justerat_on(justerat, dt.date(2026, 11, 2))
    client.force_login(alice)
    data = {"posted_on": "2026-11-01", "shown_for": "2026-11-01", "action": "post", "confirm_late": "on"}
    response = client.post(_url(justerat), data)
    assert response.status_code == 200
    assert "Anslaget kan inte sättas upp före justeringen." in response.content.decode()
    assert not m.Anslag.objects.exists()


def test_it_posts_an_omedelbar_justering(client, alice, ready):  # noqa: F811
    urgent = ready.paragraphs.get(title="Taxor")
    justering = workflow.send_immediate_justering(ready, alice, [urgent])
    _sign_all(justering)
    client.force_login(alice)
    assert justering.pk in [j.pk for j in client.get(reverse("anslag_pending")).context["waiting"]]
    today = timezone.localdate().isoformat()
    client.post(_url(justering), {"posted_on": today, "shown_for": today, "action": "post"})
    assert m.Anslag.objects.get().paragraphs_label == f"§ {urgent.number}"


def test_admin_may_post(client, admin_user, justerat):  # noqa: F811
    client.force_login(admin_user)
    assert client.get(_url(justerat)).status_code == 200


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_others_get_404(client, request, justerat, who):  # noqa: F811
    client.force_login(request.getfixturevalue(who))
    today = timezone.localdate().isoformat()
    assert client.get(_url(justerat)).status_code == 404
    assert client.post(_url(justerat), {"posted_on": today, "shown_for": today, "action": "post"}).status_code == 404
    assert not m.Anslag.objects.exists()
    assert client.get(reverse("anslag_pending")).context["waiting"] == []


def test_anonymous_must_log_in(client, justerat):  # noqa: F811
    response = client.get(_url(justerat))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unfinished_round_is_404(client, alice, ready):  # noqa: F811
    justering = workflow.send_to_justering(ready, alice)
    client.force_login(alice)
    assert client.get(_url(justering)).status_code == 404


def test_pending_lists_what_waits_for_an_anslag(client, alice, justerat):  # noqa: F811
    client.force_login(alice)
    page = client.get(reverse("anslag_pending")).content.decode()
    assert _url(justerat) in page
