"""Development: runs with nothing configured (SQLite, local media, database search)."""

from .base import *  # noqa: F403
from .env import env_list, env_str

DEBUG = True
# The demo network (manage.py seed_network), which production does not install.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
# Browsers resolve *.localhost to the loopback address, so every centre site works
# locally as <slug>.localhost.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", ".localhost", "127.0.0.1", "[::1]"])
PORTAL_PORT = int(env_str("PORTAL_PORT", "8000"))
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Templates and code change under a developer's hands: no whole-page cache (set
# PAGE_CACHE_SECONDS to try it).
PAGE_CACHE_SECONDS = int(env_str("PAGE_CACHE_SECONDS", "0"))
