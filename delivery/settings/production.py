"""Production settings: gunicorn behind TLS, PostgreSQL, Redis. Refuses to start without a key."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set in the environment for production.")

DEBUG = env_bool("DEBUG", default=False)
# Keep database connections for a minute (health-checked before reuse, see base.py): a new
# PostgreSQL connection per request costs more than most pages' own queries.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)  # noqa: F405
if MEDIA_STORAGE == "s3" and not env_str("S3_BUCKET"):  # noqa: F405
    raise ImproperlyConfigured("S3_BUCKET must be set when MEDIA_STORAGE=s3.")
# Hashed names, compressed copies, and WhiteNoise serves them with a year's immutable Cache-Control.
STORAGES = {
    "default": MEDIA_BACKEND,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
