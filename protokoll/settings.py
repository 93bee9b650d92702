"""Settings for Protokoll, read from the environment.

Environment variables:
    DEBUG          "1"/"true" for development. Off by default.
    SECRET_KEY     required when DEBUG is off; a fixed development key is used only when DEBUG is on.
    DATABASE_URL   e.g. postgres://postgres@127.0.0.1:5432/protokoll. Default: SQLite file db.sqlite3.
    ALLOWED_HOSTS  comma-separated host names. Default when DEBUG is on: localhost names.
    CSRF_TRUSTED_ORIGINS  comma-separated origins (scheme and host) allowed to POST from another origin.
    CONN_MAX_AGE, CONN_HEALTH_CHECKS  keep database connections (60 s) and test them before use (on).
    SECURE_COOKIES, SECURE_HSTS_SECONDS, SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD,
    SECURE_SSL_REDIRECT, SECURE_PROXY_SSL_HEADER, CLIENT_IP_HEADER  TLS and the proxy (README "Production").
    LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES  login throttling (5, 30, 15).
    EMAIL_URL-free mail settings: EMAIL_HOST, EMAIL_PORT, DEFAULT_FROM_EMAIL (console backend in DEBUG).
    OIDC_*         log in and sign with the municipality's e-legitimation (OpenID Connect); off unless
                   OIDC_ISSUER is set. See the block at the end and the README.
    SITE_URL       the public address printed in sealed PDFs and e-mails; required when DEBUG is off.
    TASKS_BACKEND  "immediate" (default: tasks run in the process that queues them), "database" (a
                   ``manage.py db_worker`` runs them) or the dotted path of another django-tasks backend.
    CACHE_URL      "locmem://" (default) or "redis://127.0.0.1:6379/0" for a cache shared by every server.
    S3_BUCKET      when set, stored files (rendered PDFs) go to this S3 bucket (django-storages) instead of
                   MEDIA_ROOT; with S3_ENDPOINT_URL, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_PREFIX.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean; fail loudly on anything that is not clearly true or false."""
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "meetings",
    "accounts",
    "backoffice",
    "anslagstavla",
    "axes",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads a request's body (the CSRF check parses a POST).
    "protokoll.middleware.RequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "protokoll.middleware.ContentSecurityPolicyMiddleware",
    "protokoll.middleware.ProtokollLockedMiddleware",
    "protokoll.middleware.PrivateCacheMiddleware",
    # Last, as axes asks: turns a refused login into the lockout page (accounts.throttle).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "protokoll.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backoffice.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "protokoll.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A kept connection is tested before a request uses it, so a restarted database costs no request.
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a competing writer instead of failing at once ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The password backend answers only while password login is on (OIDC_PASSWORD_LOGIN); the OpenID
# Connect backend only while OIDC_ISSUER is set. Both read the settings at call time.
# axes' backend first: it refuses every login of a locked-out account or address (accounts.throttle).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PasswordBackend",
    "accounts.oidc.OidcBackend",
]

# Login throttling (django-axes, accounts.throttle): failures counted in the database, per account and
# per client address, each against its own limit; the lock ends LOGIN_LOCKOUT_MINUTES after the last
# counted failure. Attempts while locked are refused without extending the lock.
AXES_HANDLER = "accounts.throttle.ThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"
AXES_VERBOSE = False
# Behind a reverse proxy: the request header that carries the client's address (e.g. X-Forwarded-For
# or X-Real-IP). Only set it when the proxy always writes that header: a client could forge it otherwise.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
# A password-reset link is valid this long (seconds).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 3600)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"


# Rendered PDFs and public pages go through the default storage, so every app server and worker reads
# what any of them stored: the disk for one server (MEDIA_ROOT), an S3 bucket for several.
def _storage() -> dict:
    bucket = os.environ.get("S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", "protokoll"),
            # Private objects, served through the app (published checks, ETag), never by bucket URL.
            "default_acl": None,
            "querystring_auth": True,
            # Stored names are content hashes: the same name means the same bytes, so keep the first.
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": _storage(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Request size bounds: a protokoll is text; nothing legitimate posts more than this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The largest handling or bilaga a secretary may upload (meetings.uploads), in MB.
HANDLING_MAX_BYTES = int(os.environ.get("HANDLING_MAX_MB", "25")) * 1024 * 1024
# No request body may be larger (protokoll.middleware.RequestSizeMiddleware answers 413 before reading
# it): the largest upload and the rest of its form. A view may set a smaller bound of its own.
REQUEST_MAX_BYTES = HANDLING_MAX_BYTES + 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
# TLS in production (README "Production"): each opt-in, since each is wrong for a server not yet on HTTPS.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Behind a proxy that ends TLS: the header it sets to "https" (e.g. X-Forwarded-Proto), so that Django
# knows the request was secure (CSRF's origin check, SSL redirect, secure links). Only set it when the
# proxy always sets or overwrites that header.
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")

if DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "protokoll@localhost")
# Seconds per exchange with the mail server: a server that stops answering must not hold a worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# The organisation's seal on justerade PDFs (meetings.export.seal). In development the files come from
# "manage.py create_dev_certificate"; production must point at the real certificate.
_DEV_CERTS = BASE_DIR / "dev-certificates"
SEAL_KEY_FILE = os.environ.get("SEAL_KEY_FILE", str(_DEV_CERTS / "seal-key.pem") if DEBUG else "")
SEAL_CERT_FILE = os.environ.get("SEAL_CERT_FILE", str(_DEV_CERTS / "seal-cert.pem") if DEBUG else "")
SEAL_KEY_PASSPHRASE = os.environ.get("SEAL_KEY_PASSPHRASE", "")
SEAL_LOCATION = os.environ.get("SEAL_LOCATION", "Sverige")
# Sealed PDFs print where to verify them: an address nobody can reach is evidence nobody can check.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured("SITE_URL must be set when DEBUG is off (e.g. https://protokoll.example.se).")
    SITE_URL = "http://127.0.0.1:8000"
# Shown on the public anslagstavla: "Exempel kommuns anslagstavla", and where appeals go.
MUNICIPALITY_NAME = os.environ.get("MUNICIPALITY_NAME", "")
APPEAL_COURT = os.environ.get("APPEAL_COURT", "")

# Log in and sign with the municipality's e-legitimation through its OpenID Connect provider
# (accounts.oidc). Nothing set: password login exactly as before.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_DISCOVERY_URL = os.environ.get(
    "OIDC_DISCOVERY_URL", f"{OIDC_ISSUER.rstrip('/')}/.well-known/openid-configuration" if OIDC_ISSUER else ""
)
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
# client_secret_basic (the OpenID Connect default) or client_secret_post
OIDC_TOKEN_AUTH_METHOD = os.environ.get("OIDC_TOKEN_AUTH_METHOD", "client_secret_basic")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile email")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGNING_ALG", "RS256")
# The claim that identifies a person (stored only as a keyed hash), and the claims for name and e-mail.
OIDC_IDENTITY_CLAIM = os.environ.get("OIDC_IDENTITY_CLAIM", "sub")
OIDC_NAME_CLAIM = os.environ.get("OIDC_NAME_CLAIM", "name")
OIDC_EMAIL_CLAIM = os.environ.get("OIDC_EMAIL_CLAIM", "email")
# The key of the hash of the identifying claim: keep it secret and never change it (links depend on it).
OIDC_SUBJECT_SALT = os.environ.get("OIDC_SUBJECT_SALT", "")
# Signing asks for a fresh authentication at one of these levels (acr), no older than this many seconds.
OIDC_SIGN_ACR_VALUES = os.environ.get("OIDC_SIGN_ACR_VALUES", "").replace(",", " ").split()
OIDC_SIGN_MAX_AGE = env_int("OIDC_SIGN_MAX_AGE", 300)
OIDC_PASSWORD_LOGIN = env_bool("OIDC_PASSWORD_LOGIN", True)
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "e-legitimation")
OIDC_CONTACT = os.environ.get("OIDC_CONTACT", "")
if OIDC_ISSUER:
    _missing = [n for n in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not os.environ.get(n)]
    if not OIDC_SUBJECT_SALT and not DEBUG:
        _missing.append("OIDC_SUBJECT_SALT")
    # Without a level any authentication, however weak, would carry a signature: fail closed.
    if not OIDC_SIGN_ACR_VALUES and not DEBUG:
        _missing.append("OIDC_SIGN_ACR_VALUES")
    if _missing:
        raise ImproperlyConfigured(f"OIDC_ISSUER is set, so {', '.join(_missing)} must be set too.")
    if OIDC_TOKEN_AUTH_METHOD not in ("client_secret_basic", "client_secret_post"):
        raise ImproperlyConfigured("OIDC_TOKEN_AUTH_METHOD must be client_secret_basic or client_secret_post.")
elif not OIDC_PASSWORD_LOGIN:
    raise ImproperlyConfigured("OIDC_PASSWORD_LOGIN=0 needs OIDC_ISSUER: nobody could log in.")
# mozilla-django-oidc: nonce and PKCE on every login, no tokens kept in the session.
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_STORE_ID_TOKEN = False
OIDC_STORE_ACCESS_TOKEN = False
# Background tasks (django-tasks, the API of django.tasks). With nothing configured they run at once in
# the process that queues them, so "dev.py serve" needs nothing else; production sets
# TASKS_BACKEND=database and runs "manage.py db_worker" next to gunicorn (README).
TASK_QUEUES = ["default", "documents"]
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_task_backend = os.environ.get("TASKS_BACKEND", "immediate")
# A misspelt name would fail only when a task is queued, in an on_commit hook that just logs: refuse
# it here (a dotted path is checked for import by meetings.apps).
if _task_backend not in _TASK_BACKENDS and "." not in _task_backend:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be immediate, database or a backend's dotted path, not {_task_backend!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(_task_backend, _task_backend), "QUEUES": TASK_QUEUES}}

# Seconds to wait before each new attempt to deliver an e-mail (meetings.services.mail).
MAIL_RETRY_DELAYS = [60, 300, 1800, 7200]


def _cache(url: str) -> dict:
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "protokoll"}
    if url in {"", "locmem://"}:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "protokoll"}
    raise ImproperlyConfigured(f"CACHE_URL must be locmem:// or redis://…, not {url!r}")


# The public pages' cache. Entries are keyed by a publication generation kept in the database
# (meetings.publication), so no server serves a page that another server's posting has outdated for
# longer than PUBLICATION_CACHE_SECONDS with the local-memory default, and not at all with Redis.
CACHES = {"default": _cache(os.environ.get("CACHE_URL", ""))}
# How long a server may keep the publication generation in its cache (meetings.publication).
PUBLICATION_CACHE_SECONDS = 2

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
