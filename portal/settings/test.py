"""Test settings: SQLite unless DATABASE_URL is set (CI sets PostgreSQL)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import LOGGING
from .env import env_str

DEBUG = False
# The demo network (manage.py seed_network), which production does not install.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["localhost", ".localhost", "testserver", "127.0.0.1"]
# On SQLite, the test database is a file (one per process, so parallel runs never share
# it), not Django's default in-memory database: the live server of the browser tests then
# serves each request on a connection of its own, as a real server does, and the tests
# see SQLite's locking as editors do (tests/browser/test_editing_browser.py). In memory,
# every live-server thread shares the test's one connection.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"rncrpv-test-{os.getpid()}.sqlite3")
    }
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The task worker the tests start (tests/task_worker.py) is told where to send mail.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "portal.storage.KeepNameInMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A test whose task worker (another process) reads the files the test uploaded points
# both at one folder (tests/test_publication_thumbnails.py).
if env_str("TEST_MEDIA_ROOT", ""):
    MEDIA_ROOT = env_str("TEST_MEDIA_ROOT")
    STORAGES["default"] = {
        "BACKEND": "portal.storage.KeepNameFileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
PORTAL_PORT = 80
# The whole-page cache is exercised by its own tests (tests/test_cache_pages.py), which
# turn it on; elsewhere a test reads the page it has just changed.
PAGE_CACHE_SECONDS = 0
# Beacons are stored in the request (tests read them at once); the queue's own tests
# turn it on against Redis. The site and page maps look at the content version every time.
STATS_QUEUE_URL = ""
STATS_MAP_REFRESH_SECONDS = 0
# Newsletters (docs/newsletter.md): no throttle and no wait before a retry unless a test
# (or the worker it starts, through the environment) asks for one.
NEWSLETTER_RATE = float(env_str("NEWSLETTER_RATE", "100000"))
NEWSLETTER_RETRY_SECONDS = float(env_str("NEWSLETTER_RETRY_SECONDS", "0"))
NEWSLETTER_BATCH = int(env_str("NEWSLETTER_BATCH", "50"))
# Every test runs in one process, where a change deletes the versions at once: held a
# minute, so that a slow run never turns a warm request into a version read.
CONTENT_VERSION_SECONDS = 60
# No warm-up after a commit (most tests never commit); tests/test_warmup.py turns it on.
PORTAL_WARMUP = ""
# Searches stored at once (the tests read QueryDay right after a search);
# tests/test_search_figures.py counts them in Redis and memory.
SEARCH_FIGURES_URL = ""
SEARCH_FIGURES_FLUSH_SECONDS = 0
