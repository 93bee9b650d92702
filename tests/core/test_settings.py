"""Settings come from the environment and refuse to start insecurely."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "SITE_URL"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import protokoll.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _import_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_has_a_development_key_and_sqlite_by_default():
    result = _import_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


def test_database_url_selects_postgresql():
    result = _import_settings(
        SECRET_KEY="x" * 50,
        SITE_URL="https://protokoll.example.se",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.postgresql"]


def test_bad_boolean_fails_loudly():
    result = _import_settings(DEBUG="kanske")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_refuses_to_start_without_site_url_when_debug_is_off():
    """A sealed PDF must point at a verification page that others can reach."""
    result = _import_settings(SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "SITE_URL must be set when DEBUG is off" in result.stderr


def _settings_value(expression: str, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "SITE_URL", "S3_BUCKET"}}
    clean.update({"DEBUG": "1", **env})
    result = subprocess.run(
        [sys.executable, "-c", f"import protokoll.settings as s; print({expression})"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_tasks_run_in_process_unless_a_worker_backend_is_configured():
    assert _settings_value("s.TASKS['default']['BACKEND']") == "django_tasks.backends.immediate.ImmediateBackend"
    database = _settings_value("s.TASKS['default']['BACKEND']", TASKS_BACKEND="database")
    assert database == "django_tasks_db.DatabaseBackend"


def test_storage_and_cache_come_from_the_environment():
    assert _settings_value("s.STORAGES['default']['BACKEND']") == "django.core.files.storage.FileSystemStorage"
    s3 = _settings_value("s.STORAGES['default']['BACKEND']", S3_BUCKET="protokoll")
    assert s3 == "storages.backends.s3.S3Storage"
    assert _settings_value("s.CACHES['default']['BACKEND']").endswith("LocMemCache")
    redis = _settings_value("s.CACHES['default']['BACKEND']", CACHE_URL="redis://127.0.0.1:6379/0")
    assert redis == "django.core.cache.backends.redis.RedisCache"


def _start_production(**env):
    """Start Django (settings and every app's ready()) as production would: DEBUG off."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    clean.update({"SECRET_KEY": "x" * 50, "SITE_URL": "https://protokoll.example.se", "DEBUG": "0", **env})
    clean["DJANGO_SETTINGS_MODULE"] = "protokoll.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_production_starts_with_a_known_task_backend():
    for value in ("immediate", "database"):
        result = _start_production(TASKS_BACKEND=value)
        assert result.returncode == 0 and result.stdout.strip() == "started", result.stderr


def test_a_misspelt_task_backend_refuses_to_start():
    """Otherwise every task (e-mail, renders) fails later, in an on_commit hook that only logs."""
    result = _start_production(TASKS_BACKEND="databse")
    assert result.returncode != 0 and "TASKS_BACKEND" in result.stderr


def test_a_task_backend_that_cannot_be_imported_refuses_to_start():
    result = _start_production(TASKS_BACKEND="django_tasks.backends.nosuch.Backend")
    assert result.returncode != 0 and "TASKS_BACKEND" in result.stderr


_OIDC = {
    "OIDC_ISSUER": "https://id.example.se",
    "OIDC_CLIENT_ID": "protokoll",
    "OIDC_CLIENT_SECRET": "s",
    "OIDC_SUBJECT_SALT": "salt",
}


def test_e_legitimation_in_production_refuses_to_start_without_a_signing_level():
    """Without acr_values any authentication, however weak, would carry a signature."""
    result = _start_production(**_OIDC)
    assert result.returncode != 0 and "OIDC_SIGN_ACR_VALUES" in result.stderr
    started = _start_production(**_OIDC, OIDC_SIGN_ACR_VALUES="http://id.elegnamnden.se/loa/1.0/loa3")
    assert started.returncode == 0, started.stderr
