"""Login throttling (django-axes, accounts.throttle): per account and per client address, in the
database, with a Swedish lockout page, a lock that ends by itself, the admin's login too."""

import datetime

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib.auth.signals import user_login_failed
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.throttle import client_ip
from tests import factories as f

LOGIN = "/logga-in/"


def _login(client, username, password="fel", address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client, username, times, address="10.0.0.1"):
    return [_login(client, username, address=address) for _ in range(times)]


def test_wrong_passwords_lock_the_account_with_a_swedish_message(settings, alice):
    client = Client()
    answers = _fail(client, "alice", settings.AXES_FAILURE_LIMIT - 1)
    assert {r.status_code for r in answers} == {200}  # the form again, with its error
    locked = _login(client, "alice")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Inloggningen är tillfälligt spärrad" in page
    assert "15 minuter" in page
    assert "Anslagstavlan" in page  # the site's layout and its navigation


def test_the_right_password_is_refused_while_locked(settings, alice):
    client = Client()
    _fail(client, "alice", settings.AXES_FAILURE_LIMIT)
    response = _login(client, "alice", "pw-for-tests")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # From another address too: the account is locked, wherever the attempts come from.
    assert _login(Client(), "alice", "pw-for-tests", address="10.9.9.9").status_code == 429


def test_the_lock_ends_by_itself(settings, alice):
    client = Client()
    _fail(client, "alice", settings.AXES_FAILURE_LIMIT)
    assert _login(client, "alice", "pw-for-tests").status_code == 429
    expired = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=expired)
    response = _login(client, "alice", "pw-for-tests")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_attempts_while_locked_do_not_extend_the_lock(settings, alice):
    client = Client()
    _fail(client, "alice", settings.AXES_FAILURE_LIMIT)
    before = AccessAttempt.objects.get(username="alice").attempt_time
    _fail(client, "alice", 3)
    assert AccessAttempt.objects.get(username="alice").attempt_time == before


def test_an_address_is_locked_across_usernames(settings, alice, bob):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    client = Client()
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):  # never more than 1 per account
        _login(client, f"guess{i}")
    assert _login(client, "alice", "pw-for-tests").status_code == 429
    # Bob elsewhere is not affected: neither his account nor his address has failed.
    assert _login(Client(), "bob", "pw-for-tests", address="10.0.0.2").status_code == 302


def test_an_address_below_its_limit_is_not_locked(settings, alice):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    client = Client()
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        _login(client, f"guess{i}")
    assert _login(client, "alice", "pw-for-tests").status_code == 302


def test_a_successful_login_clears_the_accounts_failures(settings, alice):
    client = Client()
    _fail(client, "alice", settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, "alice", "pw-for-tests").status_code == 302
    client.logout()
    assert _login(client, "alice", "fel").status_code == 200  # counting starts again


def test_the_admin_login_is_throttled_too(settings, db):
    f.user("root", is_staff=True, is_superuser=True)
    client = Client()
    url = "/admin/login/?next=/admin/"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "root", "password": "fel"}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 429
    assert "Inloggningen är tillfälligt spärrad" in response.content.decode()
    response = client.post(url, {"username": "root", "password": "pw-for-tests"}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("header", "meta", "expected"),
    [
        ("", {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.1"),
        ("X-Forwarded-For", {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
        ("X-Real-IP", {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_REAL_IP": "1.2.3.4"}, "1.2.3.4"),
        ("X-Real-IP", {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
    ],
)
def test_the_client_address_comes_from_the_configured_header_only(settings, rf, header, meta, expected):
    settings.CLIENT_IP_HEADER = header
    assert client_ip(rf.get("/", **meta)) == expected


def test_behind_a_proxy_each_client_is_counted_on_its_own(settings, alice):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    client = Client()
    for i in range(3):
        client.post(LOGIN, {"username": f"x{i}", "password": "fel"}, HTTP_X_FORWARDED_FOR="192.0.2.1")
    locked = client.post(LOGIN, {"username": "alice", "password": "pw-for-tests"}, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert locked.status_code == 429
    other = client.post(LOGIN, {"username": "alice", "password": "pw-for-tests"}, HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert other.status_code == 302


def test_failed_logins_without_a_username_lock_only_their_address(settings, rf, db):
    """An e-legitimation callback that fails names no account: failures from many addresses must not
    add up to a lock of every e-legitimation login."""
    for i in range(settings.AXES_FAILURE_LIMIT + 1):
        user_login_failed.send(
            sender=__name__, credentials={}, request=rf.get("/oidc/callback/", REMOTE_ADDR=f"10.1.0.{i}")
        )
    assert AxesProxyHandler.is_allowed(rf.get("/oidc/callback/", REMOTE_ADDR="10.1.1.1"), {})
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for _ in range(3):
        user_login_failed.send(
            sender=__name__, credentials={}, request=rf.get("/oidc/callback/", REMOTE_ADDR="10.1.2.2")
        )
    assert not AxesProxyHandler.is_allowed(rf.get("/oidc/callback/", REMOTE_ADDR="10.1.2.2"), {})
