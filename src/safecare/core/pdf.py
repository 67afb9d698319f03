"""PDF from the same templates as the pages (WeasyPrint), with no network fetches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class StaticFilesOnly(URLFetcher):  # type: ignore[misc]
    """Fetch only the app's own static files.

    Printed forms hold case text typed by people; refusing every other URL means
    a crafted value can never make the server fetch anything (SSRF) or read a
    file outside the static folders.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"}, fail_on_errors=False)

    def fetch(self, url: str, headers: Any = None) -> Any:
        prefix = "file://" + settings.STATIC_URL
        if url.startswith(prefix):
            found = finders.find(url.removeprefix(prefix).split("?")[0])
            if isinstance(found, str):
                return super().fetch(Path(found).resolve().as_uri(), headers)
        raise ValueError(f"PDF rendering does not fetch {url!r}")


def render_pdf(template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    html = render_to_string(template_name, context, request=request)
    return bytes(HTML(string=html, url_fetcher=StaticFilesOnly(), base_url="file:///").write_pdf())


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
