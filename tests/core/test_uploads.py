"""What may be uploaded is decided from the content: type by magic bytes and ZIP parts, the name must
agree, a size limit, and a search for personnummer in the text (meetings.uploads)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings import models as m
from meetings import uploads
from meetings.demo import text_pdf
from tests.helpers import PERSONNUMMER

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def office(kind: str, text: str = "Hej", macros: bool = False) -> bytes:
    """A minimal DOCX or XLSX: enough parts to be recognised, with ``text`` in it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if kind == "docx":
            # Word may split a personnummer over runs; the search must join them.
            first, second = text[: len(text) // 2], text[len(text) // 2 :]
            body = f"<w:document><w:body><w:p><w:r><w:t>{first}</w:t></w:r><w:r><w:t>{second}</w:t></w:r></w:p>"
            archive.writestr("word/document.xml", body + "</w:body></w:document>")
            if macros:
                archive.writestr("word/vbaProject.bin", b"\x00")
        else:
            archive.writestr("xl/workbook.xml", "<workbook/>")
            archive.writestr("xl/sharedStrings.xml", f"<sst><si><t>{text}</t></si></sst>")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("beslut.pdf", text_pdf(["Beslut"]), "application/pdf"),
        ("karta.png", PNG, "image/png"),
        ("foto.JPG", JPEG, "image/jpeg"),
        ("foto.jpeg", JPEG, "image/jpeg"),
        ("skrivelse.docx", office("docx"), uploads.DOCX.mime_type),
        ("budget.xlsx", office("xlsx"), uploads.XLSX.mime_type),
    ],
)
def test_accepted_types_are_recognised_from_their_content(name, data, mime):
    checked = uploads.check_upload(upload(name, data))
    assert checked.file_type.mime_type == mime
    assert checked.size == len(data)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        # A page of HTML (or a script) named as a PDF: the content decides, and it is no PDF.
        ("tjansteskrivelse.pdf", b"<html><script>alert(1)</script></html>", "inte en filtyp som tas emot"),
        ("karta.png", b"GIF89a" + b"\x00" * 20, "inte en filtyp som tas emot"),
        ("arkiv.docx", b"PK\x03\x04" + b"\x00" * 40, "inte en filtyp som tas emot"),
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 40, "inte en filtyp som tas emot"),
        # A real PDF with another type's name: refused, so it is never served as that type.
        ("bild.png", text_pdf(["x"]), "men innehållet är PDF"),
        ("skrivelse.docx", office("xlsx"), "men innehållet är Excel"),
        ("makro.docx", office("docx", macros=True), "makron"),
        ("tom.pdf", b"", "tom"),
    ],
)
def test_a_file_that_lies_about_its_type_is_refused(name, data, message):
    with pytest.raises(uploads.UploadRefused, match=message):
        uploads.check_upload(upload(name, data))


def test_an_oversize_file_is_refused(settings):
    settings.HANDLING_MAX_BYTES = 1024 * 1024
    with pytest.raises(uploads.UploadRefused, match="högst 1 MB"):
        uploads.check_upload(upload("stor.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024)))


def test_a_name_without_extension_gets_the_contents():
    assert uploads.check_upload(upload("Tjänsteskrivelse", text_pdf(["x"]))).file_name == "Tjänsteskrivelse.pdf"


def test_the_uploaded_name_loses_any_path_and_control_characters():
    assert uploads.clean_file_name("../../etc/pass\x00wd.pdf") == "passwd.pdf"
    assert uploads.clean_file_name("C:\\Users\\eva\\Beslut 2026.pdf") == "Beslut 2026.pdf"
    assert len(uploads.clean_file_name("a" * 400 + ".pdf")) == 200


@pytest.mark.parametrize(
    ("data", "kind", "expected"),
    [
        (text_pdf(["Sökanden", f"{PERSONNUMMER} ansöker om bidrag."]), uploads.PDF, m.PersonnummerScan.FOUND),
        (
            text_pdf(["Mötet 2021-11-22, Dnr KS 2021/868", "Belopp 12 400 000 kr"]),
            uploads.PDF,
            m.PersonnummerScan.NONE_FOUND,
        ),
        (office("docx", f"Sökande: {PERSONNUMMER}"), uploads.DOCX, m.PersonnummerScan.FOUND),
        (office("xlsx", "850412-1234"), uploads.XLSX, m.PersonnummerScan.FOUND),
        (office("docx", "Inga personuppgifter"), uploads.DOCX, m.PersonnummerScan.NONE_FOUND),
        (PNG, uploads.PNG, m.PersonnummerScan.NO_TEXT),
        # No text layer (a scanned page): it cannot be searched, and says so.
        (text_pdf([]), uploads.PDF, m.PersonnummerScan.UNREADABLE),
        (b"%PDF-1.4\nnot really a pdf", uploads.PDF, m.PersonnummerScan.UNREADABLE),
    ],
)
def test_personnummer_are_found_in_the_text(data, kind, expected):
    assert uploads.scan_personnummer(io.BytesIO(data), kind) == expected
