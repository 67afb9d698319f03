"""Cross-cutting request policy: two-factor enforcement, session limits, security headers."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .carer_words import for_carers
from .roles import Role

# Paths a signed-in but not yet verified user may reach: the two-factor steps
# themselves, sign-out, static files, the health endpoints (core.health). The API answers
# 403 on its own (api_auth).
_OPEN_PREFIXES = ("/sign-in/", "/sign-out/", "/password-reset/", "/static/", "/api/", "/healthz", "/readyz")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def return_path(request: HttpRequest) -> str:
    """Where the person was: the page asked for, or for a form sent (POST) the page it was on.

    A POST's own address may answer only POST (marking something read); the page that
    sent it, from the Referer when it is this site's, is the page to come back to.
    """
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.path


def sign_in_again(request: HttpRequest) -> HttpResponse:
    """The sign-in page after a time-out, bringing the person back where they were."""
    return redirect(reverse("login") + "?" + urlencode({"timed_out": "1", "next": return_path(request)}))


class LanguageAndZoneMiddleware:
    """The service's one language and time zone, made active for each request.

    Django reads both from a per-thread store on every date it shows and every word it
    translates. With nothing active, each read raises and catches an AttributeError inside
    asgiref's store: several microseconds, hundreds of times a page. Activated, each read is a
    lookup. They are the settings' own (English, Europe/London), so nothing shown changes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(settings.LANGUAGE_CODE)
        timezone.activate(timezone.get_default_timezone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
            translation.deactivate()


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Case data must not linger in shared caches or the back button of a shared PC.
            response.headers["Cache-Control"] = "no-store"
        return response


class RequireTwoFactorMiddleware:
    """Staff (and carers where the service says so) must complete TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.requires_two_factor()
            and not user.two_factor_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect(reverse("two_factor") + "?" + urlencode({"next": return_path(request)}))
        return self.get_response(request)


SIGNED_IN_AT = "safecare_signed_in_at"


def record_sign_in_time(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """Note when the session was signed in (user_logged_in: after Django has rotated its id)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


user_logged_in.connect(record_sign_in_time, dispatch_uid="safecare_record_sign_in_time")


class AbsoluteSessionLimitMiddleware:
    """End a session SAFECARE_SESSION_LIMIT after sign-in, however busy it has been.

    The session cookie's own age slides whenever the session is saved (the idle time-out
    saves it every minute or so), so the limit is kept here, from the time of sign-in
    stored in the session itself. A session with no sign-in time (made before this check)
    is ended too: its age cannot be known.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            limit = int(settings.SAFECARE_SESSION_LIMIT.total_seconds())
            if signed_in_at is None or int(time.time()) - int(signed_in_at) > limit:
                logout(request)
                if not request.path.startswith("/api/"):
                    return sign_in_again(request)
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Sign out after SAFECARE_IDLE_TIMEOUT without a request.

    Each page is told how long its session has left (`request.idle_seconds_left`, rendered
    by base.html for the time-out warning, static/safecare/timeout.mjs) while the person is
    fully signed in; "Stay signed in" asks `stay_signed_in` (core.views_auth), which counts
    as a request like any other.
    """

    KEY = "safecare_last_seen"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            limit = int(settings.SAFECARE_IDLE_TIMEOUT.total_seconds())
            if last_seen is not None and now - int(last_seen) > limit:
                logout(request)
                if not request.path.startswith("/api/"):
                    return sign_in_again(request)
            else:
                # Written at most once a minute: a session row is not rewritten per request.
                if last_seen is None or now - int(last_seen) > 60:
                    request.session[self.KEY] = last_seen = now
                user = request.user
                if user.two_factor_verified() or not user.requires_two_factor():
                    # From the time the session last noted, not this request: up to a minute less.
                    request.idle_limit_seconds = limit  # type: ignore[attr-defined]
                    request.idle_seconds_left = limit - (now - int(last_seen))  # type: ignore[attr-defined]
        return self.get_response(request)

    @classmethod
    def touch(cls, request: HttpRequest) -> int:
        """Count this moment as the last use of the session; the seconds it now has left."""
        request.session[cls.KEY] = int(time.time())
        return int(settings.SAFECARE_IDLE_TIMEOUT.total_seconds())


class CarerWordsMiddleware:
    """A foster carer's pages carry rule ids only as small "policy reference" links (core.carer_words).

    Every HTML page a carer is sent passes here, so no page, message or error can show a
    carer a bare rule id, however it was written. Staff pages are left as they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or getattr(user, "role", None) != Role.CARER
            or response.streaming
            or getattr(response, "shows_rule_ids", False)
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        charset = response.charset or "utf-8"
        response.content = for_carers(response.content.decode(charset)).encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
