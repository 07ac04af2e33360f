"""Jalin settings: one file, configured from environment variables.

Every variable is documented in `.env.example`. Local defaults work out of the box
(SQLite, local files, console e-mail, no broker); production-critical values fail
loudly when missing.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state (SQLite database, task queue, uploaded files) lives here unless configured elsewhere.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

# Development keys (the fallback below and the one `make run` writes into .env) start with
# Django's own "django-insecure-" prefix, which `check --deploy` also flags (security.W009).
DEVELOPMENT_KEY_PREFIX = "django-insecure-"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (see .env.example), or set DEBUG=1 for local development."
        )
    SECRET_KEY = DEVELOPMENT_KEY_PREFIX + "jalin-development-key-do-not-use-in-production"
elif not DEBUG and SECRET_KEY.startswith(DEVELOPMENT_KEY_PREFIX):
    raise ImproperlyConfigured(
        "SECRET_KEY is a development key (from the .env that `make run` writes). Set a production key "
        "in the environment (see docs/deploy.md)."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # The Django admin, requiring a second factor (django-otp) and Jalin's login.
    "jalin.accounts.admin_config.JalinAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "huey.contrib.djhuey",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "jalin.lib",
    "jalin.accounts",
    "jalin.governments",
    "jalin.partners",
    "jalin.agreements",
    "jalin.documents",
    "jalin.letterheads",
    "jalin.audit",
    "jalin.workflow",
    "jalin.notifications",
    "jalin.monitoring",
    "jalin.portal",
    "jalin.api",
    "jalin.ops",
    "jalin.reports",
    "jalin.imports",
]
# Demo and benchmark data (seed_demo, demo_logins): on unless JALIN_DEMO=0. A production
# installation turns it off; nothing outside jalin.demo imports it (tests/test_layers.py).
JALIN_DEMO = envbool("JALIN_DEMO", True)
if JALIN_DEMO:
    INSTALLED_APPS.append("jalin.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jalin.accounts.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jalin.accounts.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "jalin.lib.client.ClientAddressAuditlogMiddleware",  # auditlog's, with the real client address
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jalin.urls"
WSGI_APPLICATION = "jalin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jalin.accounts.context_processors.navigation",
                "jalin.notifications.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite file by default; PostgreSQL with DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jalin.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the background worker's writes instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# PostgreSQL's JIT compiler spends seconds compiling the dashboard's and reports' aggregate
# queries that then run in a fraction of that (measured: 18.8 s -> 6.7 s for the national
# dashboard's SQL, docs/monitoring.md); off unless DATABASE_JIT=1.
PG_CONNECTION_OPTIONS = {} if envbool("DATABASE_JIT", False) else {"options": "-c jit=off"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(PG_CONNECTION_OPTIONS)
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# auditlog's own migrations create its default log table even though Jalin swaps in
# audit.AuditEntry; that unused table blocks TRUNCATE on PostgreSQL in browser tests.
# Its only model is swapped out, so the app needs no migrations at all.
MIGRATION_MODULES = {"auditlog": None}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "portal:home"

# Second factor (django-otp): required for these roles and for superusers, offered to everyone else.
TWO_FACTOR_REQUIRED_ROLES = ["admin", "leader", "supervisor"]
OTP_TOTP_ISSUER = "Jalin"
# Staff sessions: logged out after this many idle minutes, and after this many hours in any case;
# a warning is shown a few minutes before the idle logout (docs/security.md).
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_HOURS = envint("SESSION_ABSOLUTE_HOURS", 12)
SESSION_WARNING_MINUTES = envint("SESSION_WARNING_MINUTES", 2)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600
# API tokens: default and longest lifetime, and how often the use of one token is audited.
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 90)
API_TOKEN_MAX_DAYS = envint("API_TOKEN_MAX_DAYS", 365)
API_TOKEN_USE_AUDIT_MINUTES = envint("API_TOKEN_USE_AUDIT_MINUTES", 60)
# Password reset links are valid this long; reset requests per address and per client per hour.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60
PASSWORD_RESET_PER_HOUR = envint("PASSWORD_RESET_PER_HOUR", 5)

# Failed-login throttling (django-axes): lock a username+address after N failures.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "jalin.lib.client.client_ip"  # the real client, never the proxy

# Internationalisation: Indonesian first, English complete.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# Static files are vendored under static/ and served by WhiteNoise.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Uploaded documents are private: stored outside any URL, served only by views that
# check access. MEDIA_URL is deliberately unset.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
DOCUMENT_MAX_BYTES = envint("DOCUMENT_MAX_MB", 20) * 1024 * 1024
# A government's own document template (.docx with its letterhead and logo).
LETTERHEAD_MAX_BYTES = envint("LETTERHEAD_MAX_MB", 5) * 1024 * 1024


# Reading documents' words (docs/documents.md): Tesseract OCR per page, bounded in time and memory.
OCR_TESSERACT = os.environ.get("OCR_TESSERACT") or "tesseract"
OCR_PDFTOPPM = os.environ.get("OCR_PDFTOPPM") or "pdftoppm"
OCR_LANGUAGE = os.environ.get("OCR_LANGUAGE") or "ind"
OCR_DPI = envint("OCR_DPI", 300)
OCR_PAGE_TIMEOUT_SECONDS = envint("OCR_PAGE_TIMEOUT_SECONDS", 120)
OCR_MEMORY_MB = envint("OCR_MEMORY_MB", 1024)
OCR_STEP_SECONDS = envint("OCR_STEP_SECONDS", 60)
# Bulk upload: one ZIP at most this big, this many files, this much once unpacked.
BULK_ZIP_MAX_BYTES = envint("BULK_ZIP_MAX_MB", 200) * 1024 * 1024
BULK_ZIP_MAX_FILES = envint("BULK_ZIP_MAX_FILES", 500)
BULK_ZIP_MAX_UNPACKED_BYTES = envint("BULK_ZIP_MAX_UNPACKED_MB", 1024) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail: console by default, SMTP (or any backend) from the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Jalin <jalin@localhost>")

# Cache. Production needs one cache shared by every app server and worker (a per-process
# cache keeps serving an unpublished agreement from the processes that did not see the
# change): Redis (REDIS_URL, or CACHE_URL=redis://...) or, stated explicitly, Django's
# database cache (CACHE_URL=db://, after `manage.py createcachetable`). The in-process cache
# (CACHE_URL=locmem://, the default without REDIS_URL) is for development and tests only;
# `manage.py check --deploy` and the WSGI application refuse it when DEBUG is off.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "locmem://"
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_URL.removeprefix("db://") or "jalin_cache",
        }
    }
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jalin"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must start with redis://, db:// or locmem:// (got {CACHE_URL!r}).")
CACHES["default"]["KEY_PREFIX"] = CACHE_KEY_PREFIX

# Background tasks (huey): a SQLite queue file by default, Redis when REDIS_URL is set.
HUEY_IMMEDIATE = envbool("HUEY_IMMEDIATE", False)
if os.environ.get("REDIS_URL"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "jalin",
        "url": os.environ["REDIS_URL"],
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "jalin",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }

# Security headers. Secure cookies and HSTS follow DEBUG: on in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of Jalin append to X-Forwarded-For (nginx on the same host:
# 1). The client's address is the entry this many places from the right; 0 ignores the header
# (jalin/lib/client.py). Behind a proxy it must be set: `check --deploy` says so.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Domain rules that the regulation leaves open are settings, not constants.
EXPIRING_WITHIN_DAYS = envint("EXPIRING_WITHIN_DAYS", 180)
PKS_MAX_YEARS = envint("PKS_MAX_YEARS", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Portal and API ---
# Public pages cache their data this long (and are invalidated at once on any change).
PORTAL_CACHE_SECONDS = envint("PORTAL_CACHE_SECONDS", 600)
PORTAL_PAGE_SIZE = 20
# Citizen feedback: per-address limits, message and photo size, links allowed in a message.
PORTAL_FEEDBACK_PER_HOUR = envint("PORTAL_FEEDBACK_PER_HOUR", 5)
PORTAL_FEEDBACK_PER_DAY = envint("PORTAL_FEEDBACK_PER_DAY", 20)
PORTAL_FEEDBACK_MAX_CHARS = envint("PORTAL_FEEDBACK_MAX_CHARS", 3000)
PORTAL_FEEDBACK_MAX_LINKS = envint("PORTAL_FEEDBACK_MAX_LINKS", 2)
PORTAL_FEEDBACK_PHOTO_MAX_BYTES = envint("PORTAL_FEEDBACK_PHOTO_MAX_MB", 5) * 1024 * 1024
# Open data licence, stated in every download.
OPEN_DATA_LICENCE = os.environ.get("OPEN_DATA_LICENCE", "CC-BY-4.0")
OPEN_DATA_LICENCE_URL = os.environ.get("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jalin.api.authentication.TokenOrBearerAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "jalin.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["jalin.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jalin.api.errors.exception_handler",
    "DEFAULT_METADATA_CLASS": "jalin.lib.client.MethodsOnlyMetadata",  # OPTIONS never builds a serializer
    "DEFAULT_THROTTLE_CLASSES": [
        "jalin.lib.client.AnonRateThrottle",  # keyed by jalin.lib.client.client_ip
        "jalin.lib.client.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/minute"),
        "user": os.environ.get("API_USER_RATE", "600/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jalin API",
    "DESCRIPTION": "Regional cooperation agreements: public data and staff endpoints. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PATH_CONVERTER_OVERRIDES": {"id": int},
    "ENUM_NAME_OVERRIDES": {"PartnerTypeEnum": "jalin.partners.models.PartnerType"},
}

# --- Monitoring ---
# Reporting period in months (6 = semesters) and the days after a period ends before its report is overdue.
MONITORING_REPORT_PERIOD_MONTHS = envint("MONITORING_REPORT_PERIOD_MONTHS", 6)
MONITORING_REPORT_GRACE_DAYS = envint("MONITORING_REPORT_GRACE_DAYS", 30)
# N: an agreement in implementation with no verified report or evidence for this many days is dormant.
MONITORING_DORMANT_DAYS = envint("MONITORING_DORMANT_DAYS", 180)
# N: signed this many months ago with no obligation met and no evidence is "paper only".
MONITORING_PAPER_ONLY_MONTHS = envint("MONITORING_PAPER_ONLY_MONTHS", 6)
# X: an indicator more than this percent behind its pro-rata path is off track.
MONITORING_OFF_TRACK_PERCENT = envint("MONITORING_OFF_TRACK_PERCENT", 20)
MONITORING_EVIDENCE_MAX_BYTES = envint("MONITORING_EVIDENCE_MAX_MB", 15) * 1024 * 1024

# --- Reports and import ---
# Register import (jalin.imports): limits that keep a hostile or oversized file harmless.
IMPORT_MAX_MB = envint("IMPORT_MAX_MB", 10)
IMPORT_MAX_UNCOMPRESSED_MB = envint("IMPORT_MAX_UNCOMPRESSED_MB", 100)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 5000)
IMPORT_MAX_COLUMNS = envint("IMPORT_MAX_COLUMNS", 60)
IMPORT_MAX_ZIP_RATIO = envint("IMPORT_MAX_ZIP_RATIO", 100)  # a larger part may inflate at most this many times
IMPORT_MAX_SHARED_STRINGS_MB = envint("IMPORT_MAX_SHARED_STRINGS_MB", 20)
IMPORT_MAX_SHARED_STRINGS = envint("IMPORT_MAX_SHARED_STRINGS", 300_000)
# Reports and exports (jalin.reports): rows fetched per query when streaming the register,
# and how many agreements a report lists one by one before it summarises.
REPORTS_CHUNK_SIZE = envint("REPORTS_CHUNK_SIZE", 2000)
REPORTS_MAX_LISTED = envint("REPORTS_MAX_LISTED", 500)
# The same for a supervisor's report over several governments.
REPORTS_MAX_LISTED_SUPERVISOR = envint("REPORTS_MAX_LISTED_SUPERVISOR", 100)
# Days a finished report file stays downloadable.
REPORTS_KEEP_DAYS = envint("REPORTS_KEEP_DAYS", 7)
# An issued periodic report is due this many days after its period ends (a supervisor sees who is late).
REPORTS_ISSUE_DEADLINE_DAYS = envint("REPORTS_ISSUE_DEADLINE_DAYS", 30)
# WeasyPrint logs every layout step at INFO; keep the worker's log readable.
LOGGING["loggers"].update({"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}})

# --- Operations -----------------------------------------------------------------------
# Each switch below is off unless its environment variable is set; see docs/deploy.md.

# A clear 503 page (Indonesian and English) while the database is unreachable.
# Outside the session and user lookups, so that their failures are caught too.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "jalin.ops.middleware.DatabaseUnavailableMiddleware",
)
# /readyz shows which checks passed only to a local probe or one sending "Authorization: Bearer <READYZ_TOKEN>".
READYZ_TOKEN = os.environ.get("READYZ_TOKEN", "")
# Load balancers probe these over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Read replica: GET requests of the public portal and of reports read from it.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=envint("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).update(PG_CONNECTION_OPTIONS)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["jalin.ops.routers.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "jalin.ops.middleware.ReplicaRoutingMiddleware"
    )
REPLICA_NAMESPACES = envlist("REPLICA_NAMESPACES", "") or ["portal", "reports"]

# Sessions in Redis (shared by every app server) when REDIS_URL is set; in the database otherwise.
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = os.environ.get("SESSION_ENGINE") or "django.contrib.sessions.backends.cache"

# Documents on S3-compatible object storage (AWS S3, MinIO, ...) when a bucket is named.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": envint("DOCUMENT_URL_EXPIRE_SECONDS", 60),
        },
    }

# How an authorised document download is delivered, after the access check:
# "stream" (default: Django streams the bytes), "x-accel" (nginx sends the file named in
# X-Accel-Redirect from an `internal` location; local storage only), "redirect" (a
# short-lived signed URL of the object storage).
DOCUMENT_DOWNLOAD = os.environ.get("DOCUMENT_DOWNLOAD") or "stream"
if DOCUMENT_DOWNLOAD not in ("stream", "x-accel", "redirect"):
    raise ImproperlyConfigured("DOCUMENT_DOWNLOAD must be stream, x-accel or redirect.")
X_ACCEL_REDIRECT_PREFIX = os.environ.get("X_ACCEL_REDIRECT_PREFIX") or "/_protected/"

# --- Workflow and reminders ---
# Defaults of the rules the regulation leaves open; each government's admin can change them
# on the workflow settings page (stored per government in workflow.WorkflowSettings).
WORKFLOW_KSB_VALIDITY_MONTHS = envint("WORKFLOW_KSB_VALIDITY_MONTHS", 12)
WORKFLOW_DPRD_RESPONSE_DAYS = envint("WORKFLOW_DPRD_RESPONSE_DAYS", 30)
WORKFLOW_REPORTING_PERIOD_MONTHS = envint("WORKFLOW_REPORTING_PERIOD_MONTHS", 6)
WORKFLOW_TKKSD_REVIEW_DAYS = envint("WORKFLOW_TKKSD_REVIEW_DAYS", 14)
WORKFLOW_OFFER_RESPONSE_DAYS = envint("WORKFLOW_OFFER_RESPONSE_DAYS", 30)
WORKFLOW_DRAFTING_DAYS = envint("WORKFLOW_DRAFTING_DAYS", 30)
WORKFLOW_CENTRAL_APPROVAL_DAYS = envint("WORKFLOW_CENTRAL_APPROVAL_DAYS", 60)
# Folder of the DOCX templates of drafts (ksb.docx, pks.docx, ...); replace the files to change them.
WORKFLOW_DRAFT_TEMPLATES_DIR = Path(
    os.environ.get("WORKFLOW_DRAFT_TEMPLATES_DIR", BASE_DIR / "jalin" / "workflow" / "drafts")
)
REMINDER_EXPIRY_DAYS = os.environ.get("REMINDER_EXPIRY_DAYS", "180,90,30")
REMINDER_EXPIRY_OVERRIDES = os.environ.get("REMINDER_EXPIRY_OVERRIDES", "")
REMINDER_EXPIRY_STOP_AFTER_DAYS = envint("REMINDER_EXPIRY_STOP_AFTER_DAYS", 365)
REMINDER_ESCALATE_AFTER = envint("REMINDER_ESCALATE_AFTER", 3)
REMINDER_HOUR_UTC = envint("REMINDER_HOUR_UTC", 0)
# Evaluation due dates (docs/monitoring.md): at the end of each agreement year, and this many
# days before the end date, so that a renewal is decided on evidence.
EVALUATION_DUE_BEFORE_END_DAYS = envint("EVALUATION_DUE_BEFORE_END_DAYS", 120)
EVALUATION_YEARLY = envbool("EVALUATION_YEARLY", True)
# WhatsApp (docs/workflow.md): the console backend prints messages; in production use
# jalin.notifications.whatsapp.CloudAPIBackend (WhatsApp Business Cloud API, approved templates).
WHATSAPP_BACKEND = os.environ.get("WHATSAPP_BACKEND", "jalin.notifications.whatsapp.ConsoleBackend")
WHATSAPP_API_URL = os.environ.get("WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_TOKEN = os.environ.get("WHATSAPP_TOKEN", "")
WHATSAPP_TEMPLATE = os.environ.get("WHATSAPP_TEMPLATE", "jalin_handover")
WHATSAPP_WEBHOOK_VERIFY_TOKEN = os.environ.get("WHATSAPP_WEBHOOK_VERIFY_TOKEN", "")
WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "")
WHATSAPP_MAX_ATTEMPTS = envint("WHATSAPP_MAX_ATTEMPTS", 3)
WHATSAPP_RETRY_SECONDS = envint("WHATSAPP_RETRY_SECONDS", 120)
WHATSAPP_TIMEOUT_SECONDS = envint("WHATSAPP_TIMEOUT_SECONDS", 10)
# Hour (UTC) at which the worker recomputes every government's dashboard summary for the new
# day (17 = 00:00 WIB), so the first visitor of the day does not wait for it.
SUMMARY_REFRESH_HOUR_UTC = envint("SUMMARY_REFRESH_HOUR_UTC", 17)
