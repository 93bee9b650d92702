"""The rules an e-legitimation authentication must meet to carry a signature (accounts.stepup):
fresh (after "Signera" was pressed, at most OIDC_SIGN_MAX_AGE old) and at an accepted level (acr).
OpenID Connect Core 1.0, 3.1.2.1 (max_age, prompt=login, acr_values) and 2 (auth_time, acr)."""

import datetime as dt

import pytest

from accounts.stepup import AuthenticationRefused, check_authentication

NOW = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)
STARTED = NOW - dt.timedelta(seconds=40)
HIGH = "http://id.elegnamnden.se/loa/1.0/loa3"


def _check(auth_time=NOW - dt.timedelta(seconds=10), acr=HIGH, accepted=(HIGH,), max_age=300):
    claims = {"acr": acr, "auth_time": int(auth_time.timestamp()) if auth_time else None}
    return check_authentication(claims, started_at=STARTED, now=NOW, accepted_acr=list(accepted), max_age=max_age)


def test_a_fresh_authentication_at_the_accepted_level_passes():
    auth_time, acr = _check()
    assert auth_time == NOW - dt.timedelta(seconds=10) and acr == HIGH


def test_an_authentication_from_before_signera_was_pressed_is_stale():
    with pytest.raises(AuthenticationRefused, match="för gammal"):
        _check(auth_time=STARTED - dt.timedelta(minutes=5))


def test_an_authentication_older_than_max_age_is_stale():
    with pytest.raises(AuthenticationRefused, match="högst 1 minut gammal"):
        _check(auth_time=NOW - dt.timedelta(seconds=61), max_age=60)


def test_clock_difference_within_the_leeway_is_tolerated():
    _check(auth_time=STARTED - dt.timedelta(seconds=30))
    _check(auth_time=NOW + dt.timedelta(seconds=30))


def test_an_authentication_in_the_future_is_refused():
    with pytest.raises(AuthenticationRefused, match="ännu inte har kommit"):
        _check(auth_time=NOW + dt.timedelta(minutes=5))


def test_a_missing_auth_time_is_refused():
    with pytest.raises(AuthenticationRefused, match="angav inte när"):
        _check(auth_time=None)


def test_a_level_that_is_not_accepted_is_refused_and_named():
    low = "http://id.elegnamnden.se/loa/1.0/loa2"
    with pytest.raises(AuthenticationRefused) as refused:
        _check(acr=low)
    assert str(refused.value) == (
        f"Legitimeringen gjordes på tillitsnivån {low}, som inte godtas för underskrifter. "
        f"För att signera krävs tillitsnivån {HIGH}."
    )


def test_a_level_outside_the_list_is_not_called_lower():
    with pytest.raises(AuthenticationRefused) as refused:
        _check(acr="http://id.elegnamnden.se/loa/1.0/loa4")
    assert "lägre" not in str(refused.value) and "loa4, som inte godtas" in str(refused.value)


def test_a_missing_level_is_refused_as_missing():
    with pytest.raises(AuthenticationRefused) as refused:
        _check(acr=None)
    assert str(refused.value).startswith("E-legitimationen angav inte på vilken tillitsnivå")
    assert "lägre" not in str(refused.value)


def test_any_level_passes_when_none_is_configured():
    assert _check(acr="urn:any", accepted=())[1] == "urn:any"
