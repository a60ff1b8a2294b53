"""Test settings: the production settings with a fast password hasher and no manifest storage."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("ACUERDOS_ALLOW_DEV_SECRET", "true")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("HUEY_IMMEDIATE", "true")

from acuerdos.settings import *  # noqa: F403
from acuerdos.settings import BASE_DIR, DATABASES, STORAGES

# Argon2 costs about a third of a CPU-second per check; the timing tests switch it back on.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not :memory:) so that threads and live-server tests use real separate connections;
    # one per process, so that concurrent runs never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"acuerdos-test-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_acuerdos_{os.getpid()}"}
MEDIA_ROOT = BASE_DIR / ".test-media"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
