"""The not-found answer: a page for people, JSON for the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # An API caller reads JSON whatever went wrong: the schema says every 404 is
    # {"detail": ...}, a path that matches no route (an empty id) included.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)
