"""The error answers: a page for people, JSON for the API.

Each page says what happened and what to do next, in the GOV.UK patterns ("Page not
found", "You cannot see this page", "There is a problem with the service"). An API
caller reads JSON whatever went wrong: the schema says every error is {"detail": ...}.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A path that matches no route (an empty id) is JSON too.
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return render(request, "403.html", status=403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Whatever broke may be the database or a context processor: the page is rendered
    # from the template alone, with no request context, so it cannot fail the same way.
    if _is_api(request):
        return JsonResponse({"detail": "There is a problem with the service. Try again later."}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an out-of-date security token (CSRF_FAILURE_VIEW).

    Usually the person signed in again in another tab, or left the page open past the
    session's end: the form's token no longer matches. Nothing was saved; going back and
    sending it again works, and the browser's back button keeps what they typed.
    """
    if _is_api(request):
        return JsonResponse(
            {"detail": "CSRF check failed: sign in again, or send an API token instead of a session."},
            status=403,
        )
    return render(request, "csrf_failure.html", status=403)
