"""Production: PostgreSQL, SMTP, HTTPS only. Passes `manage.py check --deploy`.

Required environment: SAFECARE_SECRET_KEY, SAFECARE_ALLOWED_HOSTS, DATABASE_URL.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SAFECARE_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SAFECARE_SECRET_KEY must be set to at least 50 random characters")

EMAIL_BACKEND = os.environ.get("SAFECARE_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
SECURE_SSL_REDIRECT = env_bool("SAFECARE_SSL_REDIRECT", True)
# The health endpoints answer plain HTTP too: a load balancer's probe often reaches the server
# directly, without TLS, and a redirect would read as "down" (core.health). They carry no data.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# X-Forwarded-Proto is believed only when the deployment says a TLS-terminating proxy is in
# front and strips whatever the client sent (SAFECARE_BEHIND_PROXY, off unless set). Without a
# proxy, anyone could send the header and make a plain HTTP request count as HTTPS.
SAFECARE_BEHIND_PROXY = env_bool("SAFECARE_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SAFECARE_BEHIND_PROXY else None
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-safecare_session"
CSRF_COOKIE_NAME = "__Host-csrftoken"
STORAGES = {
    **STORAGES,  # noqa: F405  (files: the local folder or S3, as base.py chose)
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# PH-4: files are encrypted under a master key the environment gives; never one made on disk.
if not SAFECARE_MASTER_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "SAFECARE_MASTER_KEY must be set: 32 random bytes, base64 (docs/operations.md)"
    )
# Logs: one JSON object a line on standard error, for the platform's log collector
# (docs/operations.md, "Logs").
LOGGING = {
    **LOGGING,  # noqa: F405
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}
    },
}
