"""Production settings from the environment (README "Production"): the documented environment passes
``check --deploy`` without a warning; the proxy header and HSTS come from it."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

# The production environment as the README documents it (with stand-in secrets).
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-key-" + "x7Qp2Lm9Zr4Vt8Wk3Hs6Jd1Fg5Bn0Cy",
    "ALLOWED_HOSTS": "protokoll.example.se",
    "SITE_URL": "https://protokoll.example.se",
    "CSRF_TRUSTED_ORIGINS": "https://protokoll.example.se",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "CLIENT_IP_HEADER": "X-Forwarded-For",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Nothing of the test run's own environment (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DEBUG", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "protokoll.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_environment_passes_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_without_the_tls_settings_the_deploy_check_warns():
    bare = {k: v for k, v in PRODUCTION.items() if not k.startswith("SECURE_")}
    result = _manage("check", "--deploy", **bare)
    assert "security.W004" in result.stdout + result.stderr  # HSTS
    assert "security.W008" in result.stdout + result.stderr  # SSL redirect


def test_the_settings_read_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.CSRF_TRUSTED_ORIGINS, s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    result = _manage("shell", "--no-imports", "-c", code, CONN_HEALTH_CHECKS="0", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "('HTTP_X_FORWARDED_PROTO', 'https') 31536000 True True True True True ['https://protokoll.example.se'] False"
    )


def _post_through_tls_proxy(settings) -> int:
    settings.ALLOWED_HOSTS = ["protokoll.example.se"]
    settings.CSRF_TRUSTED_ORIGINS = []
    client = Client(enforce_csrf_checks=True, HTTP_HOST="protokoll.example.se", HTTP_X_FORWARDED_PROTO="https")
    client.get(reverse("login"))
    data = {"username": "nobody", "password": "x", "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    return client.post(reverse("login"), data, HTTP_ORIGIN="https://protokoll.example.se").status_code


def test_behind_a_tls_proxy_a_valid_post_passes_with_the_proxy_header(settings, db):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert _post_through_tls_proxy(settings) == 200  # the login form again: wrong password, not 403


def test_without_the_proxy_header_setting_the_same_post_is_refused(settings, db):
    assert _post_through_tls_proxy(settings) == 403
