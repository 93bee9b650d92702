"""The secretary posts the anslag: today proposed, the legal dates shown first, a warning when late."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from backoffice.forms.anslag import one_year_after
from meetings import dates
from meetings import models as m
from meetings.services import justering as justering_service
from tests.helpers import sign_all


def _url(justering) -> str:
    return reverse("anslag_post", args=[justering.pk])


def _justerat_on(justering, day: dt.date) -> None:
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    m.Justering.objects.filter(pk=justering.pk).update(completed_at=when)


def test_it_proposes_today_and_shows_the_legal_dates(client, alice, justerat):
    client.force_login(alice)
    today = timezone.localdate()
    response = client.get(_url(justerat))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{today.isoformat()}"' in page
    assert dates.appeal_deadline(today).isoformat() in page
    assert dates.default_take_down(today).isoformat() in page
    assert "Varning" not in page


def test_it_posts_the_anslag(client, alice, justerat):
    client.force_login(alice)
    today = timezone.localdate().isoformat()
    response = client.post(_url(justerat), {"posted_on": today, "shown_for": today, "action": "post"})
    anslag = m.Anslag.objects.get(justering=justerat)
    assert response.status_code == 302 and response.url == anslag.get_absolute_url()
    assert anslag.posted_by == alice
    assert client.get(_url(justerat)).status_code == 302  # already posted


def _day_moved_by_a_holiday(after: dt.date) -> dt.date:
    """The first day after ``after`` whose last appeal day is not three weeks later (it falls on a
    non-working day and moves)."""
    day = after + dt.timedelta(days=1)
    while dates.appeal_deadline(day) == day + dt.timedelta(weeks=3):
        day += dt.timedelta(days=1)
    return day


def test_a_changed_date_is_shown_before_it_is_posted(client, alice, justerat):
    client.force_login(alice)
    today = timezone.localdate()
    day = _day_moved_by_a_holiday(today)
    appeal_until = dates.appeal_deadline(day)
    data = {"posted_on": day.isoformat(), "shown_for": today.isoformat(), "action": "post", "confirm_late": "on"}
    response = client.post(_url(justerat), data)
    assert response.status_code == 200 and not m.Anslag.objects.exists()
    page = response.content.decode()
    assert appeal_until.isoformat() in page
    assert dates.default_take_down(day).isoformat() in page
    response = client.post(_url(justerat), {**data, "shown_for": day.isoformat()})
    assert response.status_code == 302
    assert m.Anslag.objects.get().appeal_until == appeal_until


def test_it_warns_when_later_than_the_second_day_after_justering(client, alice, justerat):
    today = timezone.localdate()
    _justerat_on(justerat, today - dt.timedelta(days=3))
    client.force_login(alice)
    data = {"posted_on": today.isoformat(), "shown_for": today.isoformat(), "action": "post"}
    response = client.post(_url(justerat), data)
    assert response.status_code == 200 and not m.Anslag.objects.exists()
    page = response.content.decode()
    latest = (today - dt.timedelta(days=1)).isoformat()
    assert "Varning" in page and latest in page and "8 kap. 12 §" in page
    response = client.post(_url(justerat), {**data, "confirm_late": "on"})
    assert response.status_code == 302
    assert m.Anslag.objects.get().posted_on == today


def test_the_second_day_after_justering_is_not_late(client, alice, justerat):
    today = timezone.localdate()
    _justerat_on(justerat, today - dt.timedelta(days=2))
    client.force_login(alice)
    response = client.post(_url(justerat), {"posted_on": today, "shown_for": today, "action": "post"})
    assert response.status_code == 302


def test_it_refuses_a_date_before_justering(client, alice, justerat):
    today = timezone.localdate()
    _justerat_on(justerat, today)
    client.force_login(alice)
    day = today - dt.timedelta(days=1)
    data = {"posted_on": day, "shown_for": day, "action": "post", "confirm_late": "on"}
    response = client.post(_url(justerat), data)
    assert response.status_code == 200
    assert "Anslaget kan inte sättas upp före justeringen." in response.content.decode()
    assert not m.Anslag.objects.exists()


@pytest.mark.parametrize("action", ["post", "preview"])
def test_it_refuses_a_day_that_has_passed(client, alice, justerat, action):
    """Back-dating would shorten the appeal time, which runs from the day the anslag is put up."""
    today = timezone.localdate()
    _justerat_on(justerat, today - dt.timedelta(days=10))
    client.force_login(alice)
    yesterday = today - dt.timedelta(days=1)
    data = {"posted_on": yesterday, "shown_for": yesterday, "action": action, "confirm_late": "on"}
    response = client.post(_url(justerat), data)
    assert response.status_code == 200 and not m.Anslag.objects.exists()
    page = response.content.decode()
    assert "Anslaget kan inte sättas upp ett datum som redan har passerat." in page
    assert "13 kap. 5 §" in page and "förkorta allmänhetens tid att överklaga" in page
    assert 'id="planned-appeal"' not in page  # no legal dates for a refused day


def test_a_later_day_schedules_the_anslag(client, alice, justerat):
    client.force_login(alice)
    day = timezone.localdate() + dt.timedelta(days=7)
    data = {"posted_on": day, "shown_for": day, "action": "post", "confirm_late": "on"}
    response = client.post(_url(justerat), data)
    assert response.status_code == 302 and response.url == reverse("anslag_pending")
    assert m.Anslag.objects.get().posted_on == day


@pytest.mark.parametrize("action", ["post", "preview"])
@pytest.mark.parametrize("posted_on", ["9999-12-20", "9999-12-31", "one year and a day"])
def test_a_day_more_than_a_year_ahead_is_refused_not_an_error(client, alice, justerat, action, posted_on):
    today = timezone.localdate()
    furthest = one_year_after(today)
    if posted_on == "one year and a day":
        posted_on = (furthest + dt.timedelta(days=1)).isoformat()
    client.force_login(alice)
    data = {"posted_on": posted_on, "shown_for": posted_on, "action": action, "confirm_late": "on"}
    response = client.post(_url(justerat), data)
    assert response.status_code == 200 and not m.Anslag.objects.exists()
    page = response.content.decode()
    assert f"Anslaget kan inte planeras mer än ett år framåt. Välj ett datum senast {furthest:%Y-%m-%d}." in page


def test_a_day_one_year_ahead_is_allowed(client, alice, justerat):
    client.force_login(alice)
    day = one_year_after(timezone.localdate())
    data = {"posted_on": day, "shown_for": day, "action": "post", "confirm_late": "on"}
    assert client.post(_url(justerat), data).status_code == 302
    assert m.Anslag.objects.get().posted_on == day


def test_one_year_after_keeps_the_day_or_the_end_of_february():
    assert one_year_after(dt.date(2026, 11, 26)) == dt.date(2027, 11, 26)
    assert one_year_after(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_it_posts_an_omedelbar_justering(client, alice, ready):
    urgent = ready.paragraphs.get(title="Taxor")
    justering = justering_service.send_immediate_justering(ready, alice, [urgent])
    sign_all(justering)
    client.force_login(alice)
    assert justering.pk in [j.pk for j in client.get(reverse("anslag_pending")).context["waiting"]]
    today = timezone.localdate().isoformat()
    client.post(_url(justering), {"posted_on": today, "shown_for": today, "action": "post"})
    assert m.Anslag.objects.get().paragraphs_label == f"§ {urgent.number}"


def test_admin_may_post(client, admin_user, justerat):
    client.force_login(admin_user)
    assert client.get(_url(justerat)).status_code == 200


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_others_get_404(client, request, justerat, who):
    client.force_login(request.getfixturevalue(who))
    today = timezone.localdate().isoformat()
    assert client.get(_url(justerat)).status_code == 404
    assert client.post(_url(justerat), {"posted_on": today, "shown_for": today, "action": "post"}).status_code == 404
    assert not m.Anslag.objects.exists()
    assert client.get(reverse("anslag_pending")).context["waiting"] == []


def test_anonymous_must_log_in(client, justerat):
    response = client.get(_url(justerat))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unfinished_round_is_404(client, alice, ready):
    justering = justering_service.send_to_justering(ready, alice)
    client.force_login(alice)
    assert client.get(_url(justering)).status_code == 404


def test_pending_lists_what_waits_for_an_anslag(client, alice, justerat):
    client.force_login(alice)
    page = client.get(reverse("anslag_pending")).content.decode()
    assert _url(justerat) in page
