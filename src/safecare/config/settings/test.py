"""The test suite. SQLite in memory unless DATABASE_URL points at PostgreSQL."""

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA foreign_keys=ON;"}
AXES_ENABLED = True
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Huey runs a task when it is called, in memory: no consumer, no Redis, no file.
HUEY = {**HUEY, "immediate": True}  # noqa: F405
# Files go to a folder of this test process's own, under a fixed test master key.
import tempfile  # noqa: E402

STORAGES = {
    **STORAGES,  # noqa: F405
    "files": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="safecare-files-"), "base_url": None},
    },
}
SAFECARE_MASTER_KEY = "dGVzdC1vbmx5LW1hc3Rlci1rZXktbm90LXNlY3JldCE="  # 32 bytes, test only
