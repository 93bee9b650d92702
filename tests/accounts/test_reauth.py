"""Re-authentication when signing: the password is asked again, and wrong ones are rate-limited."""

import threading

import pytest
from django.db import connection, connections

from accounts.reauth import MAX_FAILURES, ReauthError, verify_password
from meetings import models as m
from tests import factories as f
from tests.helpers import client_for, post_signature


def test_wrong_password_is_refused_and_rate_limited(bob, justering):
    client = client_for(bob)
    for _ in range(MAX_FAILURES):
        post_signature(client, justering, password="fel")
    response = post_signature(client, justering)  # right password, but locked out now
    assert "För många felaktiga lösenord" in client.get(response["Location"]).content.decode()
    assert justering.signatures.get(person=bob.person).status == "pagar"


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_passwords_are_counted_one_at_a_time():
    """30 simultaneous wrong passwords: exactly MAX_FAILURES are checked, the rest refused as locked."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises every write and has no row locks; CI runs this on PostgreSQL.")
    user = f.user("dora")
    start = threading.Barrier(30)
    messages: list[str] = []

    def attempt() -> None:
        try:
            start.wait()
            verify_password(user, "fel")
        except ReauthError as exc:
            messages.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(messages) == 30
    assert sum(message.startswith("Fel lösenord") for message in messages) == MAX_FAILURES
    assert m.PasswordFailure.objects.filter(user=user).count() == MAX_FAILURES
