"""Documents the service shares with carers (PH-1), checked before anything keeps them (PH-4).

What is accepted is decided by the content, never the name (decision 0044):

- a PDF, opened by PDFium: not password protected or encrypted, no files or scripts inside,
  nothing after its end (a PDF with a zip behind it is two files at once), at most
  SAFECARE_DOCUMENT_MAX_PAGES pages;
- a word-processing document (Word .docx or .doc, OpenDocument .odt, RTF), converted to PDF
  by LibreOffice where it is installed (SAFECARE_SOFFICE), then checked as any PDF. The
  conversion runs isolated: its own empty profile and working folder (removed afterwards), no
  environment but PATH, HOME and LANG, limits on memory, processor time and file size, and a
  time limit (SAFECARE_CONVERT_SECONDS) after which the whole process group is killed.
  Without LibreOffice, or when the conversion fails, the document is refused with what to do;
- a photo or scan (JPEG, PNG, HEIC, WebP), cleaned by images.clean_image.

Carers see a document page by page as images (`render_page`), each carrying the reader's name
and the time, never as a file.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from . import images
from .images import Refused, clean_image
from .models import DocumentSource

PDF = "application/pdf"
# The widest a page is drawn, in pixels: sharp on a desktop, and a phone scales it down.
PAGE_WIDTH = 1200
PAGE_MAX_HEIGHT = 4000
INK = (60, 60, 60, 60)  # the watermark's grey, faint
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

OFFICE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "doc": "application/msword",
    "rtf": "application/rtf",
}
SPREADSHEET_OR_SLIDES = (
    "xl/",
    "ppt/",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
)
# An office document's parts, unpacked, may come to no more than this, in so many parts.
ZIP_MAX_BYTES = 200 * 1024 * 1024
ZIP_MAX_PARTS = 2000
# The converter's limits besides its time.
CONVERT_MEMORY_BYTES = 2 * 1024 * 1024 * 1024
CONVERT_FILE_BYTES = 200 * 1024 * 1024

ACCEPTED_TEXT = (
    "The document must be a PDF, a Word or OpenDocument text document, or a photo (JPEG, PNG, HEIC or WebP)"
)
CANNOT_CONVERT = "Word and other office documents can't be converted here: save it as a PDF and upload that"
# What a name's ending claims, for the check that name and content agree.
CLAIMS = {
    ".pdf": "pdf",
    ".docx": "office",
    ".doc": "office",
    ".odt": "office",
    ".rtf": "office",
    ".xlsx": "office",
    ".xls": "office",
    ".ods": "office",
    ".pptx": "office",
    ".ppt": "office",
    ".odp": "office",
}
CLAIM_NAMES = {"pdf": "a PDF", "office": "an office document", "image": "a photo"}


@dataclass(frozen=True)
class PreparedDocument:
    data: bytes  # a PDF, or a cleaned image
    content_type: str
    source: str  # DocumentSource
    page_count: int
    original: bytes | None = None  # the office document converted, kept for staff
    original_type: str = ""


class NoSuchPage(LookupError):
    """The document has no page of that number."""


# What the document is -----------------------------------------------------------------------------


def office_kind(data: bytes) -> str:
    """ "docx", "odt", "doc" or "rtf" from the content; "sheet" for a spreadsheet or slides;
    "" when it is no office document."""
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if not data.startswith(b"PK\x03\x04"):
        return ""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            if len(parts) > ZIP_MAX_PARTS or sum(part.file_size for part in parts) > ZIP_MAX_BYTES:
                raise Refused("The document is too large once opened: save it as a PDF and upload that")
            names = {part.filename for part in parts}
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype == OFFICE_TYPES["odt"]:
                    return "odt"
                if mimetype in SPREADSHEET_OR_SLIDES:
                    return "sheet"
                return ""
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return "docx"
                if any(name.startswith(SPREADSHEET_OR_SLIDES[:2]) for name in names):
                    return "sheet"
    except (zipfile.BadZipFile, KeyError, ValueError, RuntimeError) as error:
        raise Refused("The document is damaged: save it again and upload that") from error
    return ""


def _check_name(data: bytes, filename: str, found: str) -> None:
    claimed = CLAIMS.get(os.path.splitext(filename.strip())[1].lower(), "")
    if not claimed:
        claimed = "image" if images.declared_kind(filename=filename) in images.ACCEPTED else ""
    if claimed and claimed != found:
        raise Refused(
            f"The file says it is {CLAIM_NAMES[claimed]} but it is {CLAIM_NAMES[found]}. "
            "Check you chose the right file"
        )


def prepare_document(data: bytes, filename: str) -> PreparedDocument:
    """The document ready to keep: a checked PDF (converted if need be) or a cleaned image."""
    if not data:
        raise Refused("The file is empty: choose the document again")
    if len(data) > settings.SAFECARE_UPLOAD_MAX_BYTES:
        limit = settings.SAFECARE_UPLOAD_MAX_BYTES / (1024 * 1024)
        raise Refused(f"The document is too large: it must be smaller than {limit:g} MB")
    if data.startswith(b"%PDF-"):
        _check_name(data, filename, "pdf")
        return PreparedDocument(data, PDF, DocumentSource.PDF, check_pdf(data))
    kind = office_kind(data)
    if kind == "sheet":
        raise Refused("Spreadsheets and presentations can't be shared here: save it as a PDF and upload that")
    if kind:
        _check_name(data, filename, "office")
        pdf = convert_to_pdf(data, kind)
        return PreparedDocument(
            pdf,
            PDF,
            DocumentSource.CONVERTED,
            check_pdf(pdf),
            original=data,
            original_type=OFFICE_TYPES[kind],
        )
    if images.sniff(data) in images.ACCEPTED:
        _check_name(data, filename, "image")
        image = clean_image(data)
        return PreparedDocument(image.data, image.content_type, DocumentSource.IMAGE, 1)
    if images.declared_kind(filename=filename) in images.ACCEPTED:
        clean_image(data, filename=filename)  # refuses, saying what the file really is
    raise Refused(ACCEPTED_TEXT)


# PDF ---------------------------------------------------------------------------------------------


def check_pdf(data: bytes) -> int:
    """The number of pages of a PDF fit to share, or Refused."""
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise Refused("The PDF is incomplete or damaged: save it again and upload that")
    if data[end + 5 :].strip(b"\r\n\t \x00\x0c"):
        raise Refused(
            "The PDF has something else attached after its end: "
            "save or print it again as a new PDF and upload that"
        )
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise Refused(
                "The PDF is protected by a password: save a copy without the password and upload that"
            ) from error
        raise Refused("The PDF cannot be read: it may be damaged. Save it again and upload that") from error
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            raise Refused(
                "The PDF is encrypted: save a copy without the password or restrictions and upload that"
            )
        if (
            pdfium_c.FPDFDoc_GetAttachmentCount(pdf.raw) > 0
            or pdfium_c.FPDFDoc_GetJavaScriptActionCount(pdf.raw) > 0
        ):
            raise Refused(
                "The PDF has files or scripts inside it: print it to a new PDF "
                "(choose 'Save as PDF') and upload that"
            )
        pages = len(pdf)
    finally:
        pdf.close()
    if pages < 1:
        raise Refused("The PDF has no pages")
    if pages > settings.SAFECARE_DOCUMENT_MAX_PAGES:
        raise Refused(
            f"The PDF has {pages} pages: it can have at most {settings.SAFECARE_DOCUMENT_MAX_PAGES}. "
            "Split it into parts and share each"
        )
    return pages


# Converting office documents -----------------------------------------------------------------------


def _limit_resources() -> None:  # pragma: no cover - runs in the child, before LibreOffice
    seconds = max(1, int(settings.SAFECARE_CONVERT_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (CONVERT_MEMORY_BYTES, CONVERT_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (CONVERT_FILE_BYTES, CONVERT_FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def convert_to_pdf(data: bytes, kind: str) -> bytes:
    """The office document as a PDF, by LibreOffice in isolation; Refused when it cannot be."""
    soffice = shutil.which(settings.SAFECARE_SOFFICE)
    if not soffice:
        raise Refused(CANNOT_CONVERT)
    with tempfile.TemporaryDirectory(prefix="safecare-convert-") as work:
        folder = Path(work)
        source = folder / f"document.{kind}"
        source.write_bytes(data)
        out = folder / "out"
        out.mkdir()
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ]
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(folder),
            "LANG": "C.UTF-8",
        }
        process = subprocess.Popen(  # noqa: S603 - a fixed command; the file is ours, by path
            command,
            cwd=folder,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, killed whole on time out
            preexec_fn=_limit_resources,  # setrlimit only
        )
        try:
            process.wait(timeout=settings.SAFECARE_CONVERT_SECONDS)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise Refused(CANNOT_CONVERT) from None
        finally:
            _kill_group(process)  # anything it left running
        result = out / "document.pdf"
        if process.returncode != 0 or not result.is_file():
            raise Refused(CANNOT_CONVERT)
        return result.read_bytes()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


# Pages for reading ----------------------------------------------------------------------------------


def render_page(data: bytes, content_type: str, page: int, *, watermark: str) -> bytes:
    """One page as a PNG at most PAGE_WIDTH wide, with `watermark` (the reader's name and the
    time) drawn faintly across it in diagonal rows. NoSuchPage for a page it does not have."""
    if content_type == PDF:
        image = _pdf_page(data, page)
    else:
        if page != 1:
            raise NoSuchPage(page)
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as opened:
            opened.load()
            image = _on_white(opened)
        image.thumbnail((PAGE_WIDTH, PAGE_MAX_HEIGHT), Image.Resampling.LANCZOS)
    image = _watermarked(image, watermark)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _pdf_page(data: bytes, number: int) -> Image.Image:
    pdf = pdfium.PdfDocument(data)
    try:
        if not 1 <= number <= len(pdf):
            raise NoSuchPage(number)
        page = pdf[number - 1]
        width, height = page.get_size()
        scale = min(PAGE_WIDTH / max(width, 1), PAGE_MAX_HEIGHT / max(height, 1), 4.0)
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), may_draw_forms=True)
        pil: Image.Image = bitmap.to_pil()
        return pil.convert("RGB")
    finally:
        pdf.close()


def _on_white(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default(size)


def _watermarked(image: Image.Image, text: str) -> Image.Image:
    """Rows of the text across the page at 30 degrees, grey and faint: readable, never in the way.

    The text is drawn and turned once, then stamped in staggered rows (turning the whole page's
    layer would take a second a page)."""
    if not text.strip():
        return image
    width, height = image.size
    font = _font(max(14, width // 45))
    left, top, right, bottom = ImageDraw.Draw(image).textbbox((0, 0), text, font=font)
    text_width, text_height = int(right - left) + 2, int(bottom - top) + 2
    stamp = Image.new("L", (text_width, text_height), 0)  # where the text is, as a mask
    ImageDraw.Draw(stamp).text((-left + 1, -top + 1), text, font=font, fill=255)
    stamp = stamp.rotate(30, resample=Image.Resampling.BICUBIC, expand=True)
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    step_x = stamp.width + text_height * 2
    step_y = text_height * 6
    for row, y in enumerate(range(-stamp.height, height + stamp.height, step_y)):
        shift = (row * stamp.width // 3) % step_x
        for x in range(-step_x + shift, width, step_x):
            layer.paste(INK, (x, y, x + stamp.width, y + stamp.height), stamp)
    return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")
