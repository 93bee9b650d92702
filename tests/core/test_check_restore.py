"""``manage.py check_restore``: after a restore, the row counts, and every issued sealed PDF found in
storage with its recorded SHA-256 and a valid seal; a missing or changed file is an error."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from meetings import models as m
from meetings.services import documents


def _run() -> str:
    out = io.StringIO()
    call_command("check_restore", stdout=out)
    return out.getvalue()


@pytest.fixture
def issued(justerat):
    documents.render_justerat_documents(justerat.pk)
    return list(m.IssuedPdf.objects.all())


def test_it_counts_rows_and_checks_every_issued_pdf(issued):
    output = _run()
    assert "meetings_meeting 1" in output.splitlines()
    assert f"utfärdade PDF:er kontrollerade: {len(issued)}, fel: 0" in output


def test_a_changed_file_is_an_error(issued):
    name = issued[0].storage_name
    data = default_storage.open(name).read()
    default_storage.delete(name)
    default_storage.save(name, ContentFile(data + b"\n%tampered"))
    with pytest.raises(CommandError, match="SHA-256 stämmer inte"):
        _run()


def test_a_missing_file_is_an_error(issued):
    default_storage.delete(issued[0].storage_name)
    with pytest.raises(CommandError, match="saknas i lagringen"):
        _run()
