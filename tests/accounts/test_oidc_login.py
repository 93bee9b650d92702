"""Logging in with e-legitimation against the real OpenID Connect provider (tests/oidc_provider),
with Django's test client on our side and the provider's own login form on its side."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from meetings import models as m
from tests import factories as f
from tests import oidc


def _log_in(client: Client, user: oidc.User = oidc.ANNA, session: requests.Session | None = None):
    """Press "Logga in med e-legitimation", log in at the provider, and come back."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    callback = oidc.log_in_at_provider(start["Location"], user, session=session)
    parts = urlsplit(callback)
    assert parts.netloc == "testserver" and parts.path == reverse("oidc_authentication_callback")
    return client.get(f"{parts.path}?{parts.query}"), f"{parts.path}?{parts.query}"


def test_without_configuration_the_login_page_is_as_before(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "e-legitimation" not in page and 'name="password"' in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"}).status_code == 404


def test_the_login_page_offers_e_legitimation_beside_the_password(client, eid):
    page = client.get(reverse("login")).content.decode()
    assert "Logga in med e-legitimation" in page and 'name="password"' in page


def test_a_registered_person_logs_in_with_their_own_account(bob, eid):
    identity = oidc.register(bob.person)
    client = Client()
    response, _ = _log_in(client)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).wsgi_request.user == bob
    bob.refresh_from_db()
    assert bob.email == "anna@example.test"  # from the provider's verified e-mail claim
    identity.refresh_from_db()
    assert identity.last_login_at is not None


def test_the_request_asks_for_what_the_settings_say(bob, eid):
    start = Client().get(reverse("oidc_authentication_init"))
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["scope"] == [f"openid profile email {oidc.PNR_SCOPE}"]
    assert query["client_id"] == [oidc.CLIENT_ID] and query["code_challenge_method"] == ["S256"]
    assert query["nonce"] and query["state"]


def test_the_first_login_makes_the_account_of_a_registered_person(db, eid):
    person = f.person("Anna Andersson")
    oidc.register(person)
    client = Client()
    response, _ = _log_in(client)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is not None and not person.user.has_usable_password()
    assert client.get(reverse("dashboard")).wsgi_request.user == person.user
    # A second login uses the same account.
    _log_in(Client())
    assert get_user_model().objects.filter(person=person).count() == 1


def test_an_unknown_person_is_told_whom_to_contact_and_is_not_let_in(bob, eid):
    oidc.register(bob.person)  # anna is registered; bertil is not
    users_before = get_user_model().objects.count()
    client = Client()
    response, _ = _log_in(client, oidc.BERTIL)
    assert response.status_code == 302 and response["Location"] == reverse("eid_unknown")
    page = client.get(reverse("eid_unknown")).content.decode()
    assert "Du finns inte i Protokoll" in page and "kommunkansliet, kansliet@exempel.se" in page
    code = m.Identity.hash_identifier(oidc.BERTIL.personnummer)
    assert " ".join(code[i : i + 8] for i in range(0, 64, 8)) in page
    assert oidc.BERTIL.personnummer not in page
    assert not client.get(reverse("dashboard")).wsgi_request.user.is_authenticated
    assert get_user_model().objects.count() == users_before


def test_people_are_matched_by_the_configured_claim_not_by_name_or_email(db, eid):
    f.person("Anna Andersson", email="anna@example.test", user=f.user("anna-lookalike"))
    response, _ = _log_in(Client())
    assert response["Location"] == reverse("eid_unknown")  # same name and e-mail, but no registered identity


def test_the_subject_can_be_the_identifying_claim(settings, bob, eid):
    settings.OIDC_IDENTITY_CLAIM = "sub"
    m.Identity.objects.create(
        person=bob.person, issuer=eid.issuer, subject_hash=m.Identity.hash_identifier(oidc.ANNA.sub)
    )
    response, _ = _log_in(Client())
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_replayed_login_answer_is_refused(bob, eid):
    oidc.register(bob.person)
    client = Client()
    _log_in(client)
    client.post(reverse("logout"))
    start = client.get(reverse("oidc_authentication_init"))
    callback = urlsplit(oidc.log_in_at_provider(start["Location"]))
    assert client.get(f"{callback.path}?{callback.query}").status_code == 302
    client.post(reverse("logout"))
    again = client.get(f"{callback.path}?{callback.query}")
    assert again.status_code == 400 and "Inloggningen misslyckades" in again.content.decode()
    assert not client.get(reverse("dashboard")).wsgi_request.user.is_authenticated


def test_the_unknown_page_without_a_refused_login_is_the_login_page(client, eid):
    assert client.get(reverse("eid_unknown"))["Location"] == reverse("login")


def test_an_answer_that_does_not_fit_is_a_swedish_page_not_a_500(bob, eid):
    client = Client()
    client.get(reverse("oidc_authentication_init"))
    response = client.get(reverse("oidc_authentication_callback"), {"code": "forged", "state": "unknown"})
    assert response.status_code == 400 and "Inloggningen misslyckades" in response.content.decode()


def test_a_provider_that_does_not_answer_is_a_swedish_page(settings, eid):
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = Client().get(reverse("oidc_authentication_init"))
    assert response.status_code == 503 and "kunde inte slutföras" in response.content.decode()


def test_logout_ends_the_session_here_and_at_the_provider(bob, eid):
    oidc.register(bob.person)
    client, browser = Client(), requests.Session()
    _log_in(client, session=browser)
    response = client.post(reverse("logout"))
    assert not client.get(reverse("dashboard")).wsgi_request.user.is_authenticated
    end_session = response["Location"]
    assert end_session.startswith(f"{eid.issuer}/session/end?")
    query = parse_qs(urlsplit(end_session).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/logga-in/"]
    assert "id_token_hint" not in query  # the ID token is never kept
    # The provider asks; the user confirms; the provider's session is gone.
    confirm = browser.get(end_session, timeout=10)
    xsrf = confirm.text.split('name="xsrf" value="', 1)[1].split('"', 1)[0]
    done = browser.post(
        f"{eid.issuer}/session/end/confirm", data={"xsrf": xsrf, "logout": "yes"}, allow_redirects=False, timeout=10
    )
    assert done.headers["Location"].startswith("http://testserver/logga-in/")
    again = browser.get(client.get(reverse("oidc_authentication_init"))["Location"], timeout=10)
    assert 'name="password"' in again.text  # the provider asks for a login again


def test_logout_after_a_password_login_stays_here(bob, eid):
    client = Client()
    client.force_login(bob)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")


def test_password_login_can_be_turned_off(settings, bob, eid, rf):
    settings.OIDC_PASSWORD_LOGIN = False
    page = Client().get(reverse("login")).content.decode()
    assert "Logga in med e-legitimation" in page and 'name="password"' not in page
    response = Client().post(reverse("login"), {"username": "bob", "password": "pw-for-tests"})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert authenticate(rf.get("/"), username="bob", password="pw-for-tests") is None
    admin_login = Client().get("/admin/login/?next=/admin/")
    assert admin_login.status_code == 302 and admin_login["Location"].startswith(reverse("login"))


def test_password_login_stays_when_oidc_is_on(settings, bob, eid, rf):
    assert authenticate(rf.get("/"), username="bob", password="pw-for-tests") == bob
    assert Client().get("/admin/login/").status_code == 200


def _every_stored_text() -> str:
    """Every value of every row of every table, and every session's decoded data, as one text."""
    texts = []
    for model in apps.get_models():
        for row in model.objects.values_list():
            texts.append(repr(row))
    texts += [repr(s.get_decoded()) for s in Session.objects.all()]
    return "\n".join(texts)


@pytest.mark.django_db(transaction=True)
def test_the_personnummer_is_never_stored(bob, eid):
    oidc.register(bob.person)
    _log_in(Client())
    _log_in(Client(), oidc.BERTIL)  # an unknown person is not stored either
    stored = _every_stored_text()
    assert oidc.ANNA.personnummer not in stored and oidc.BERTIL.personnummer not in stored
    assert m.Identity.hash_identifier(oidc.ANNA.personnummer) in stored


def test_a_deactivated_user_loses_the_session_of_an_e_legitimation_login(bob, eid):
    oidc.register(bob.person)
    client = Client()
    _log_in(client)
    assert client.get(reverse("dashboard")).wsgi_request.user == bob
    get_user_model().objects.filter(pk=bob.pk).update(is_active=False)
    assert not client.get(reverse("dashboard")).wsgi_request.user.is_authenticated


def test_turning_e_legitimation_off_ends_its_sessions(settings, bob, eid):
    oidc.register(bob.person)
    client = Client()
    _log_in(client)
    settings.OIDC_ISSUER = ""
    assert not client.get(reverse("dashboard")).wsgi_request.user.is_authenticated


def test_redirect_uris_come_from_site_url_not_from_the_host_header(settings, bob, justering, eid):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    oidc.register(bob.person)
    client = Client(HTTP_HOST="evil.example")
    start = client.get(reverse("oidc_authentication_init"))
    assert parse_qs(urlsplit(start["Location"]).query)["redirect_uri"] == ["http://testserver/oidc/callback/"]
    client.force_login(bob)
    sign = client.post(reverse("justering_sign", args=[justering.pk]), {"content_hash": justering.content_hash})
    assert parse_qs(urlsplit(sign["Location"]).query)["redirect_uri"] == ["http://testserver/oidc/callback/"]


def test_a_login_started_under_another_host_name_completes(settings, bob, eid):
    settings.ALLOWED_HOSTS = ["testserver", "intern.example"]
    oidc.register(bob.person)
    client = Client(HTTP_HOST="intern.example")
    start = client.get(reverse("oidc_authentication_init"))
    callback = urlsplit(oidc.log_in_at_provider(start["Location"]))
    assert callback.netloc == "testserver"
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
