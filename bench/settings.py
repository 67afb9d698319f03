"""Settings for `make bench`: production-like request handling on a throwaway database.

DEBUG is off (templates cached, no debug toolbar-style overhead) so the numbers
are the ones users would see. The database is a SQLite file of its own under
var/bench/, never the development one; with BENCH_POSTGRES=1 (the default of bench/run.py)
it is DATABASE_URL, a database bench/run.py creates for each data set.
"""

import os
import warnings

from safecare.config.settings.base import *  # noqa: F403
from safecare.config.settings.base import DATABASES, VAR_DIR

BENCH_DIR = VAR_DIR / "bench"
BENCH_SQLITE_PATH = os.environ.get("BENCH_SQLITE_PATH", str(BENCH_DIR / "bench.sqlite3"))
BENCH_POSTGRES = os.environ.get("BENCH_POSTGRES") == "1"

DEBUG = False
SECRET_KEY = "bench-only-not-secret"  # noqa: S105
# The test client's host name.
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files are not part of what is measured; collectstatic need not have run.
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)

if BENCH_POSTGRES:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("The bench on PostgreSQL needs DATABASE_URL=postgres://user:pass@host/db")
else:
    DATABASES["default"]["NAME"] = str(BENCH_SQLITE_PATH)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # The harness reports failing pages itself, once per page, not once per request.
    "loggers": {"django.request": {"level": "CRITICAL"}, "django.security": {"level": "CRITICAL"}},
}
