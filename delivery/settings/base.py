"""Settings shared by every configuration. Values that vary come from delivery.settings.env."""

from __future__ import annotations

from datetime import timedelta

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import (
    BASE_DIR,
    VAR_DIR,
    development_encryption_keys,
    development_secret_key,
    env_bool,
    env_int,
    env_list,
    env_str,
)

SECRET_KEY = env_str("SECRET_KEY") or development_secret_key()
DEBUG = env_bool("DEBUG", default=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "delivery.admin_site.DeliveryAdminConfig",  # django.contrib.admin, picking people by full name
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_fsm",
    "django_fsm_log",
    "accounts.signin_protection.SignInProtectionConfig",
    "csp",
    "delivery",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "notifications",
    "deadlines",
    "projects",
    "sealing",
    "documents",
    "changes",
    "golive",
    "support",
    "api",
    "feeds",
    "bots",
    "dossier",
    "doctemplates",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "delivery.middleware.LanguageByChoiceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionIdleMiddleware",
    "accounts.middleware.StepUpEffectsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it answers for a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "delivery.urls"
WSGI_APPLICATION = "delivery.wsgi.application"

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
                "delivery.context_processors.site",
            ],
            # Filters every template uses without loading them: {{ user|display_name }}.
            "builtins": ["delivery.templatetags.people"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'delivery.sqlite3'}"
# Persistent connections (production keeps them 60 s by default) are checked before each request
# reuses one, so a restarted database costs one failed check, not one failed request.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0), conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks for a lockout before the password is tried, then the usual backend signs in.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Sessions are read from the cache (Redis in production) and written through to the database, so
# a page costs no session query and a flushed cache logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded evidence, attachments and sealed PDFs: written once, never replaced (delivery/storage.py).
# Local files by default; MEDIA_STORAGE=s3 keeps them in an S3-compatible bucket shared by every
# web and worker machine.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "s3":
    MEDIA_BACKEND = {
        "BACKEND": "delivery.storage.WriteOnceS3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "region_name": env_str("S3_REGION") or None,
            "location": env_str("S3_PREFIX"),
            # MinIO and most self-hosted stores want path-style addresses; AWS takes either.
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
        },
    }
elif MEDIA_STORAGE == "local":
    MEDIA_BACKEND = {"BACKEND": "delivery.storage.WriteOnceFileSystemStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "交付管理 <delivery@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------
# Queues, routes, time limits and the reasons for the redelivery numbers: delivery/celery.py.
REDIS_URL = env_str("REDIS_URL")
CELERY_FS_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        "visibility_timeout": 300,
        # A frozen or unreachable Redis costs seconds, never a gunicorn worker's 60.
        "socket_timeout": 5,
        "socket_connect_timeout": 3,
    }
    CELERY_REDIS_SOCKET_TIMEOUT = 5
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 3
else:
    # Zero-setup default: Kombu's filesystem transport, so no Redis is needed.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_RESULT_BACKEND = f"file://{CELERY_FS_DIR / 'results'}"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_DIR / "queue"),
        "data_folder_out": str(CELERY_FS_DIR / "queue"),
        "control_folder": str(CELERY_FS_DIR / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The beat schedule lives in code (delivery/celery.py collects each app's entries).
CELERY_BEAT_SCHEDULE: dict = {}
# The outbox (delivery/effects.py): web processes publish committed effects from a background
# thread, off the request's path.
EFFECTS_PUBLISH_IN_BACKGROUND = env_bool("EFFECTS_PUBLISH_IN_BACKGROUND", default=True)

# --- Security headers (tightened further in production) -------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Same-origin only (users sit behind firewalls), sent by django-csp. CSP_REPORT_ONLY sends the
# policy as Content-Security-Policy-Report-Only instead (to try a change); CSP_REPORT_URI names
# where browsers report violations.
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
if env_str("CSP_REPORT_URI"):
    _CSP_DIRECTIVES["report-uri"] = [env_str("CSP_REPORT_URI")]
_csp_report_only = env_bool("CSP_REPORT_ONLY")
CONTENT_SECURITY_POLICY = None if _csp_report_only else {"DIRECTIVES": _CSP_DIRECTIVES}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES} if _csp_report_only else None

SITE_NAME = _("Delivery projects")
# Where links in e-mails point to.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; lockouts are WARNING and still show.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Serve static files from the app folders in development and tests; production serves the
# collected, hashed files.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Signed PDFs (SPEC §3) ------------------------------------------------------------------
# The vendor organisation's certificate and key, as a PKCS#12 file. Development: created by
# `python manage.py signing_cert create`; production: a file issued by a CA, with its password.
SIGNING_PKCS12_PATH = env_str("SIGNING_PKCS12_PATH") or str(VAR_DIR / "signing" / "organization.p12")
SIGNING_PKCS12_PASSWORD = env_str("SIGNING_PKCS12_PASSWORD")
# RFC 3161 timestamp authority: when set, every seal carries a timestamp and its validation
# data (PAdES B-LT); without it, B-B. SIGNING_TSA_ROOTS: PEM file of the TSA's root certificates.
SIGNING_TSA_URL = env_str("SIGNING_TSA_URL")
SIGNING_TSA_ROOTS = env_str("SIGNING_TSA_ROOTS")
SIGNING_TSA_TIMEOUT = env_int("SIGNING_TSA_TIMEOUT", 10)
# Fetch CRLs/OCSP for the long-term validation data (a CA-issued certificate publishes them).
SIGNING_FETCH_REVOCATION = env_bool("SIGNING_FETCH_REVOCATION", default=False)

# --- Cache (rate limits, the calendar version) ----------------------------------------------
# Shared by every process: Redis when configured, otherwise files under var/. Only hints live
# there: every use goes through delivery/cache.py, which answers a miss when the cache is down.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Read pages kept in the cache while the database is unchanged (delivery/pagecache.py): at most
# this many seconds, which bounds what depends on the clock alone. 0 turns it off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)

# --- Client address and abuse limits -------------------------------------------------------
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks, comma-separated);
# see delivery/client_address.py. Every limit and every audit record uses that client address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Sign-in (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one account, or from one
# client address, sign-in is refused for LOGIN_COOLOFF_MINUTES; an admin unlocks earlier by
# deleting the access attempt in the admin (or `manage.py axes_reset_username NAME`).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "delivery.client_address.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Step-up checks (signing, revealing a stored password): after STEPUP_FAILURE_LIMIT wrong
# passwords or codes the user's step-ups are locked for STEPUP_LOCK_MINUTES (accounts/stepup.py).
STEPUP_FAILURE_LIMIT = env_int("STEPUP_FAILURE_LIMIT", 5)
STEPUP_LOCK_MINUTES = env_int("STEPUP_LOCK_MINUTES", 30)

# Sessions end after SESSION_IDLE_HOURS without a request (accounts.middleware.SessionIdleMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 12) * 60 * 60

# --- Uploads --------------------------------------------------------------------------------
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Evidence and attachments: documents, images, archives that customers actually send.
UPLOAD_ALLOWED_EXTENSIONS = [
    *("pdf", "png", "jpg", "jpeg", "txt", "zip"),
    *("doc", "docx", "xls", "xlsx", "pptx"),
    *("eml", "msg"),  # confirmations received by e-mail (SPEC §2)
]

# --- Stored secrets -------------------------------------------------------------------------
# Comma-separated Fernet keys, newest first (see delivery/crypto.py).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS") or development_encryption_keys()

# ERP method, final acceptance: "about one month of stable operation" after go-live, counted in
# working days (a calendar month holds about 22).
FINAL_ACCEPTANCE_STABLE_WORKING_DAYS = env_int("FINAL_ACCEPTANCE_STABLE_WORKING_DAYS", 22)

# --- REST API (api/) ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_RATE_LIMIT", "1000/hour")},
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Delivery projects API",
    "DESCRIPTION": "Projects, deliverables, deadlines, change letters, problems and support requests; "
    "the same access rules and validation as the pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files (drf-spectacular-sidecar): no CDN behind firewalls.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ChangeKindEnum": "changes.enums.ChangeKind",
        "ChangeEventKindEnum": "changes.enums.ChangeEventKind",
        "ChangeStateEnum": "changes.enums.ChangeState",
        "VersionStateEnum": "documents.enums.VersionState",
        "SupportRequestStateEnum": "support.enums.RequestState",
        "SideEnum": "projects.enums.Side",
    },
}
