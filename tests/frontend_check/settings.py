# Scratch settings for rendering demo pages (deleted when done).
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "safecare"
SECRET_KEY = "scratch"
DEBUG = True
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "Europe/London"
LANGUAGE_CODE = "en-gb"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC / "templates", Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "libraries": {"govuk": "safecare.core.templatetags.govuk"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
STATIC_URL = "/static/"
STATICFILES_DIRS = [SRC / "static"]
ROOT_URLCONF = "tests.frontend_check.urls"
FORM_RENDERER = "safecare.core.forms_renderer.GovukFormRenderer"
