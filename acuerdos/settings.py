"""Settings for Acuerdos, read from environment variables only (see README.md).

Defaults give a safe, single-machine set-up: SQLite in WAL mode, local files, huey on its own
SQLite file. Production sets DATABASE_URL, REDIS_URL, EMAIL_URL, MEDIA_STORAGE and SECRET_KEY.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

# Lets `admin.ModelAdmin[Model]` and other generic annotations run (django-stubs).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and not env.bool("ACUERDOS_ALLOW_DEV_SECRET", default=False):
        raise environ.ImproperlyConfigured(
            "SECRET_KEY is required (or DEBUG=true / ACUERDOS_ALLOW_DEV_SECRET=true for local use)"
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Served behind TLS in production; `HTTPS=false` only for the local demo on plain http.
HTTPS = env.bool("HTTPS", default=not DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "acuerdos.core",
    "acuerdos.audit",
    "acuerdos.organization",
    "acuerdos.meetings",
    "acuerdos.commitments",
    "acuerdos.notifications",
    "acuerdos.progress",
    "acuerdos.evaluation",
    "acuerdos.followup",
    "acuerdos.reporting",
    "acuerdos.portal",
    "acuerdos.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "acuerdos.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "acuerdos.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # After OTPMiddleware and the session timeout: coordinators (and anyone with a device who
    # has not typed a code yet) go through the second factor before any page or API call.
    "acuerdos.organization.two_factor.TwoFactorMiddleware",
]

ROOT_URLCONF = "acuerdos.urls"
WSGI_APPLICATION = "acuerdos.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "acuerdos.core.context_processors.navigation",
                "acuerdos.notifications.context_processors.unread_notifications",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions + a busy timeout: concurrent writers wait instead of failing
    # with "database is locked" (see STACK-NOTES.md).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000;"
        ),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "organization.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# django-axes: five failures in a row lock the username for 15 minutes.
# TOTP second factor (django-otp): optional for everyone, required for coordinators unless
# TWO_FACTOR_REQUIRED_FOR_COORDINATORS=false (the local demo and most tests switch it off).
TWO_FACTOR_REQUIRED_FOR_COORDINATORS = env.bool(
    "TWO_FACTOR_REQUIRED_FOR_COORDINATORS", default=True
)
OTP_TOTP_ISSUER = "Acuerdos IMSS"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
# Username and address together: a shared NAT at month-end must not lock out a whole OOAD.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"

# --- Sessions and cookies -------------------------------------------------------------------
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Español (México)"))]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS: list[Any] = [
    BASE_DIR / "static",
    # Installed from npm by `make install` (pinned in package.json); never committed.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Where an uploaded import waits between preview and confirmation (empty: the system temp dir);
# with several web processes or servers it must be a disk they all share.
IMPORT_STAGING_DIR = env.str("IMPORT_STAGING_DIR", default="")

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Acuerdos IMSS <no-responder@imss.gob.mx>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Address of the site in links that leave without a request (e-mails sent by the worker).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Invitation and password links stay valid this long (seconds; the e-mail says "3 días").
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)
PASSWORD_RESET_PER_HOUR = env.int("PASSWORD_RESET_PER_HOUR", default=3)
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=10)
# Work e-mail domains accepted for invitations (empty: any), e.g. "imss.gob.mx".
ACUERDOS_EMAIL_DOMAINS = env.list("ACUERDOS_EMAIL_DOMAINS", default=[])
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=12)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# --- Background worker (huey) ---------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
HUEY_IMMEDIATE = env.bool("HUEY_IMMEDIATE", default=False)
if REDIS_URL:
    # Throttles (password reset per address) must hold across web processes.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
if REDIS_URL:
    HUEY: dict[str, Any] = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": env.str("HUEY_NAME", default="acuerdos"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
else:
    # huey's SQLite storage needs a file of its own, never the application's database.
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": env.str("HUEY_NAME", default="acuerdos"),
        "filename": env.str("HUEY_SQLITE_PATH", default=str(BASE_DIR / "huey.sqlite3")),
        "immediate": HUEY_IMMEDIATE,
    }
HUEY["consumer"] = {
    "workers": env.int("HUEY_WORKERS", default=2),
    # Report PDFs are CPU-bound (WeasyPrint holds the GIL): production runs `process` workers.
    "worker_type": env.str("HUEY_WORKER_TYPE", default="thread"),
    # Exactly one consumer runs the periodic schedule: start every other one with
    # HUEY_PERIODIC=false (see docs/deployment.md).
    "periodic": env.bool("HUEY_PERIODIC", default=True),
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Personal API tokens first (a request with `Authorization: Bearer …` never falls back
        # to the session), then the browser's session.
        "acuerdos.organization.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "acuerdos.organization.api.authentication.TokenWriteScope",
    ],
    "EXCEPTION_HANDLER": "acuerdos.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["acuerdos.organization.api.authentication.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_TOKEN_RATE", default="120/min")},
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Acuerdos IMSS — API",
    "DESCRIPTION": "Seguimiento de acuerdos y compromisos de las Reuniones Regionales.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s",
            "defaults": {"request_id": "-"},
        }
    },
    "filters": {"request_id": {"()": "acuerdos.core.request_context.RequestIdLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "structured",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

# --- Product settings -----------------------------------------------------------------------
ACUERDOS = {
    # PRODUCT.md §3: thresholds are settings.
    "AT_RISK_MARGIN": 20,
    "STALE_AFTER_DAYS": 31,
    "STALE_WINDOW_DAYS": 30,
    "LEVEL_GREEN": 90,
    "LEVEL_YELLOW": 70,
    "EVIDENCE_MAX_BYTES": env.int("EVIDENCE_MAX_BYTES", default=25 * 1024 * 1024),
    # Extensions are decided by the coordinator; `true` lets the validating area decide too.
    "EXTENSIONS_DECIDED_BY_AREA": env.bool("EXTENSIONS_DECIDED_BY_AREA", default=False),
    # Most commitments one bulk action may change at once.
    "BULK_MAX": env.int("BULK_MAX", default=2000),
}
# Closing a cut-off generates and delivers its reports on the worker.
REPORTS_ON_CUTOFF_CLOSE = env.bool("REPORTS_ON_CUTOFF_CLOSE", default=True)
# Validations waiting longer than this (days) are reminded to the area's validators.
REMINDER_VALIDATION_DAYS = env.int("REMINDER_VALIDATION_DAYS", default=5)
