"""Benchmark settings (`make bench`, see bench/README.md): production behaviour, runnable
on a developer's machine. Same middleware (WhiteNoise), manifest static files, DEBUG off
and caches as production; only what cannot work locally changes: a fixed secret key,
*.localhost hosts, no HTTPS redirect, and a throw-away database of its own.

Only these settings install the `bench` app (the bare Wagtail page used as baseline), so
the project's migrations stay clean under every other settings module."""

import os

# production.py insists on a SECRET_KEY from the environment; the bench has no secret.
os.environ.setdefault("SECRET_KEY", "bench-only-insecure-key")

from .database import database_from_url  # noqa: E402
from .env import env_str  # noqa: E402
from .production import *  # noqa: E402, F403
from .production import BASE_DIR, INSTALLED_APPS  # noqa: E402

SECRET_KEY = "bench-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1", "testserver"]
# The sites are seeded on <slug>.localhost:PORTAL_PORT; the load generator sends
# `Host: <slug>.localhost` whatever port the server listens on.
PORTAL_DOMAIN = "localhost"
PORTAL_PORT = int(env_str("PORTAL_PORT", "80"))

# Plain HTTP on loopback: no redirect to HTTPS (HSTS and secure cookies stay: anonymous
# page views set no cookie, and HSTS is only sent over HTTPS).
SECURE_SSL_REDIRECT = False

BENCH_DIR = BASE_DIR / "bench-results"

# A database of its own, wiped by every run: DATABASE_URL (PostgreSQL) or a SQLite file.
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
    )
}

# collectstatic writes here (manifest + compressed copies, as in production).
STATIC_ROOT = BENCH_DIR / "static"
MEDIA_ROOT = BENCH_DIR / "media"

# The demo network is what the bench seeds on (production settings leave it out).
INSTALLED_APPS = [*INSTALLED_APPS, "demo", "bench"]

# Without REDIS_URL the cache is per process (LocMemCache), whose default 300 entries
# would evict a calendar's 500 cached VEVENTs while it is written: room for them.
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):  # noqa: F405
    CACHES["default"] = {**CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 20000}}  # noqa: F405

# Deployment issue: the page cache only for targets whose address has `?cache`, and the
# constant-response ceiling at /bench-ceiling/ (portal.benchmarking).
MIDDLEWARE = [
    "portal.benchmarking.BenchPageCacheMiddleware"
    if name == "portal.middleware.PageCacheMiddleware"
    else name
    for name in MIDDLEWARE
]  # noqa: F405
ROOT_URLCONF = "portal.benchmarking"
PAGE_CACHE_SECONDS = 300
