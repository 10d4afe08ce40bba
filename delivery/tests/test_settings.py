"""Settings load in both configurations and production refuses to run unsafely."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'broker': s.CELERY_BROKER_URL, "
    "'results': s.CELERY_RESULT_BACKEND, 'tz': s.TIME_ZONE, 'lang': s.LANGUAGE_CODE, 'debug': s.DEBUG}))"
)


def run_python(code: str, *, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base["DELIVERY_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_settings_default_is_sqlite_and_filesystem_broker(tmp_path):
    result = run_python(PRINT_SETTINGS, env={"DJANGO_SETTINGS_MODULE": "delivery.settings.base"}, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded == {
        "engine": "django.db.backends.sqlite3",
        "broker": "filesystem://",
        "results": f"file://{tmp_path / 'celery' / 'results'}",
        "tz": "Asia/Shanghai",
        "lang": "zh-hans",
        "debug": True,
    }
    # The development secret key is generated once and kept.
    assert (tmp_path / "secret_key").stat().st_size > 40


def test_settings_from_environment_use_postgresql_and_redis(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "delivery.settings.base",
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/example",
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "DEBUG": "false",
    }
    result = run_python(PRINT_SETTINGS, env=env, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "engine": "django.db.backends.postgresql",
        "broker": "redis://127.0.0.1:6379/3",
        "results": "redis://127.0.0.1:6379/3",
        "tz": "Asia/Shanghai",
        "lang": "zh-hans",
        "debug": False,
    }


def test_production_settings_refuse_to_start_without_secret_key(tmp_path):
    result = run_python(
        PRINT_SETTINGS, env={"DJANGO_SETTINGS_MODULE": "delivery.settings.production"}, tmp_path=tmp_path
    )

    assert result.returncode == 1
    assert "SECRET_KEY must be set in the environment for production." in result.stderr


@pytest.mark.slow
def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "delivery.settings.production",
        "SECRET_KEY": "x7$Kp2!vQ9z@Lm4#Rt8&Wn1^Yb6*Hc3(Jd5)Fg0-Se9+Ua2=Xi7_Oe4",
        "FIELD_ENCRYPTION_KEYS": "tZ6Ew9dOQ0nYk8Q8pLq3m8u2yVqg7Vb9zQ2c6xR0aHs=",
        "ALLOWED_HOSTS": "delivery.example.com",
    }
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = run_python(code, env=env, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_settings_refuse_to_start_without_encryption_keys(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "delivery.settings.production", "SECRET_KEY": "k" * 50}
    result = run_python(PRINT_SETTINGS, env=env, tmp_path=tmp_path)

    assert result.returncode == 1
    assert "FIELD_ENCRYPTION_KEYS must be set in the environment for production." in result.stderr


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "delivery.settings.production",
    "SECRET_KEY": "k" * 50,
    "FIELD_ENCRYPTION_KEYS": "tZ6Ew9dOQ0nYk8Q8pLq3m8u2yVqg7Vb9zQ2c6xR0aHs=",
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/example",
}
PRINT_SPEED_AND_MEDIA = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; print(json.dumps({'age': db['CONN_MAX_AGE'], "
    "'checks': db['CONN_HEALTH_CHECKS'], 'sessions': s.SESSION_ENGINE, 'media': s.STORAGES['default'], "
    "'static': s.STORAGES['staticfiles']['BACKEND']}))"
)


def test_production_keeps_checked_database_connections_and_cached_sessions(tmp_path):
    result = run_python(PRINT_SPEED_AND_MEDIA, env=PRODUCTION, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "age": 60,
        "checks": True,
        "sessions": "django.contrib.sessions.backends.cached_db",
        "media": {"BACKEND": "delivery.storage.WriteOnceFileSystemStorage"},
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }


def test_media_storage_s3_is_chosen_by_environment(tmp_path):
    env = {
        **PRODUCTION,
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": "delivery-media",
        "S3_ENDPOINT_URL": "https://minio.example.com:9000",
        "S3_ACCESS_KEY_ID": "AKEXAMPLE",
        "S3_SECRET_ACCESS_KEY": "secret-example",
        "CONN_MAX_AGE": "30",
    }
    result = run_python(PRINT_SPEED_AND_MEDIA, env=env, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["age"] == 30
    assert loaded["media"] == {
        "BACKEND": "delivery.storage.WriteOnceS3Storage",
        "OPTIONS": {
            "bucket_name": "delivery-media",
            "endpoint_url": "https://minio.example.com:9000",
            "access_key": "AKEXAMPLE",
            "secret_key": "secret-example",
            "region_name": None,
            "location": "",
            "addressing_style": "path",
        },
    }


def test_production_refuses_s3_media_without_a_bucket(tmp_path):
    result = run_python(PRINT_SPEED_AND_MEDIA, env={**PRODUCTION, "MEDIA_STORAGE": "s3"}, tmp_path=tmp_path)

    assert result.returncode == 1
    assert "S3_BUCKET must be set when MEDIA_STORAGE=s3." in result.stderr


def test_unknown_media_storage_is_refused(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "delivery.settings.base", "MEDIA_STORAGE": "ftp"}
    result = run_python(PRINT_SPEED_AND_MEDIA, env=env, tmp_path=tmp_path)

    assert result.returncode == 1
    assert "MEDIA_STORAGE must be 'local' or 's3', not 'ftp'." in result.stderr
