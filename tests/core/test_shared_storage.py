"""Several app servers, one database, one storage: files stored by one process are served by the
others. Against a real S3-compatible server (moto's standalone server, started here) and a real
worker process (``manage.py db_worker`` on PostgreSQL, started here)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from meetings import models as m
from meetings.services import anslag as anslag_service
from meetings.services import documents
from tests.helpers import WORKER_TASKS, free_port, sign_all

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "protokoll-test"


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's standalone S3 server on a free port of 127.0.0.1, for this module."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def _s3_storage(endpoint: str) -> dict:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": endpoint,
            "region_name": "eu-north-1",
            "access_key": "test",
            "secret_key": "test",
            "location": "protokoll",
            "default_acl": None,
            "file_overwrite": False,
        },
    }


@pytest.fixture
def s3(settings, s3_endpoint):
    """The default storage is the S3 bucket (emptied for each test)."""
    import boto3

    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="eu-north-1", aws_access_key_id="test", aws_secret_access_key="x"
    )
    try:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    except client.exceptions.BucketAlreadyOwnedByYou:
        for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    settings.STORAGES = {**settings.STORAGES, "default": _s3_storage(s3_endpoint)}
    return client


def _server(name: str, endpoint: str):
    """The settings of one app server: its own local cache, its own storage client."""
    from django.conf import settings

    return override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}},
        STORAGES={**settings.STORAGES, "default": _s3_storage(endpoint)},
    )


def test_two_app_servers_serve_the_same_sealed_bytes_from_s3(s3, s3_endpoint, posted, media_root):
    documents.render_public_version(posted.pk)
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert any(k.startswith(f"protokoll/public-pdf/{posted.pk}/") for k in keys)
    assert any(k.startswith("protokoll/protokoll-pdf/") for k in keys)
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))  # nothing on this server's disk
    url = reverse("public_anslag_pdf", args=[posted.pk])
    with _server("a", s3_endpoint):
        from_a = Client().get(url)
    with _server("b", s3_endpoint):
        from_b = Client().get(url)
        page_b = Client().get(posted.get_absolute_url())
    assert from_a.status_code == from_b.status_code == 200
    assert from_a.content == from_b.content and from_a.content.startswith(b"%PDF")
    assert from_a["ETag"] == from_b["ETag"]
    posted.refresh_from_db()
    stored = s3.get_object(Bucket=BUCKET, Key=f"protokoll/{posted.public_pdf_name}")["Body"].read()
    assert stored == from_a.content
    assert m.IssuedPdf.objects.filter(variant="public", sha256__isnull=False).count() == 1
    assert 'id="paragraf-1"' in page_b.content.decode()
    # A bucket restored without the file: the next request renders it again instead of failing.
    s3.delete_object(Bucket=BUCKET, Key=f"protokoll/{posted.public_pdf_name}")
    with _server("c", s3_endpoint):
        assert Client().get(url, follow=True).content.startswith(b"%PDF")


def test_a_staff_pdf_stored_by_one_server_is_served_by_another(s3, s3_endpoint, justerat, alice):
    documents.render_justerat_documents(justerat.pk)
    url = reverse("protokoll_pdf", args=[justerat.meeting_id])
    responses = []
    for name in ("a", "b"):
        with _server(name, s3_endpoint):
            client = Client()
            client.force_login(alice)
            responses.append(client.get(url))
    assert [r.status_code for r in responses] == [200, 200]
    assert responses[0].content == responses[1].content


# ---------------------------------------------------------------------------------------------------
# A real worker process on PostgreSQL
# ---------------------------------------------------------------------------------------------------


@pytest.fixture
def worker(transactional_db, settings, media_root):
    """``manage.py db_worker`` in its own process, on this test's PostgreSQL database and media folder."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process shares the test database: PostgreSQL (set DATABASE_URL)")
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    settings.TASKS = WORKER_TASKS
    media_root.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "protokoll.test_settings",
        "DATABASE_URL": url,
        "TASKS_BACKEND": "database",
        "TEST_MEDIA_ROOT": str(media_root),
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield process
    process.terminate()
    process.wait(20)


def _wait_until(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError("the worker did not finish in time")


@pytest.mark.postgres
def test_a_worker_process_renders_what_justering_and_posting_queue(worker, justering, alice, client):
    sign_all(justering)  # autocommit: each signature's on_commit work is queued for real
    justering.refresh_from_db()
    assert justering.status == m.JusteringStatus.JUSTERAT
    _wait_until(lambda: m.IssuedPdf.objects.filter(variant="utdrag").count() == 2)
    assert m.IssuedPdf.objects.filter(variant="protokoll").count() == 1
    client.force_login(alice)
    response = client.get(reverse("protokoll_pdf", args=[justering.meeting_id]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    anslag = anslag_service.post_anslag(justering, alice, timezone.localdate())
    client.logout()
    _wait_until(lambda: m.Anslag.objects.get(pk=anslag.pk).public_version_stored)
    pdf = client.get(reverse("public_anslag_pdf", args=[anslag.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Every e-mail of the workflow went through the outbox and the worker.
    _wait_until(lambda: not m.OutgoingMail.objects.exclude(status=m.MailStatus.SENT).exists())
    assert m.OutgoingMail.objects.count() > 0
    assert worker.poll() is None, worker.stderr.read().decode()
