"""Sign-in: password (throttled by django-axes), then TOTP for every staff account."""

from __future__ import annotations

import secrets
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import lockout
from .forms import GovukForm
from .middleware import IdleTimeoutMiddleware
from .models import User

# Set in the new, signed-out session by SignOutView, read once by the sign-in page that
# follows: base.html then tells the browser to forget that person's drafts (drafts.mjs).
FORGET_DRAFTS = "safecare_forget_drafts_of"


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    """The page to go on to: this site's own (same host only), else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return str(target)
    return default


def _with_next(path: str, next_url: str) -> str:
    """A sign-in step's address carrying where to go after it, encoded whatever it holds."""
    return f"{path}?{urlencode({'next': next_url})}"


class SignInForm(GovukForm, AuthenticationForm):
    """Username and password; while the account's sign-in is delayed (core.lockout), a code too."""

    error_messages = {
        "invalid_login": "The username or password is not right: check both, capital letters included",
        "inactive": "This account cannot sign in: ask your service administrator",
    }

    token = forms.CharField(
        label="Code from your authenticator app",
        help_text="Or one of your recovery codes.",
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asks_for_code = False

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        account = User.objects.filter(username=username).first() if username else None
        until = lockout.delayed_until(account) if account is not None else None
        if until is None or not AxesProxyHandler.is_allowed(self.request, {"username": username}):
            # django-axes' lock of this address answers first (429), as without the delay.
            return super().clean()
        # Too many wrong passwords for this account lately, from wherever. Without a code the
        # password is not even tried; with one, both must be right.
        self.asks_for_code = True
        token = str(self.cleaned_data.get("token") or "").strip()
        if not token:
            raise forms.ValidationError(
                {
                    "token": "Code from your authenticator app: there have been too many wrong passwords "
                    "for this account, so enter your password and the code from your app together, "
                    f"or wait until {timezone.localtime(until):%H:%M} to sign in with your password alone"
                }
            )
        cleaned = super().clean()
        user = self.get_user()
        device = verify_second_factor(user, token)
        if device is None:
            raise forms.ValidationError(
                {"token": "Code from your authenticator app: the code is wrong or has expired; try a new one"}
            )
        # django_otp persists this device in the session when Django's login() runs.
        user.otp_device = device  # type: ignore[attr-defined]
        return cleaned


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    authentication_form = SignInForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user: User = self.request.user  # type: ignore[assignment]
        if user.requires_two_factor():
            # get_success_url() is the `next` Django has checked is this site's, or the home page.
            return redirect(_with_next("/sign-in/two-factor/", self.get_success_url()))
        return response

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["timed_out"] = "timed_out" in self.request.GET
        context["forget_drafts_of"] = self.request.session.pop(FORGET_DRAFTS, None)
        return context


class SignOutView(auth_views.LogoutView):
    """Sign out; the page that follows tells the browser to forget the person's drafts.

    Drafts of long text are kept in the browser (decision 0026). Signing out on purpose
    forgets them; a time-out does not, so nothing typed is lost to it.
    """

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user_id = request.user.pk if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        if user_id is not None:
            request.session[FORGET_DRAFTS] = user_id
        return response


@require_POST
@login_required
def stay_signed_in(request: HttpRequest) -> JsonResponse:
    """The time-out warning's "Stay signed in": the session counts as used now.

    Answers how many seconds the session now has left. The idle and absolute limits
    (core.middleware) were checked on the way in: a session already ended never gets here.
    """
    return JsonResponse({"seconds_left": IdleTimeoutMiddleware.touch(request)})


# Recovery codes: letters and digits that cannot be mistaken for one another, shown in two halves.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
RECOVERY_CODE_COUNT = 10


def normalise_code(value: str) -> str:
    return "".join(value.split()).replace("-", "").lower()


def is_recovery_code(code: str) -> bool:
    return len(code) == RECOVERY_CODE_LENGTH and all(c in RECOVERY_ALPHABET for c in code)


class TokenForm(GovukForm):
    token = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code. It changes every 30 seconds.",
        min_length=6,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, recovery: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recovery = recovery
        if recovery:
            self.fields["token"].help_text = (
                "The 6-digit code. It changes every 30 seconds. No phone with you? "
                "Enter one of your recovery codes instead."
            )

    def clean_token(self) -> str:
        token = normalise_code(str(self.cleaned_data["token"]))
        if len(token) == 6 and token.isdigit():
            return token
        if self.recovery and is_recovery_code(token):
            return token
        if self.recovery:
            raise forms.ValidationError("enter the 6-digit code from your app, or one of your recovery codes")
        raise forms.ValidationError("the code is 6 digits, numbers only")


def verify_second_factor(user: User, token: str) -> Device | None:
    """The device that accepts this code: the authenticator app for 6 digits, else a recovery code.

    Each kind is asked only about its own kind of code, so a mistyped app code never counts
    against the recovery codes' throttle. Both throttle repeated failures themselves.
    """
    token = normalise_code(token)
    device: Device | None
    if len(token) == 6 and token.isdigit():
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    elif is_recovery_code(token):
        device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    else:
        return None
    if device is not None and device.verify_token(token):
        return device
    return None


def issue_recovery_codes(user: User) -> list[str]:
    """New recovery codes, replacing any earlier ones; each works once. Shown once, never stored in clear."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    half = RECOVERY_CODE_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


def complete_second_factor(request: HttpRequest, device: Device) -> None:
    """Mark the session verified under a new session id, as Django's login() does at the password.

    A session id seen before the code was given (on a shared PC, or fixed by an attacker)
    must not become a fully signed-in session.
    """
    request.session.cycle_key()
    otp_login(request, device)


def _confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    next_url = _safe_next(request)
    if user.two_factor_verified():
        return redirect(next_url)
    device = _confirmed_device(user)
    if device is None:
        return redirect(_with_next("/sign-in/two-factor/set-up/", next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = verify_second_factor(user, form.cleaned_data["token"])
        if verified is not None:
            complete_second_factor(request, verified)
            if isinstance(verified, StaticDevice):
                left = verified.token_set.count()
                messages.warning(
                    request,
                    f"You used a recovery code. You have {left} left. If you have lost your phone, "
                    "ask your service administrator to reset your two-factor authentication.",
                )
            return redirect(next_url)
        # Each device throttles repeated failures itself (exponential delay).
        form.add_error("token", "the code is wrong or has expired; wait for a new code and try again")
    return render(request, "registration/two_factor.html", {"form": form, "next": next_url})


@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in of an account that must use two-factor: enrol an authenticator app."""
    import segno

    user: User = request.user  # type: ignore[assignment]
    next_url = _safe_next(request)
    if _confirmed_device(user) is not None:
        # Replacing a device is a service administrator's reset, never self-service
        # from a password alone.
        return redirect(_with_next("/sign-in/two-factor/", next_url))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None, recovery=False)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            complete_second_factor(request, device)
            # Shown once, on this page: for signing in when the phone is not to hand.
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": issue_recovery_codes(user), "next": next_url},
            )
        form.add_error("token", "the code is wrong or has expired; check the app's clock and try again")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#0b0c0c", light="#ffffff")
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": secret,
            "config_url": device.config_url,
            "next": next_url,
        },
    )
