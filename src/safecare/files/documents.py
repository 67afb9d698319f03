"""Documents the service shares with carers (PH-1): accepted as PDF, an image, or an office
document converted to PDF by LibreOffice where it is installed; shown to carers page by page as
images carrying the reader's name and the time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.conf import settings
from PIL import Image, ImageDraw

from .images import Refused, clean_image
from .models import DocumentSource


@dataclass(frozen=True)
class PreparedDocument:
    data: bytes  # a PDF, or a cleaned image
    content_type: str
    source: str  # DocumentSource
    page_count: int
    original: bytes | None = None  # the office document converted, kept for staff
    original_type: str = ""


def prepare_document(data: bytes, filename: str) -> PreparedDocument:
    if len(data) > settings.SAFECARE_UPLOAD_MAX_BYTES:
        raise Refused("The file is too big")
    if data.startswith(b"%PDF-"):
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise Refused("The PDF cannot be read: it may be damaged or password protected") from error
        pages = len(pdf)
        pdf.close()
        return PreparedDocument(data, "application/pdf", DocumentSource.PDF, pages)
    image = clean_image(data)
    return PreparedDocument(image.data, image.content_type, DocumentSource.IMAGE, 1)


def render_page(data: bytes, content_type: str, page: int, *, watermark: str) -> bytes:
    """One page as a PNG, with `watermark` (the reader's name and the time) drawn faintly across it."""
    if content_type == "application/pdf":
        pdf = pdfium.PdfDocument(data)
        try:
            image = pdf[page - 1].render(scale=1.5).to_pil().convert("RGB")
        finally:
            pdf.close()
    else:
        image = Image.open(io.BytesIO(data)).convert("RGB")
    draw = ImageDraw.Draw(image, "RGBA")
    step = max(120, image.height // 8)
    for y in range(step // 2, image.height, step):
        draw.text((20, y), watermark, fill=(0, 0, 0, 60))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
