"""Settings shared by every environment.

Configuration comes from environment variables with defaults that run on a laptop
(twelve-factor); production.py tightens what must be tight.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.management.utils import get_random_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent  # src/safecare
BASE_DIR = PACKAGE_DIR.parent.parent  # the repository
VAR_DIR = Path(os.environ.get("SAFECARE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SAFECARE_SECRET_KEY") or get_random_secret_key()
DEBUG = env_bool("SAFECARE_DEBUG", False)
ALLOWED_HOSTS = env_list("SAFECARE_ALLOWED_HOSTS", "127.0.0.1,localhost")
SITE_URL = os.environ.get("SAFECARE_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "huey.contrib.djhuey",
    "safecare.core",
    "safecare.households",
    "safecare.agreements",
    "safecare.notices",
    "safecare.supervision",
    "safecare.devices",
    "safecare.standards",
    "safecare.monitoring",
    "safecare.files",
    "safecare.compliance",
    "safecare.api",
    "safecare.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A request id on every log record, and one access line per request (decision 0053).
    "safecare.core.request_log.RequestLogMiddleware",
    "safecare.core.middleware.LanguageAndZoneMiddleware",
    "safecare.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safecare.core.middleware.AbsoluteSessionLimitMiddleware",
    "safecare.core.middleware.RequireTwoFactorMiddleware",
    "safecare.core.middleware.IdleTimeoutMiddleware",
    # Before the response leaves for a carer: rule ids become "policy reference" links.
    "safecare.core.middleware.CarerWordsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safecare.config.urls"
WSGI_APPLICATION = "safecare.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safecare.core.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "safecare.core.forms_renderer.GovukFormRenderer"

DATABASE_URL = os.environ.get("DATABASE_URL", "")


def database_from_env() -> dict[str, object]:
    """SQLite in var/ by default; PostgreSQL when DATABASE_URL=postgres://... is set."""
    if DATABASE_URL.startswith(("postgres://", "postgresql://")):
        from urllib.parse import unquote, urlparse

        url = urlparse(DATABASE_URL)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(url.path.lstrip("/")),
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "",
            "PORT": str(url.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # A database that doesn't answer fails a request (and /readyz) in seconds, rather
            # than holding a worker for the operating system's minutes-long connect time-out.
            "OPTIONS": {"connect_timeout": int(os.environ.get("SAFECARE_DB_CONNECT_TIMEOUT", "5"))},
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SAFECARE_SQLITE_PATH", str(VAR_DIR / "safecare.sqlite3")),
        # A connection is kept between requests, as on PostgreSQL: opening one reads the whole
        # schema (some 400 tables, indexes and triggers) and closing the last one checkpoints the
        # write-ahead log, which was half of an API request's time (decision 0066).
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        # WAL lets readers carry on while one request writes; IMMEDIATE avoids
        # the upgrade deadlock between two writers.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "safecare.core.auth_backends.PasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60  # an hour: a reset link is a credential

# Sessions: server-side, short idle time-out (a shared office PC, a carer's phone).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SAFECARE_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SAFECARE_IDLE_MINUTES", "30")))
# Absolute limit, a working day from sign-in whatever the activity (AbsoluteSessionLimitMiddleware);
# the cookie's age is no limit of its own, since it slides each time the session is saved.
SAFECARE_SESSION_LIMIT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SAFECARE_SESSION_LIMIT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "safecare_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# A form sent from a page whose token has gone out of date (signed in again in another tab)
# gets a page that says so and how to send it again, not Django's technical one.
CSRF_FAILURE_VIEW = "safecare.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Login throttling (django-axes): lock the username+address pair after 5 failures.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# And per account, from any address (core.lockout): past this many wrong passwords, each further
# one delays password-only attempts for longer (1, 2, 4... minutes, at most an hour); the
# password with a current authenticator code still signs in meanwhile.
SAFECARE_ACCOUNT_FREE_FAILURES = 5
SAFECARE_ACCOUNT_MAX_DELAY = timedelta(hours=1)

OTP_TOTP_ISSUER = "Safecare"
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d %b %Y", "%d %B %Y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS: list[Path] = [PACKAGE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Confidential files (PH-1 to PH-6; files.storage): encrypted before they reach this storage and
# never given a public address. The local folder by default; S3-compatible object storage when
# SAFECARE_FILES_S3_BUCKET is set (docs/operations.md). The bucket must be private.
if os.environ.get("SAFECARE_FILES_S3_BUCKET"):
    STORAGES["files"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["SAFECARE_FILES_S3_BUCKET"],
            "endpoint_url": os.environ.get("SAFECARE_FILES_S3_ENDPOINT") or None,
            "region_name": os.environ.get("SAFECARE_FILES_S3_REGION") or None,
            "location": os.environ.get("SAFECARE_FILES_S3_PREFIX", "safecare"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["files"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "files"), "base_url": None, "file_permissions_mode": 0o600},
    }
# The master key that wraps each service's data key: 32 random bytes, base64 (docs/operations.md).
# Unset outside production, a key is made once in VAR_DIR/master.key. Keys being rotated out,
# still needed to unwrap, go in SAFECARE_OLD_MASTER_KEYS (comma-separated).
SAFECARE_MASTER_KEY = os.environ.get("SAFECARE_MASTER_KEY", "")
SAFECARE_OLD_MASTER_KEYS = env_list("SAFECARE_OLD_MASTER_KEYS", "")
SAFECARE_MASTER_KEY_FILE = VAR_DIR / "master.key"
# Upload limits (PH-4), checked before anything is decoded.
SAFECARE_UPLOAD_MAX_BYTES = int(os.environ.get("SAFECARE_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
SAFECARE_IMAGE_MAX_PIXELS = int(os.environ.get("SAFECARE_IMAGE_MAX_PIXELS", str(50_000_000)))
SAFECARE_IMAGE_MAX_SIDE = int(os.environ.get("SAFECARE_IMAGE_MAX_SIDE", "12000"))
# Photos are kept at most this many pixels on the longer side once cleaned.
SAFECARE_PHOTO_STORED_SIDE = int(os.environ.get("SAFECARE_PHOTO_STORED_SIDE", "4000"))
SAFECARE_DOCUMENT_MAX_PAGES = int(os.environ.get("SAFECARE_DOCUMENT_MAX_PAGES", "300"))
# Office documents are converted to PDF by LibreOffice when it is installed; refused otherwise.
SAFECARE_SOFFICE = os.environ.get("SAFECARE_SOFFICE", "soffice")
SAFECARE_CONVERT_SECONDS = int(os.environ.get("SAFECARE_CONVERT_SECONDS", "60"))
# Retention (Fostering Services (England) Regulations 2011, reg. 32): a child's record is kept
# until their 75th birthday; a carer's for 10 years after their approval ends. The role that
# confirms a deletion; nothing is deleted without that confirmation.
SAFECARE_CHILD_RETENTION_YEARS = int(os.environ.get("SAFECARE_CHILD_RETENTION_YEARS", "75"))
SAFECARE_CARER_RETENTION_YEARS = int(os.environ.get("SAFECARE_CARER_RETENTION_YEARS", "10"))
SAFECARE_RETENTION_ROLE = os.environ.get("SAFECARE_RETENTION_ROLE", "head_of_service")

# Uploaded files (the service's standards of care documents, SOC-8): never served at a public
# address, only through views that check who asks; kept under VAR_DIR.
MEDIA_ROOT = VAR_DIR / "media"
SAFECARE_SERVICE_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("SAFECARE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("SAFECARE_FROM_EMAIL", "safecare@localhost")
EMAIL_HOST = os.environ.get("SAFECARE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SAFECARE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SAFECARE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SAFECARE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SAFECARE_EMAIL_TLS", False)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safecare.core.api_auth.VerifiedSessionAuthentication",
        "safecare.core.api_auth.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    # Requests an account may make to the API, e.g. "1200/hour". Raised for the schema
    # fuzzing run of .ci/run (docs/security.md), which sends thousands in minutes.
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("SAFECARE_API_RATE", "1200/hour")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The API takes JSON only, as its schema says: one parser to harden, not three.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "safecare.api.schema.SafecareAutoSchema",
}
# API tokens (django-rest-knox): only a digest is stored; each has a name and an expiry.
KNOX_TOKEN_MODEL = "core.ApiToken"
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(os.environ.get("SAFECARE_API_TOKEN_DAYS", "90"))),
    "AUTO_REFRESH": False,
    "TOKEN_PREFIX": "sc_",
}
SAFECARE_API_TOKEN_MAX_DAYS = 365
SPECTACULAR_SETTINGS = {
    "TITLE": "Safecare API",
    "DESCRIPTION": "Households, members, children, placements and tasks of one fostering "
    "service, scoped to the signed-in user exactly as the web pages are.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "safecare.api.schema.document_every_answer",
    ],
    # One name per choice set, so the schema generates without warnings.
    "ENUM_NAME_OVERRIDES": {
        "HouseholdStatusEnum": "safecare.households.models.HouseholdStatus",
        "MemberKindEnum": "safecare.households.models.MemberKind",
        "AllocationKindEnum": "safecare.households.models.AllocationKind",
        "TaskStatusEnum": "safecare.core.models.TaskStatus",
        "FullViewEnum": "safecare.api.schema.FULL_VIEW",
        "CarerViewEnum": "safecare.api.schema.CARER_VIEW",
        "ChangeKindEnum": "safecare.notices.models.ChangeKind",
        "ImmediateKindEnum": "safecare.notices.models.ImmediateKind",
        "DeviceStatusEnum": "safecare.devices.models.DeviceStatus",
        "RequestStatusEnum": "safecare.devices.models.RequestStatus",
        "DocumentKindEnum": "safecare.standards.models.DocumentKind",
        "OutcomeKindEnum": "safecare.standards.models.OutcomeKind",
        "ApprovalChoiceEnum": "safecare.standards.models.ApprovalChoice",
        "ResidenceKindEnum": "safecare.monitoring.models.ResidenceKind",
        "LevelEnum": "safecare.notices.models.RiskLevel",
        "ImRiskLevelEnum": "safecare.monitoring.models.RiskLevel",
        "ImReviewOutcomeEnum": "safecare.monitoring.models.ReviewOutcome",
        "OutcomeEnum": "safecare.standards.models.AllegationOutcome",
        "SharedDocumentKindEnum": "safecare.files.models.DocumentKind",
        "LossKindEnum": "safecare.files.models.LossKind",
        "LostThingEnum": "safecare.files.models.LostThing",
        "PhotoPermissionEnum": "safecare.files.models.Permission",
        "KeepStatusEnum": "safecare.files.models.KeepStatus",
        "ExportStatusEnum": "safecare.files.models.ExportStatus",
    },
}

# Scheduled work (core.jobs, decision 0033). The database's ScheduledJob table says what is due;
# Huey only wakes run_due_jobs every minute (`manage.py run_huey`). Redis when
# SAFECARE_REDIS_URL is set (production, several servers); otherwise a SQLite file next to the
# database, so `make run` needs nothing else running. Never immediate outside the tests.
REDIS_URL = os.environ.get("SAFECARE_REDIS_URL", "")
_HUEY_CONSUMER = {"workers": 1, "worker_type": "thread"}
if REDIS_URL:
    HUEY: dict[str, object] = {
        "huey_class": "huey.RedisHuey",
        "name": "safecare",
        "immediate": False,
        "connection": {"url": REDIS_URL},
        "consumer": _HUEY_CONSUMER,
    }
else:
    _on_sqlite = str(DATABASES["default"]["ENGINE"]).endswith("sqlite3")
    _huey_dir = Path(str(DATABASES["default"]["NAME"])).parent if _on_sqlite else VAR_DIR
    # A fresh clone has no var/ yet; Huey opens its file as the settings load.
    _huey_dir.mkdir(parents=True, exist_ok=True)
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "safecare",
        "immediate": False,
        "filename": str(_huey_dir / "huey.sqlite3"),
        "consumer": _HUEY_CONSUMER,
    }

# Plain text here; JSON lines in production (production.py). Every record carries the id of
# the request it was written in, "-" outside a request (core.request_log, docs/operations.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "safecare.core.request_log.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "safecare.core.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "text", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports each rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
