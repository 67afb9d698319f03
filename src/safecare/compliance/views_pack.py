"""Stub: replaced by the real views."""

from django.http import Http404, HttpRequest, HttpResponse


def packs(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def pack(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


def download(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
