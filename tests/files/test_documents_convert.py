"""PH-1 and PH-4: a document is what its content says. PDFs are checked (password, scripts,
files inside, anything after the end, the page limit); word-processing documents are converted
by LibreOffice in isolation, within a time limit, or refused with what to do; pages are drawn
for reading with the reader's name and the time across them.

Real conversions take seconds each: two here (RTF and a hand-made .docx), the rest use a
stand-in converter script.
"""

from __future__ import annotations

import io
import shutil
import stat
import time
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from safecare.files import documents
from safecare.files.documents import NoSuchPage, prepare_document, render_page
from safecare.files.images import Refused
from safecare.files.models import DocumentSource

from .test_images import encode, exif_with, jpeg, picture

CANNOT_CONVERT = "Word and other office documents can't be converted here: save it as a PDF and upload that"
MARKER = "SAFECARE-CONVERTED-MARKER"
needs_libreoffice = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")


def pdf_of(pages: int = 1) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def pdf_by_hand(*objects: bytes, trailer: bytes = b"") -> bytes:
    """A PDF written out object by object (PDFium rebuilds the cross-reference table)."""
    out = b"%PDF-1.4\n"
    for number, body in enumerate(objects, 1):
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    return out + b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer + b">>\n%%EOF\n"


PAGES = (
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
)


def docx(text: str) -> bytes:
    """The smallest Word document: three parts, zipped."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def text_of(pdf_data: bytes) -> str:
    pdf = pdfium.PdfDocument(pdf_data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def converter(tmp_path: Path, body: str) -> str:
    """A stand-in for LibreOffice: a shell script."""
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def living_in_group(group: int) -> list[int]:
    """The processes of a process group still running (not zombies waiting to be reaped)."""
    living = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            living.append(int(stat_file.parent.name))
    return living


# Converting ------------------------------------------------------------------------------------


@needs_libreoffice
@pytest.mark.parametrize(
    ("data", "filename", "original_type"),
    [
        (b"{\\rtf1\\ansi Placement plan: " + MARKER.encode() + b"\\par}", "plan.rtf", "application/rtf"),
        (
            docx(f"Placement plan: {MARKER}"),
            "plan.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_ph1_a_word_document_is_converted_to_a_pdf_and_its_original_kept(
    settings, data, filename, original_type
) -> None:
    settings.SAFECARE_SOFFICE = "soffice"

    prepared = prepare_document(data, filename)

    assert prepared.source == DocumentSource.CONVERTED
    assert prepared.content_type == "application/pdf"
    assert prepared.data.startswith(b"%PDF-")
    assert prepared.page_count == 1
    assert MARKER in text_of(prepared.data)
    assert (prepared.original, prepared.original_type) == (data, original_type)


def test_ph1_without_libreoffice_an_office_document_is_refused_with_what_to_do(settings) -> None:
    settings.SAFECARE_SOFFICE = "safecare-no-such-converter"

    with pytest.raises(Refused, match=CANNOT_CONVERT):
        prepare_document(b"{\\rtf1 hello}", "letter.rtf")


def test_ph4_a_conversion_past_its_time_is_killed_and_refused(settings, tmp_path) -> None:
    pid_file = tmp_path / "pid"
    settings.SAFECARE_SOFFICE = converter(tmp_path, f"echo $$ > {pid_file}\nsleep 30 & wait")
    settings.SAFECARE_CONVERT_SECONDS = 1
    started = time.monotonic()

    with pytest.raises(Refused, match=CANNOT_CONVERT):
        prepare_document(docx("slow"), "slow.docx")

    assert time.monotonic() - started < 10
    assert living_in_group(int(pid_file.read_text())) == []  # the converter and its children


def test_ph4_the_converter_runs_isolated_and_limited(settings, tmp_path, monkeypatch) -> None:
    seen = tmp_path / "seen"
    settings.SAFECARE_SOFFICE = converter(
        tmp_path,
        f'env > {seen}.env\necho "$@" > {seen}.args\npwd > {seen}.pwd\n'
        f"ulimit -v > {seen}.memory\nulimit -t > {seen}.cpu\nulimit -f > {seen}.fsize\nexit 1",
    )
    monkeypatch.setenv("SAFECARE_MASTER_KEY", "must-not-leak")

    with pytest.raises(Refused, match=CANNOT_CONVERT):  # it made no PDF
        prepare_document(b"{\\rtf1 hello}", "letter.rtf")

    names = {line.split("=", 1)[0] for line in Path(f"{seen}.env").read_text().splitlines()}
    assert names <= {"PATH", "HOME", "LANG", "PWD", "SHLVL", "_", "OLDPWD"}
    arguments = Path(f"{seen}.args").read_text().split()
    assert {"--headless", "--norestore", "--convert-to", "pdf"} <= set(arguments)
    work = Path(Path(f"{seen}.pwd").read_text().strip())
    assert f"-env:UserInstallation={(work / 'profile').as_uri()}" in arguments
    assert not work.exists()  # the working folder and profile are removed afterwards
    assert int(Path(f"{seen}.memory").read_text()) == documents.CONVERT_MEMORY_BYTES // 1024
    assert Path(f"{seen}.cpu").read_text().strip() == str(settings.SAFECARE_CONVERT_SECONDS)
    assert int(Path(f"{seen}.fsize").read_text()) * 512 == documents.CONVERT_FILE_BYTES


def test_ph4_a_converted_pdf_is_checked_like_any_other(settings, tmp_path) -> None:
    # The stand-in "converts" to a PDF carrying a zip after its end.
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(pdf_of() + b"PK\x05\x06" + b"\x00" * 18)
    settings.SAFECARE_SOFFICE = converter(
        tmp_path, f'for last; do :; done\ncp {bad} "$(dirname "$last")/out/document.pdf"'
    )

    with pytest.raises(Refused, match="something else attached after its end"):
        prepare_document(b"{\\rtf1 hello}", "letter.rtf")


def test_ph1_spreadsheets_are_refused_with_what_to_do() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")

    with pytest.raises(Refused, match="save it as a PDF and upload that"):
        prepare_document(out.getvalue(), "budget.xlsx")


# PDFs -------------------------------------------------------------------------------------------


def test_ph1_a_pdf_is_kept_as_it_is_with_its_pages_counted() -> None:
    data = pdf_of(3)

    prepared = prepare_document(data, "Care plan.pdf")

    assert (prepared.data, prepared.content_type, prepared.source, prepared.page_count) == (
        data,
        "application/pdf",
        DocumentSource.PDF,
        3,
    )
    assert prepared.original is None


def test_ph4_a_pdf_over_the_page_limit_is_refused(settings) -> None:
    settings.SAFECARE_DOCUMENT_MAX_PAGES = 2

    with pytest.raises(Refused, match="The PDF has 3 pages: it can have at most 2"):
        prepare_document(pdf_of(3), "long.pdf")


def test_ph4_a_password_protected_pdf_is_refused() -> None:
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"
    identity = b"<0123456789abcdef0123456789abcdef>"
    data = pdf_by_hand(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        *PAGES,
        encrypt,
        trailer=b"/Encrypt 4 0 R /ID [" + identity + identity + b"] ",
    )

    with pytest.raises(Refused, match="The PDF is protected by a password"):
        prepare_document(data, "secret.pdf")


def test_ph4_a_pdf_with_a_script_inside_is_refused() -> None:
    data = pdf_by_hand(
        b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>",
        *PAGES,
        b"<< /Names [(run) 5 0 R] >>",
        b"<< /S /JavaScript /JS (app.alert(1);) >>",
    )

    with pytest.raises(Refused, match="The PDF has files or scripts inside it"):
        prepare_document(data, "form.pdf")


def test_ph4_a_pdf_with_a_zip_after_its_end_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.html", "<script>alert(1)</script>")

    with pytest.raises(Refused, match="The PDF has something else attached after its end"):
        prepare_document(pdf_of() + out.getvalue(), "letter.pdf")


def test_ph4_a_damaged_pdf_is_refused() -> None:
    with pytest.raises(Refused, match="The PDF is incomplete or damaged"):
        prepare_document(pdf_of()[:200], "letter.pdf")


def test_ph4_a_name_that_disagrees_with_the_content_is_refused() -> None:
    with pytest.raises(Refused, match="The file says it is a PDF but it is an office document"):
        prepare_document(docx("x"), "letter.pdf")
    with pytest.raises(Refused, match="The file says it is a photo but it is a PDF"):
        prepare_document(pdf_of(), "scan.jpg")
    with pytest.raises(Refused, match="The file says it is a JPEG photo but it is not"):
        prepare_document(b"#!/bin/sh\nrm -rf /\n", "scan.jpg")


def test_ph4_other_files_are_refused() -> None:
    for data in (b"plain words", b"<html><script>alert(1)</script></html>", encode(picture(mode="P"), "GIF")):
        with pytest.raises(Refused, match="The document must be a PDF, a Word or OpenDocument"):
            prepare_document(data, "something")
    with pytest.raises(Refused, match="The file is empty"):
        prepare_document(b"", "empty.pdf")


def test_ph4_a_photo_of_a_letter_is_cleaned_like_any_photo() -> None:
    data = encode(picture(), "JPEG", exif=exif_with())

    prepared = prepare_document(data, "letter.jpg")

    assert (prepared.source, prepared.content_type, prepared.page_count) == (
        DocumentSource.IMAGE,
        "image/jpeg",
        1,
    )
    assert b"GPS" not in prepared.data


# Pages for reading -------------------------------------------------------------------------------


def test_ph1_a_page_is_a_png_no_wider_than_a_desktop_with_the_reader_on_it() -> None:
    plain = Image.open(io.BytesIO(render_page(pdf_of(2), "application/pdf", 2, watermark="")))
    marked = Image.open(
        io.BytesIO(render_page(pdf_of(2), "application/pdf", 2, watermark="Carol Patel 2 Dec 2026 14:05"))
    )

    assert plain.format == marked.format == "PNG"
    assert marked.width == 1200
    assert abs(marked.height - 1698) <= 2  # A4 at 1200 pixels wide
    assert plain.convert("L").getextrema() == (255, 255)  # a blank page
    low, high = marked.convert("L").getextrema()
    assert high == 255 and 150 < low < 255  # the name is there, faint


def test_ph1_a_page_that_does_not_exist_is_no_such_page() -> None:
    for page in (0, 3):
        with pytest.raises(NoSuchPage):
            render_page(pdf_of(2), "application/pdf", page, watermark="x")
    with pytest.raises(NoSuchPage):
        render_page(jpeg(), "image/jpeg", 2, watermark="x")


def test_ph1_an_image_document_is_drawn_at_most_1200_wide() -> None:
    page = Image.open(io.BytesIO(render_page(jpeg((2400, 1600)), "image/jpeg", 1, watermark="Carol Patel")))

    assert page.format == "PNG"
    assert page.size == (1200, 800)
