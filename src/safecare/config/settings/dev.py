"""Local development: `make run`. SQLite in var/, console e-mail.

DEBUG is on unless SAFECARE_DEBUG=0; `make run` sets it to 0, so the demo shows the
service's own error pages, and SAFECARE_SITE_URL to the address it serves on.
"""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

# SAFECARE_DEBUG=0 runs it as production answers (the not-found answers, no debug pages).
DEBUG = env_bool("SAFECARE_DEBUG", True)
SECRET_KEY_FILE = VAR_DIR / "secret_key"


def _stable_secret(path: Path) -> str:
    # Sessions survive a restart of `make run`; the key never leaves var/.
    if path.exists():
        return path.read_text().strip()
    from django.core.management.utils import get_random_secret_key

    path.parent.mkdir(parents=True, exist_ok=True)
    key = get_random_secret_key()
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SAFECARE_SECRET_KEY") or _stable_secret(SECRET_KEY_FILE)

# Static files straight from the source folders, DEBUG on or off (WhiteNoise, not runserver,
# serves them); collectstatic is for production.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
