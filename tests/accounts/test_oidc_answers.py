"""Answers a certified provider does not give, but a misconfigured or hostile one may: each is a
Swedish page (login) or a refused signature, never a server error. The provider is
``oidc.ScriptedProvider``: real HTTP and real signed JWTs, with the ID token the test writes."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from meetings import models as m
from tests import oidc
from tests.helpers import client_for


def _login_answer(client: Client, provider: oidc.ScriptedProvider, token) -> object:
    """Press "Logga in med e-legitimation"; the provider answers with ``token(nonce)``."""
    start = client.get(reverse("oidc_authentication_init"))
    query = parse_qs(urlsplit(start["Location"]).query)
    provider.id_token = token(query["nonce"][0])
    return client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": query["state"][0]})


def _register(person: m.Person, provider: oidc.ScriptedProvider) -> m.Identity:
    return m.Identity.objects.create(
        person=person, issuer=provider.issuer, subject_hash=m.Identity.hash_identifier(oidc.ANNA.sub)
    )


def _assert_login_refused(response, client: Client) -> None:
    assert response.status_code == 400 and "Inloggningen misslyckades" in response.content.decode()
    assert not client.get(reverse("dashboard")).wsgi_request.user.is_authenticated


def test_the_scripted_provider_logs_in_with_a_proper_token(bob, scripted_eid):
    _register(bob.person, scripted_eid)
    client = Client()
    response = _login_answer(client, scripted_eid, lambda nonce: scripted_eid.sign({"nonce": nonce}))
    assert response.status_code == 302 and client.get(reverse("dashboard")).wsgi_request.user == bob


@pytest.mark.parametrize(
    ("jwk_kid", "token_kid", "second_key"),
    [("k1", None, True), ("k1", "other", False), (None, "k1", False)],
    ids=["no-kid-among-two-keys", "unknown-kid", "kid-against-a-jwks-without-kid"],
)
def test_a_token_whose_key_cannot_be_found_is_refused(bob, scripted_eid, jwk_kid, token_kid, second_key):
    from cryptography.hazmat.primitives.asymmetric import rsa

    _register(bob.person, scripted_eid)
    scripted_eid.jwk_kid = jwk_kid
    if second_key:
        scripted_eid.second_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client = Client()
    response = _login_answer(client, scripted_eid, lambda nonce: scripted_eid.sign({"nonce": nonce}, kid=token_kid))
    _assert_login_refused(response, client)


@pytest.mark.parametrize("jwk_kid", ["k1", None])
def test_a_token_without_kid_is_checked_against_the_only_key(bob, scripted_eid, jwk_kid):
    # OpenID Connect Core 10.1: kid is needed only when the JWKS holds several keys.
    _register(bob.person, scripted_eid)
    scripted_eid.jwk_kid = jwk_kid
    client = Client()
    response = _login_answer(client, scripted_eid, lambda nonce: scripted_eid.sign({"nonce": nonce}, kid=None))
    assert response.status_code == 302 and client.get(reverse("dashboard")).wsgi_request.user == bob


@pytest.mark.parametrize("token", ["not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30", ""])
def test_a_malformed_token_is_refused(bob, scripted_eid, token):
    _register(bob.person, scripted_eid)
    client = Client()
    _assert_login_refused(_login_answer(client, scripted_eid, lambda nonce: token), client)


def test_a_state_with_a_nul_byte_is_refused(bob, scripted_eid):
    client = client_for(bob)
    response = client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": "abc\x00def"})
    assert response.status_code == 400 and "Inloggningen misslyckades" in response.content.decode()


def test_a_login_after_the_account_was_unlinked_gets_the_account_back(db, scripted_eid):
    from tests import factories as f

    person = f.person("Anna Andersson")
    _register(person, scripted_eid)
    assert _login_answer(Client(), scripted_eid, lambda nonce: scripted_eid.sign({"nonce": nonce})).status_code == 302
    person.refresh_from_db()
    first = person.user
    m.Person.objects.filter(pk=person.pk).update(user=None)  # an administrator unlinked the account
    client = Client()
    response = _login_answer(client, scripted_eid, lambda nonce: scripted_eid.sign({"nonce": nonce}))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).wsgi_request.user == first


def _sign_answer(client: Client, justering: m.Justering, provider: oidc.ScriptedProvider, token) -> object:
    start = client.post(reverse("justering_sign", args=[justering.pk]), {"content_hash": justering.content_hash})
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer), start
    query = parse_qs(urlsplit(start["Location"]).query)
    provider.id_token = token(query["nonce"][0])
    return client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": query["state"][0]}, follow=True)


def _assert_not_signed(response, justering: m.Justering, person: m.Person, words: str) -> None:
    page = response.content.decode()
    assert response.status_code == 200 and words in page and "Ingen underskrift gjordes." in page, page
    mine = justering.signatures.get(person=person, status__in=m.LIVE_SIGNATURE_STATUSES)
    assert mine.status == m.SignatureStatus.PAGAR


@pytest.mark.parametrize("auth_time", [10**20, -(10**20), 1e300, float("inf")], ids=["huge", "negative", "e300", "inf"])
def test_an_absurd_auth_time_refuses_the_signature(bob, justering, scripted_eid, auth_time):
    _register(bob.person, scripted_eid)
    token = lambda nonce: scripted_eid.sign({"nonce": nonce, "acr": oidc.HIGH, "auth_time": auth_time})  # noqa: E731
    response = _sign_answer(client_for(bob), justering, scripted_eid, token)
    _assert_not_signed(response, justering, bob.person, "Ingen underskrift")


def test_a_signing_answer_with_an_unknown_kid_is_refused(bob, justering, scripted_eid):
    _register(bob.person, scripted_eid)
    token = lambda nonce: scripted_eid.sign({"nonce": nonce, "acr": oidc.HIGH}, kid="other")  # noqa: E731
    response = _sign_answer(client_for(bob), justering, scripted_eid, token)
    _assert_not_signed(response, justering, bob.person, "kunde inte kontrolleras")


def test_a_malformed_signing_answer_is_refused(bob, justering, scripted_eid):
    _register(bob.person, scripted_eid)
    response = _sign_answer(client_for(bob), justering, scripted_eid, lambda nonce: "not-a-jwt")
    _assert_not_signed(response, justering, bob.person, "kunde inte kontrolleras")
