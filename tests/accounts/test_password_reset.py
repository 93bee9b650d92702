"""Password reset by e-mail (Django's views, our Swedish templates): the same answer for an unknown
address, a link that works once, a lock lifted by a reset."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests import factories as f


@pytest.fixture
def erik(db):
    return f.user("erik", email="erik@example.se")


def _request_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def _link(message) -> str:
    return re.search(r"https://protokoll\.example\.se(/\S+)", message.body).group(1)


def test_the_login_page_links_to_the_reset(client, db):
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page and "Glömt lösenordet?" in page


def test_the_reset_page_is_swedish(client, db):
    page = client.get(reverse("password_reset")).content.decode()
    assert "Återställ lösenord" in page and "Skicka länk" in page


def test_a_known_address_gets_a_link_that_sets_a_new_password(client, erik):
    response = _request_reset(client, "erik@example.se")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erik@example.se"]
    assert message.subject == "Återställ ditt lösenord till Protokoll"
    assert "Hej erik" in message.body and "gäller i 3 timmar" in message.body

    form = client.get(_link(message), follow=True)
    assert "Välj nytt lösenord" in form.content.decode()
    new = {"new_password1": "Nytt-lösen-2026", "new_password2": "Nytt-lösen-2026"}
    done = client.post(form.redirect_chain[-1][0], new)
    assert done["Location"] == reverse("password_reset_complete")
    login = Client().post(reverse("login"), {"username": "erik", "password": "Nytt-lösen-2026"})
    assert login.status_code == 302

    again = client.get(_link(message), follow=True)
    assert "Länken går inte att använda" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, erik):
    known = _request_reset(client, "erik@example.se")
    unknown = _request_reset(client, "ingen@example.se")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mail.outbox) == 1
    page = client.get(unknown["Location"]).content.decode()
    assert "Om det finns ett konto med adressen du skrev" in page


def test_a_reset_lifts_the_login_lock(settings, client, erik):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "erik", "password": "fel"})
    _request_reset(client, "erik@example.se")
    form = client.get(_link(mail.outbox[0]), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": "Nytt-lösen-2026", "new_password2": "Nytt-lösen-2026"})
    login = Client().post(reverse("login"), {"username": "erik", "password": "Nytt-lösen-2026"})
    assert login.status_code == 302


def test_no_reset_while_password_login_is_off(settings, eid, client):
    settings.OIDC_PASSWORD_LOGIN = False
    assert client.get(reverse("password_reset")).status_code == 404


def test_the_link_uses_the_site_address_of_the_moment(settings, client, erik):
    settings.SITE_URL = "https://annan.example.se"
    _request_reset(client, "erik@example.se")
    assert "https://annan.example.se/losenord/aterstall/" in mail.outbox[0].body
