"""Serving a stored file: only through a view that has checked who asks (PH-1, PH-4).

Every answer is `Cache-Control: no-store` (nothing kept by the browser or a proxy), carries the
type Safecare gave the file (never one guessed from it; `nosniff`), and a sandboxing Content
Security Policy, so a file can never run as a page. `inline=False` offers it as a download
(staff only); carers are never offered a file.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from . import storage
from .models import StoredFile


def no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, max-age=0
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def bytes_response(data: bytes, content_type: str, *, download_name: str = "") -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    if download_name:
        safe = "".join(c for c in download_name if c.isalnum() or c in " ._-")[:120].strip() or "file"
        response["Content-Disposition"] = f'attachment; filename="{safe}"'
    else:
        response["Content-Disposition"] = "inline"
    return no_store(response)


def file_response(stored: StoredFile, *, download_name: str = "") -> HttpResponse:
    """The decrypted file, or 404 when it was erased (the caller has checked access)."""
    from django.http import Http404

    try:
        data = storage.read(stored)
    except storage.FileUnavailable as error:
        raise Http404("This file is no longer held") from error
    return bytes_response(data, stored.content_type, download_name=download_name)
