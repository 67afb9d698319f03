from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.urls import path

from . import views_auth, views_tokens
from .forms import GovukForm


class ResetForm(GovukForm, PasswordResetForm):
    pass


class NewPasswordForm(GovukForm, SetPasswordForm):  # type: ignore[type-arg]
    error_messages = {"password_mismatch": "The two passwords are not the same: type the same password twice"}


class PasswordResetView(auth_views.PasswordResetView):
    """The reset link names the configured site address (SAFECARE_SITE_URL), as every e-mail
    does, not the Host header of the request that asked for it."""

    form_class = ResetForm

    @property
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        site = urlsplit(settings.SITE_URL)
        return {"protocol": site.scheme or "https", "domain": site.netloc}


urlpatterns = [
    path("sign-in/", views_auth.SignInView.as_view(), name="login"),
    path("sign-in/two-factor/", views_auth.two_factor, name="two_factor"),
    path("sign-in/two-factor/set-up/", views_auth.two_factor_setup, name="two_factor_setup"),
    path("sign-out/", views_auth.SignOutView.as_view(), name="logout"),
    path("account/stay-signed-in/", views_auth.stay_signed_in, name="stay_signed_in"),
    path("account/api-tokens/", views_tokens.api_tokens, name="api_tokens"),
    path("account/api-tokens/<str:key>/revoke/", views_tokens.api_token_revoke_view, name="api_token_revoke"),
    path(
        "password-reset/",
        PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        # Never signs the user in: the new password still needs the second factor.
        auth_views.PasswordResetConfirmView.as_view(post_reset_login=False, form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
]
