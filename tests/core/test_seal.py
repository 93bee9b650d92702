"""The organisation seal (PAdES via pyHanko) validates, and one changed byte breaks it."""

import pytest
from weasyprint import HTML

from meetings.export.seal import check_seal, seal_pdf


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return HTML(
        string="<html lang='sv'><body><h1>Protokoll</h1><p>Beslut att anta budgeten.</p></body></html>"
    ).write_pdf(pdf_variant="pdf/a-3b")


def test_sealed_pdf_validates_with_pyhankos_validator(pdf):
    status = check_seal(seal_pdf(pdf))
    assert status.sealed and status.intact and status.trusted and status.valid
    assert "Protokoll utvecklingssigill" in status.signer


def test_unsealed_pdf_is_not_valid(pdf):
    status = check_seal(pdf)
    assert not status.sealed and not status.valid


def test_a_pdf_changed_by_one_byte_fails(pdf):
    sealed = bytearray(seal_pdf(pdf))
    # A byte inside the signed content (the first page's text stream lies early in the file).
    position = len(pdf) // 2
    sealed[position] = (sealed[position] + 1) % 256
    assert not check_seal(bytes(sealed)).valid


def test_an_appended_update_is_detected(pdf):
    sealed = seal_pdf(pdf)
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(sealed))
    writer.root["/Lang"] = writer.root.get("/Lang")  # a harmless-looking later revision
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    assert not check_seal(out.getvalue()).valid


def test_garbage_is_not_a_valid_pdf():
    assert not check_seal(b"not a pdf at all").valid
