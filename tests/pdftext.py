"""The text of each page of a PDF the application made (pypdf), for tests that read PDFs."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text, in order, with runs of spaces and line breaks made one space."""
    reader = PdfReader(io.BytesIO(content))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]
