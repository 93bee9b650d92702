"""A justerat protokoll's PDFs are rendered once and then served from storage; drafts never are."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from meetings import models as m
from meetings.export import blocks, pdf, render, store
from meetings.export.document import load_meeting
from tests import factories as f


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def justerat(meeting):
    p = f.paragraph(meeting, title="Ärende", summary="Text.")
    m.DecisionClause.objects.create(paragraph=p, position=1, text="att godkänna.")
    # A queryset update skips the content lock that the workflow would otherwise respect.
    m.Meeting.objects.filter(pk=meeting.pk).update(status=m.MeetingStatus.JUSTERAT)
    return load_meeting(meeting.pk)


def _stored(meeting) -> list[str]:
    directory = f"{store.STORAGE_PREFIX}/{meeting.pk}"
    return default_storage.listdir(directory)[1] if default_storage.exists(directory) else []


def _refuse_render(*args, **kwargs):
    raise AssertionError("rendered although a stored PDF exists")


def test_it_renders_once_then_serves_the_stored_file(justerat, monkeypatch):
    first = store.render_pdf_cached(justerat)
    assert len(_stored(justerat)) == 1
    monkeypatch.setattr(store, "render_pdf", _refuse_render)
    assert store.render_pdf_cached(justerat) == first
    assert pdf.export_pdf(justerat).content == first


def test_kind_and_paragraphs_get_their_own_files(justerat):
    store.render_pdf_cached(justerat)
    store.render_pdf_cached(justerat, [1])
    assert len(_stored(justerat)) == 2


def test_the_key_follows_the_content(justerat):
    before = store.storage_name(justerat)
    assert store.storage_name(justerat) == before
    m.Paragraph.objects.filter(meeting=justerat).update(summary="Rättad text.")
    assert store.storage_name(justerat) != before
    assert store.storage_name(justerat, [1]) != store.storage_name(justerat)


def test_the_key_follows_the_template_version(justerat, monkeypatch):
    before = store.storage_name(justerat)
    monkeypatch.setattr(store, "TEMPLATE_VERSION", "test")
    assert store.storage_name(justerat) != before


def test_filled_in_signatures_get_their_own_file(justerat):
    doc = render.build_export_document(justerat)
    signed = blocks.default_signatures(doc)
    signed[1].signers[0].signed = "Signerat 2026-03-12 kl. 10.00"
    assert store.storage_name(justerat, signatures=signed) != store.storage_name(justerat)


def test_drafts_are_rendered_fresh_and_not_stored(meeting):
    f.paragraph(meeting, title="Ärende")
    pdf.export_pdf(load_meeting(meeting.pk))
    assert _stored(meeting) == []


def test_an_unknown_paragraph_is_refused_before_anything_is_stored(justerat):
    with pytest.raises(render.UnknownParagraphError):
        store.render_pdf_cached(justerat, [42])
    assert _stored(justerat) == []
