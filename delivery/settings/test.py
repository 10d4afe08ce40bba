"""Test settings: the same configuration as development, made fast and self-contained."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process unless a test starts a real worker (see delivery/tests/test_celery.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Effects are published in the committing thread, so a test sees their result at once.
EFFECTS_PUBLISH_IN_BACKGROUND = False
STORAGES = {
    "default": {"BACKEND": "delivery.storage.WriteOnceInMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages are drawn on every request in tests; delivery/tests/test_pagecache.py turns keeping on.
PAGE_CACHE_SECONDS = 0
# Query-count tests count the session read of the database engine; production's cached_db
# engine (base.py) is tested on its own in delivery/tests/test_sessions.py.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
