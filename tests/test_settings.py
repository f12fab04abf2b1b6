"""Configuration comes from the environment; production refuses to start insecurely.
Each case runs `manage.py` in a subprocess so that settings are read afresh."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "reseau-crpv.example.org,.reseau-crpv.example.org",
}


def manage(*args, env=None):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL"}
    }
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def shell(code, env):
    return manage("shell", "-v", "0", "-c", code, env=env)


def test_check_deploy_with_production_settings_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_defaults_to_a_sqlite_file_and_follows_database_url():
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])"
    )
    default = shell(code, {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "DATABASE_URL": ""})
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == ["django.db.backends.sqlite3", str(ROOT / "db.sqlite3")]
    pg = shell(
        code,
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "DATABASE_URL": "postgres://u@db.example:5432/portal",
        },
    )
    assert pg.stdout.split() == ["django.db.backends.postgresql", "portal"]


def test_redis_url_puts_the_cache_on_the_real_redis_server():
    # Talks to the Redis server running on this machine (127.0.0.1:6379), database 15.
    code = (
        "from django.core.cache import caches; cache = caches['default']; import uuid;"
        "k = 'probe-' + uuid.uuid4().hex;"
        "cache.set(k, 'ok', 30); import redis;"
        "r = redis.Redis.from_url('redis://127.0.0.1:6379/15');"
        "print(type(cache).__name__, cache.get(k), any(k in key.decode() for key in r.keys('*')))"
    )
    result = shell(
        code,
        {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "REDIS_URL": "redis://127.0.0.1:6379/15"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RedisCache", "ok", "True"]


def test_without_redis_url_the_cache_is_local_memory():
    code = "from django.core.cache import caches; print(type(caches['default']).__name__)"
    result = shell(code, {"DJANGO_SETTINGS_MODULE": "portal.settings.dev"})
    assert result.stdout.strip() == "LocMemCache"


@pytest.mark.parametrize("module", ["dev", "test", "production"])
def test_interface_is_french_with_paris_time(module):
    env = dict(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE=f"portal.settings.{module}")
    code = "from django.conf import settings; print(settings.LANGUAGE_CODE, settings.TIME_ZONE)"
    result = shell(code, env)
    assert result.stdout.split() == ["fr", "Europe/Paris"]
