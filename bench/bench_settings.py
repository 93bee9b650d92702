"""Settings for bench_load.py's gunicorn and worker: the production settings (DEBUG off, PostgreSQL,
database task backend from the environment), with static files collected into a temporary folder
that also holds the reference file of the benchmark."""

import os
from pathlib import Path

from protokoll.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
