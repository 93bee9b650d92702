"""Re-authentication when signing: the password is asked again, and wrong ones are rate-limited."""

from accounts.reauth import MAX_FAILURES
from tests.helpers import client_for, post_signature


def test_wrong_password_is_refused_and_rate_limited(bob, justering):
    client = client_for(bob)
    for _ in range(MAX_FAILURES):
        post_signature(client, justering, password="fel")
    response = post_signature(client, justering)  # right password, but locked out now
    assert "För många felaktiga lösenord" in client.get(response["Location"]).content.decode()
    assert justering.signatures.get(person=bob.person).status == "pagar"
