"""The error pages (DEBUG off, as in production): Swedish, in the site's layout with its navigation;
403 says the reason the code gave; 500 needs no database."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import loader
from django.test import Client
from django.urls import reverse

from meetings import access
from meetings.locking import ProtokollLocked
from protokoll.middleware import ProtokollLockedMiddleware
from tests.helpers import client_for


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def _in_layout(page: str) -> None:
    assert 'lang="sv"' in page
    assert "Hoppa till innehållet" in page
    assert reverse("public_board") in page and "Kontrollera protokoll" in page  # the navigation


def test_404_is_swedish_in_the_layout(client, db):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Sidan finns inte" in page and "/finns-inte/" in page
    _in_layout(page)


def test_404_for_a_logged_in_user_keeps_the_menu(alice):
    page = client_for(alice).get("/finns-inte/").content.decode()
    assert "Mina sammanträden" in page and "Logga ut" in page


def test_403_shows_the_reason_the_code_gives(alice, justering):
    response = client_for(alice).get(reverse("meeting_edit", args=[justering.meeting.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Du har inte behörighet till sidan" in page
    assert "Protokollet är inte längre ett utkast och kan inte ändras här." in page
    _in_layout(page)


def test_400_is_swedish_in_the_layout(client, db):
    response = client.get("/", HTTP_HOST="angripare.example")  # not in ALLOWED_HOSTS
    assert response.status_code == 400
    page = response.content.decode()
    assert "Begäran kunde inte behandlas" in page
    _in_layout(page)


def test_409_says_what_was_refused(rf, db):
    request = rf.post("/")
    request.user = AnonymousUser()
    locked = ProtokollLocked("Paragrafen är justerad.")
    response = ProtokollLockedMiddleware(lambda r: None).process_exception(request, locked)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Ändringen sparades inte" in page and "Paragrafen är justerad." in page
    _in_layout(page)


def test_500_is_swedish_in_the_layout(alice, meeting, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(access, "get_meeting_for_user", broken)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get(reverse("meeting_detail", args=[meeting.pk]))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Något gick fel hos oss" in page
    _in_layout(page)


def test_500_and_503_pages_render_without_the_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        for name in ("500.html", "503.html"):
            _in_layout(loader.render_to_string(name))


def test_a_failed_csrf_check_is_swedish_in_the_layout(db):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formuläret kunde inte skickas" in page and "Inget har ändrats" in page
    _in_layout(page)
