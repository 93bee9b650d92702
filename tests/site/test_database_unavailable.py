"""An unreachable database: a Swedish 503 page with Retry-After instead of a 500, rendered without the
database; the next request after it is back succeeds by itself."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from tests import factories as f


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


@pytest.fixture
def database_away(monkeypatch):
    """Take the database away, as when its server restarts, and return a function that brings it back.
    PostgreSQL: the connection is closed and pointed at a closed port. SQLite's test database lives in
    memory and would vanish if closed, so opening a connection fails instead as SQLite's would."""
    saved = dict(connection.settings_dict)

    def refuse() -> None:
        raise OperationalError("unable to open database file")

    def go_away() -> None:
        if connection.vendor == "sqlite":
            monkeypatch.setattr(connection, "ensure_connection", refuse)
        else:
            connection.close()
            connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})

    def come_back() -> None:
        monkeypatch.undo()
        if connection.vendor != "sqlite":
            connection.close()
            connection.settings_dict.update(saved)

    yield go_away, come_back
    come_back()


@pytest.mark.django_db(transaction=True)
def test_a_database_that_is_away_gives_503_and_then_recovers(database_away):
    f.user("alice")
    client = Client(raise_request_exception=False)
    assert client.post(reverse("login"), {"username": "alice", "password": "pw-for-tests"}).status_code == 302
    go_away, come_back = database_away
    go_away()
    for url in (reverse("dashboard"), reverse("public_board"), "/finns-inte/"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert int(response["Retry-After"]) > 0
        assert "no-store" in response["Cache-Control"]
        page = response.content.decode()
        assert "Tjänsten är tillfälligt otillgänglig" in page
        assert "Kontrollera protokoll" in page  # the layout, without a user (no session read)

    come_back()
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("public_board")).status_code == 200


def test_connections_are_checked_before_use_by_default(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
