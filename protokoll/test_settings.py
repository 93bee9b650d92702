"""Settings for the test suite: the normal settings with a test-only secret and a fast hasher."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SITE_URL", "https://protokoll.example.se")

from protokoll.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# A throwaway seal certificate, created once per machine by tests/conftest.py.
_SEAL_DIR = Path(tempfile.gettempdir()) / "protokoll-test-seal"
SEAL_KEY_FILE = str(_SEAL_DIR / "seal-key.pem")
SEAL_CERT_FILE = str(_SEAL_DIR / "seal-cert.pem")
# Stored PDFs of a test run go to a fresh temporary folder, never into the project; a worker process
# started by a test is pointed at the test's folder.
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="protokoll-test-media-"))
