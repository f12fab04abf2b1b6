"""Settings shared by every environment. Values that differ per deployment come from
the environment (see README); dev, test and production only adjust this base."""

from pathlib import Path

import dj_database_url

from django.utils.translation import gettext_lazy as _

from .env import env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PORTAL_DIR = BASE_DIR / "portal"

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])

# The national portal answers on PORTAL_DOMAIN and each centre on <slug>.PORTAL_DOMAIN;
# the seed command uses these to create the Wagtail sites.
PORTAL_DOMAIN = env_str("PORTAL_DOMAIN", "localhost")
PORTAL_PORT = int(env_str("PORTAL_PORT", "80"))

INSTALLED_APPS = [
    # Our apps first so their templates (404, base layout) win over the defaults.
    "portal",
    "centres",
    "home",
    "agenda",
    "publications",
    "search",
    "showcase",
    "stats",
    "interop",
    "demo",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PORTAL_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.network",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# SQLite file by default so the portal runs with nothing installed; DATABASE_URL
# (postgres://...) in production and CI.
# An empty DATABASE_URL counts as unset.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # Wagtail's PostgreSQL search backend needs it for its full-text tables.
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "rncrpv",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PORTAL_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [PORTAL_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

STORAGES = {
    "default": {"BACKEND": "portal.storage.KeepNameFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Search (docs/search.md): the database backend with French matching (PostgreSQL's
# french_unaccent configuration, accent folding and prefixes on SQLite); with SEARCH_URL,
# OpenSearch answers public searches and the database stays indexed as its fallback.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}
SEARCH_URL = env_str("SEARCH_URL")
if SEARCH_URL:
    WAGTAILSEARCH_BACKENDS["external"] = {
        "BACKEND": "search.backends.opensearch", "URLS": [SEARCH_URL],
        "INDEX_PREFIX": env_str("SEARCH_INDEX_PREFIX", "rncrpv_"), "TIMEOUT": 5,
        "OPTIONS": {"max_retries": 0},
    }

# Audience statistics behind a reverse proxy: the META key of the header it sets with the
# visitor's address, e.g. HTTP_X_FORWARDED_FOR (docs/statistics.md).
STATS_CLIENT_IP_HEADER = env_str("STATS_CLIENT_IP_HEADER", "")

# S3 media (django-storages) is wired by the deployment issue; these names are reserved.
S3_BUCKET = env_str("S3_BUCKET")

WAGTAIL_SITE_NAME = "Réseau national des CRPV"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAIL_I18N_ENABLED = False
# The admin is French for every user, whatever their browser asks for; English for the
# public national pages comes with the translation issue (wagtail-localize).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.documents.DocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "odp", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "csv", "txt", "zip", "epub"]
# Centre editors must not see each other's work: no shared "all pages" workflow view.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False

LOGIN_URL = "wagtailadmin_login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"kv": {"format": "level=%(levelname)s logger=%(name)s msg=%(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail logs every page action and background task at INFO: too chatty for stdout.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

PORTAL_NAME = _("Réseau national des centres de ressources politique de la ville")
