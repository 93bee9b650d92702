"""Signing with e-legitimation (step-up) against the real OpenID Connect provider: the signer is sent
to authenticate anew, and only their own, fresh authentication at the required level signs; every
other answer is refused in Swedish and signs nothing."""

from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from tests import oidc
from tests.helpers import client_for


def _press_signera(client: Client, justering: m.Justering, content_hash: str | None = None):
    return client.post(
        reverse("justering_sign", args=[justering.pk]),
        {"content_hash": justering.content_hash if content_hash is None else content_hash},
    )


def _answer(client: Client, justering: m.Justering, **login) -> tuple[str, object]:
    """Press "Signera", authenticate at the provider as told, and bring the answer back."""
    start = _press_signera(client, justering)
    assert start.status_code == 302, start
    callback = urlsplit(oidc.log_in_at_provider(start["Location"], **login))
    url = f"{callback.path}?{callback.query}"
    return url, client.get(url, follow=True)


def _mine(justering: m.Justering, person: m.Person) -> m.Signature:
    return justering.signatures.get(person=person, status__in=m.LIVE_SIGNATURE_STATUSES)


def _text(response) -> str:
    return response.content.decode()


def test_signera_sends_the_signer_to_authenticate_anew(bob, justering, eid):
    oidc.register(bob.person)
    response = _press_signera(client_for(bob), justering)
    query = parse_qs(urlsplit(response["Location"]).query)
    assert response["Location"].startswith(f"{eid.issuer}/auth?")
    assert query["prompt"] == ["login"] and query["max_age"] == ["0"] and query["acr_values"] == [oidc.HIGH]
    request = m.SigningRequest.objects.get()
    assert query["state"] == [request.state] and query["nonce"] == [request.nonce]
    assert request.content_hash == justering.content_hash and request.person == bob.person


def test_the_signers_own_fresh_authentication_signs_with_its_evidence(bob, justering, eid):
    identity = oidc.register(bob.person)
    before = timezone.now().replace(microsecond=0)
    _url, response = _answer(client_for(bob), justering)
    assert "Du har signerat med e-legitimation" in _text(response)
    signature = _mine(justering, bob.person)
    assert signature.status == m.SignatureStatus.SIGNERAT and signature.with_eid
    assert signature.eid_issuer == eid.issuer and signature.eid_acr == oidc.HIGH
    assert signature.eid_subject_hash == identity.subject_hash
    assert before - timezone.timedelta(seconds=2) <= signature.eid_auth_time <= timezone.now()
    assert len(signature.eid_id_token_sha256) == 64
    assert signature.content_hash == justering.content_hash
    assert m.SigningRequest.objects.get().outcome == m.SigningRequestOutcome.SIGNERAT


def _assert_refused(response, justering: m.Justering, person: m.Person, words: str) -> None:
    page = _text(response)
    assert words in page and "Ingen underskrift gjordes." in page, page
    assert _mine(justering, person).status == m.SignatureStatus.PAGAR
    assert m.SigningRequest.objects.filter(outcome=m.SigningRequestOutcome.NEKAT).exists()


def test_another_persons_authentication_is_refused(bob, justering, eid):
    oidc.register(bob.person)
    _url, response = _answer(client_for(bob), justering, user=oidc.BERTIL)
    _assert_refused(response, justering, bob.person, "Du legitimerade dig som en annan person än Bob Ordförande.")


def test_an_authentication_registered_for_another_signer_is_refused(bob, justering, eid):
    oidc.register(bob.person)
    oidc.register(justering.meeting.justerare_1, oidc.BERTIL)
    _url, response = _answer(client_for(bob), justering, user=oidc.BERTIL)
    _assert_refused(response, justering, bob.person, "annan person")
    assert _mine(justering, justering.meeting.justerare_1).status == m.SignatureStatus.PAGAR


def test_a_stale_authentication_is_refused(bob, justering, eid):
    oidc.register(bob.person)
    _url, response = _answer(client_for(bob), justering, backdate=3600)
    _assert_refused(response, justering, bob.person, "är för gammal")


def test_a_lower_level_of_assurance_is_refused(bob, justering, eid):
    oidc.register(bob.person)
    _url, response = _answer(client_for(bob), justering, acr=oidc.LOW)
    _assert_refused(response, justering, bob.person, f"tillitsnivån {oidc.LOW}, som inte godtas")


def test_a_replayed_answer_is_refused(bob, justering, eid):
    oidc.register(bob.person)
    client = client_for(bob)
    url, response = _answer(client, justering, acr=oidc.LOW)
    assert "som inte godtas för underskrifter" in _text(response)
    replay = client.get(url, follow=True)
    _assert_refused(replay, justering, bob.person, "har redan använts en gång")


def test_a_replayed_answer_after_signing_changes_nothing(bob, justering, eid):
    oidc.register(bob.person)
    client = client_for(bob)
    url, _response = _answer(client, justering)
    signed = _mine(justering, bob.person)
    replay = client.get(url, follow=True)
    assert "har redan använts en gång" in _text(replay)
    assert list(justering.signatures.filter(person=bob.person).values()) == list(
        m.Signature.objects.filter(pk=signed.pk).values()
    )


def test_an_answer_to_another_users_request_is_refused(bob, charlie, justering, eid):
    oidc.register(bob.person)
    start = _press_signera(client_for(bob), justering)
    callback = urlsplit(oidc.log_in_at_provider(start["Location"]))
    response = client_for(charlie).get(f"{callback.path}?{callback.query}")
    assert response.status_code in (302, 404)
    assert _mine(justering, bob.person).status == m.SignatureStatus.PAGAR
    assert m.SigningRequest.objects.get().reason.startswith("Signeringen påbörjades av en annan användare")


def test_an_answer_naming_another_issuer_is_refused(bob, justering, eid):
    oidc.register(bob.person)
    client = client_for(bob)
    start = _press_signera(client, justering)
    callback = urlsplit(oidc.log_in_at_provider(start["Location"]))
    query = {k: v[0] for k, v in parse_qs(callback.query).items()} | {"iss": "https://evil.example"}
    response = client.get(f"{callback.path}?{urlencode(query)}", follow=True)
    _assert_refused(response, justering, bob.person, "annan identitetsleverantör")


def test_a_forged_code_is_refused(bob, justering, eid):
    oidc.register(bob.person)
    client = client_for(bob)
    state = parse_qs(urlsplit(_press_signera(client, justering)["Location"]).query)["state"][0]
    response = client.get(reverse("oidc_authentication_callback"), {"state": state, "code": "forged"}, follow=True)
    _assert_refused(response, justering, bob.person, "kunde inte kontrolleras")


def test_cancelling_at_the_provider_signs_nothing(bob, justering, eid):
    oidc.register(bob.person)
    client = client_for(bob)
    state = parse_qs(urlsplit(_press_signera(client, justering)["Location"]).query)["state"][0]
    response = client.get(
        reverse("oidc_authentication_callback"), {"state": state, "error": "access_denied"}, follow=True
    )
    _assert_refused(response, justering, bob.person, "avbröts")


def test_content_changed_while_away_is_refused(bob, justering, eid):
    oidc.register(bob.person)
    start = _press_signera(client_for(bob), justering, content_hash="0" * 64)
    callback = urlsplit(oidc.log_in_at_provider(start["Location"]))
    response = client_for(bob).get(f"{callback.path}?{callback.query}", follow=True)
    _assert_refused(response, justering, bob.person, "Protokollet har ändrats")


def test_a_signer_without_a_registered_e_legitimation_is_told_so(bob, justering, eid):
    response = client_for(bob).post(
        reverse("justering_sign", args=[justering.pk]), {"content_hash": justering.content_hash}, follow=True
    )
    assert "inte kopplat till någon e-legitimation" in _text(response)
    assert not m.SigningRequest.objects.exists()


def test_the_password_does_not_sign_when_e_legitimation_is_on(bob, justering, eid):
    oidc.register(bob.person)
    client_for(bob).post(
        reverse("justering_sign", args=[justering.pk]),
        {"password": "pw-for-tests", "content_hash": justering.content_hash},
    )
    assert _mine(justering, bob.person).status == m.SignatureStatus.PAGAR


def test_who_may_not_start_a_signature(client, charlie, justering, eid):
    assert _press_signera(client, justering)["Location"].startswith(reverse("login"))
    assert _press_signera(client_for(charlie), justering).status_code == 404
    assert not m.SigningRequest.objects.exists()


def test_the_signing_page_offers_e_legitimation_instead_of_the_password(bob, justering, eid):
    page = _text(client_for(bob).get(reverse("justering_detail", args=[justering.pk])))
    assert "Signera med e-legitimation" in page and 'name="password"' not in page


def test_the_signing_page_lets_its_form_lead_to_the_provider(bob, justering, eid):
    policy = client_for(bob).get(reverse("justering_detail", args=[justering.pk]))["Content-Security-Policy"]
    assert f"form-action 'self' {eid.issuer}" in policy


def test_without_e_legitimation_forms_lead_nowhere_else(bob, justering):
    policy = client_for(bob).get(reverse("justering_detail", args=[justering.pk]))["Content-Security-Policy"]
    assert "form-action 'self';" in policy + ";" and "http" not in policy
