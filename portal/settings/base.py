"""Settings shared by every environment. Values that differ per deployment come from
the environment (see README); dev, test and production only adjust this base."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .database import database_from_url
from .env import env_bool, env_choice, env_list, env_str

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
    "offers",
    "search",
    "showcase",
    "stats",
    "interop",
    "newsletter",
    "registrations",
    # The network's real bootstrap (manage.py bootstrap_network). The demo content
    # (`demo`, manage.py seed_network) is installed by the dev, test and bench settings
    # only: production never has it.
    "network",
    "wagtail.contrib.settings",
    # Translations (docs/i18n.md): wagtail-localize's editor, and its locale management
    # in the admin (in place of wagtail.locales).
    "wagtail_localize",
    "wagtail_localize.locales",
    # Deployment (docs/deployment.md): sitemaps per site, CDN purge, CSP, login throttling.
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "csp",
    "axes",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.contrib.table_block",
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
    # The task queue (docs/tasks.md): Django's task framework (backport) and its
    # database backend, whose table holds the queue.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Speed: the page cache first, so that a cached page costs no other middleware's
    # work (the headers of those below are stored with the page: security, CSP, ETag).
    "portal.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Deployment: the CSP header on every answer, cached or not.
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Conditional requests: an ETag on every answer with a body, 304 to If-None-Match
    # and If-Modified-Since (pages, feeds, the API); a cached hit answers them itself.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Translations: the language comes from the URL alone (/en/... English, anything
    # else French), never from the browser, so the admin and French pages stay French.
    "portal.i18n.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Deployment: admin uploads that the storage refuses (S3 down, disk full) give a
    # message, not a 500; axes last, as its documentation asks.
    "portal.middleware.StorageErrorMiddleware",
    "axes.middleware.AxesMiddleware",
    # Speed: a page's route remembered per content version (one query instead of two
    # per URL level); Wagtail's serve view still serves it (portal/routing.py).
    "portal.routing.RouteCacheMiddleware",
    # Editors' input: an admin write request is one transaction, so a failure leaves no
    # half-created page behind (portal/admin_writes.py). Last, so it wraps the view only.
    "portal.admin_writes.AtomicAdminWritesMiddleware",
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

# SQLite file by default so the portal runs with nothing installed (WAL, immediate
# transactions and a lock timeout: settings/database.py); DATABASE_URL
# (postgres://...) in production and CI.
# An empty DATABASE_URL counts as unset.
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # Wagtail's PostgreSQL search backend needs it for its full-text tables.
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Deployment: caches ---------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Seconds to connect to Redis and to wait for each answer (the page cache and the
# statistics queue): Redis answers in well under a millisecond, so a hung Redis adds at
# most this to a page or a beacon, then is left alone a few seconds (portal.circuit).
REDIS_CONNECT_TIMEOUT = float(env_str("REDIS_CONNECT_TIMEOUT", "0.1"))
REDIS_TIMEOUT = float(env_str("REDIS_TIMEOUT", "0.1"))
# Every key the portal writes in Redis starts with this (the page cache, the beacons'
# queue, the search figures): two portals (staging and production, or two test servers)
# can share one Redis server.
REDIS_KEY_PREFIX = env_str("REDIS_KEY_PREFIX", "rncrpv")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that answers "not cached" while Redis is down or slow.
            "BACKEND": "portal.cache_backends.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole pages for anonymous visitors (portal.middleware.PageCacheMiddleware): seconds in
# the server's cache and a CDN's (s-maxage), and in browsers (max-age). 0 turns it off.
PAGE_CACHE_SECONDS = int(env_str("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_BROWSER_SECONDS = int(env_str("PAGE_CACHE_BROWSER_SECONDS", "60"))
# Answers never cached whole: the admin, documents (permission checks, signed
# redirects), the statistics beacon, the health check.
PAGE_CACHE_EXCLUDED_PREFIXES = [
    "/admin/",
    "/documents/",
    "/stats/",
    "/health/",
    "/static/",  # WhiteNoise (after the page cache in production's MIDDLEWARE)
    "/media/",
]
# Answers that show the whole network whatever the site: cached under the content
# version, which any publication bumps, rather than under their site's version.
PAGE_CACHE_NETWORK_PREFIXES = [
    "/recherche/",
    "/en/recherche/",
    "/evenement/",
    "/publication/",
    "/en/evenement/",
    "/en/publication/",
    "/api/",
    "/oai/",
]
# Seconds a process may keep the content and site versions read from the cache or the
# database (portal.cache): a change deletes them from the shared cache at once, so this
# only bounds a per-process cache (LocMemCache) or a read that raced a commit.
CONTENT_VERSION_SECONDS = int(env_str("CONTENT_VERSION_SECONDS", "1"))
# After a publication is committed, the search's table and each concerned site's main
# pages are rebuilt off the request path (portal.warmup): "thread" (a background thread),
# "inline" (in the publishing request, after the commit) or "" (the next visitor pays).
PORTAL_WARMUP = env_str("PORTAL_WARMUP", "thread")
WARMUP_PATHS = ["/", "/agenda/", "/ressources/", "/recherche/"]

# A CDN in front (optional): Wagtail purges a page's URLs when it is published,
# unpublished or moved. FRONTEND_CACHE=cloudflare (CLOUDFLARE_BEARER_TOKEN,
# CLOUDFLARE_ZONEID) or http (FRONTEND_CACHE_URL: Varnish, nginx with a PURGE handler).
FRONTEND_CACHE = env_str("FRONTEND_CACHE")
# Seconds a purge waits to connect and for each answer (portal.cdn), then the CDN is
# left alone 30 s: a hung CDN adds at most this to a publication.
FRONTEND_CACHE_TIMEOUT = float(env_str("FRONTEND_CACHE_TIMEOUT", "0.5"))
if FRONTEND_CACHE == "cloudflare":
    WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "portal.cdn.CloudflareBackend",
            "BEARER_TOKEN": env_str("CLOUDFLARE_BEARER_TOKEN"),
            "ZONEID": env_str("CLOUDFLARE_ZONEID"),
        }
    }
elif FRONTEND_CACHE == "http":
    WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "portal.cdn.HTTPBackend",
            "LOCATION": env_str("FRONTEND_CACHE_URL"),
        }
    }
# --- end of caches ----------------------------------------------------------------

# --- Deployment: accounts ---------------------------------------------------------
# Editors' accounts publish under a public body's name: 12 characters at least.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): after 5 failures for one user name from one address,
# that pair is locked out for 15 minutes, and after 20 failures from one address (any
# user names: a few passwords tried on many accounts), that address; attempts are kept
# in the database, shared by every process. The client's address is portal.client's.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(env_str("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = "portal.lockout.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/lockout.html"
AXES_CLIENT_IP_CALLABLE = "portal.client.client_address"
# Client addresses (portal.client): the reverse proxies whose X-Forwarded-For entries
# are believed, e.g. TRUSTED_PROXIES=127.0.0.1,::1 for nginx on this machine. Empty: the
# header is ignored. BEHIND_PROXY=1 (or STATS_CLIENT_IP_HEADER), the older settings,
# mean the loopback.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
TRUSTED_PROXIES = env_list(
    "TRUSTED_PROXIES",
    ["127.0.0.1", "::1"] if BEHIND_PROXY or env_str("STATS_CLIENT_IP_HEADER") else [],
)
# --- end of accounts --------------------------------------------------------------

# Outgoing mail (production sets the SMTP server): seconds to connect and for each answer
# (Django's EMAIL_TIMEOUT waits forever when unset); after a failure the server is left
# alone a few seconds (portal.mail), so a hung server costs one timeout, not one per mail.
EMAIL_TIMEOUT = float(env_str("EMAIL_TIMEOUT", "5"))

# Background tasks (portal/tasks.py, docs/tasks.md). "default" is Wagtail's own work
# (reference and search index, focal points, CDN purges): immediate, in the request, as
# before. "background" is the portal's: newsletters, confirmation mails. TASKS_BACKEND:
# `database` (django-tasks-db: a queue table in the portal's database, SQLite or
# PostgreSQL, run by `manage.py task_worker`) or `immediate` (run in the request, no
# worker: a one-off script, never for newsletters).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": env_choice("TASKS_BACKEND", TASK_BACKENDS, "database")},
}

# Newsletters (docs/newsletter.md): sender, throttle per worker, retries of temporary
# failures (doubled each time), confirmation links' lifetime, public form rate limits.
NEWSLETTER_FROM_EMAIL = env_str("NEWSLETTER_FROM_EMAIL", "")
NEWSLETTER_RATE = float(env_str("NEWSLETTER_RATE", "10"))  # mails a second per worker
NEWSLETTER_BATCH = int(env_str("NEWSLETTER_BATCH", "50"))
NEWSLETTER_RETRY_SECONDS = float(env_str("NEWSLETTER_RETRY_SECONDS", "300"))
NEWSLETTER_MAX_ATTEMPTS = int(env_str("NEWSLETTER_MAX_ATTEMPTS", "5"))
NEWSLETTER_CONFIRM_DAYS = int(env_str("NEWSLETTER_CONFIRM_DAYS", "7"))
NEWSLETTER_LIMIT_PER_CLIENT = int(env_str("NEWSLETTER_LIMIT_PER_CLIENT", "20"))  # an hour
NEWSLETTER_LIMIT_PER_ADDRESS = int(env_str("NEWSLETTER_LIMIT_PER_ADDRESS", "3"))  # an hour

# Event registrations (docs/registrations.md): registrants' details erased this many days
# after the event (only counts by profile and territory stay), public form rate limits.
REGISTRATIONS_KEEP_DAYS = int(env_str("REGISTRATIONS_KEEP_DAYS", "365"))
REGISTRATIONS_LIMIT_PER_CLIENT = int(env_str("REGISTRATIONS_LIMIT_PER_CLIENT", "30"))  # an hour
REGISTRATIONS_LIMIT_PER_ADDRESS = int(env_str("REGISTRATIONS_LIMIT_PER_ADDRESS", "5"))  # an hour

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PORTAL_DIR / "locale"]

STATIC_URL = "/static/"
# Where collectstatic writes (production serves it through WhiteNoise).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "static")))
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
# Seconds to connect to the search server and to wait for its answer to a search or to
# the indexing of a page being published (a hung server adds at most this, once, then is
# left alone 30 s: search.engine); `update_index`'s index creation and bulk indexing wait
# up to SEARCH_MAINTENANCE_TIMEOUT.
SEARCH_CONNECT_TIMEOUT = float(env_str("SEARCH_CONNECT_TIMEOUT", "0.5"))
SEARCH_TIMEOUT = float(env_str("SEARCH_TIMEOUT", "0.8"))
SEARCH_MAINTENANCE_TIMEOUT = float(env_str("SEARCH_MAINTENANCE_TIMEOUT", "60"))
if SEARCH_URL:
    WAGTAILSEARCH_BACKENDS["external"] = {
        "BACKEND": "search.backends.opensearch",
        "URLS": [SEARCH_URL],
        "INDEX_PREFIX": env_str("SEARCH_INDEX_PREFIX", "rncrpv_"),
        "CONNECT_TIMEOUT": SEARCH_CONNECT_TIMEOUT,
        "TIMEOUT": SEARCH_TIMEOUT,
        "MAINTENANCE_TIMEOUT": SEARCH_MAINTENANCE_TIMEOUT,
        "OPTIONS": {"max_retries": 0},
    }

# Audience statistics: the visitor's address is portal.client's (TRUSTED_PROXIES). Beyond
# this many user agents from one address in a day, its beacons are still counted as page
# views but no longer as new visitors (docs/statistics.md).
STATS_AGENTS_PER_ADDRESS = int(env_str("STATS_AGENTS_PER_ADDRESS", "20"))
# Page views are queued in this Redis (stats.queue) and inserted in batches every
# STATS_FLUSH_SECONDS; empty: one INSERT per beacon (development without Redis).
STATS_QUEUE_URL = env_str("STATS_QUEUE_URL", REDIS_URL or "")
STATS_FLUSH_SECONDS = float(env_str("STATS_FLUSH_SECONDS", "0.5"))
# Searches are counted in this Redis (search.figures) and stored by the
# flush_search_figures job; empty: counted in memory and stored by the first search
# after SEARCH_FIGURES_FLUSH_SECONDS (no database write per search either way).
SEARCH_FIGURES_URL = env_str("SEARCH_FIGURES_URL", STATS_QUEUE_URL)
SEARCH_FIGURES_FLUSH_SECONDS = float(env_str("SEARCH_FIGURES_FLUSH_SECONDS", "60"))
# How often each process checks the content version to forget its map of sites and
# live pages (stats.maps): a page unpublished elsewhere is counted for at most this long.
STATS_MAP_REFRESH_SECONDS = float(env_str("STATS_MAP_REFRESH_SECONDS", "1"))

# --- Deployment: media on S3 (django-storages) when S3_BUCKET is set ----------------
# Local files otherwise. Images and renditions have plain URLs (through S3_CUSTOM_DOMAIN
# when set: a CDN or the bucket's public host); documents are private in the bucket and
# served by Wagtail, which checks a document's collection restrictions and redirects to
# a signed URL valid S3_SIGNED_URL_SECONDS (portal.s3.KeepNameS3Storage).
S3_BUCKET = env_str("S3_BUCKET")
# Seconds to connect to S3 and to wait for each of its answers, one attempt (portal.s3):
# a hung S3 fails an upload with its message in under 5 s, then is left alone 5 s.
S3_CONNECT_TIMEOUT = float(env_str("S3_CONNECT_TIMEOUT", "1"))
S3_READ_TIMEOUT = float(env_str("S3_READ_TIMEOUT", "2"))
if S3_BUCKET:
    from botocore.config import Config as S3ClientConfig

    STORAGES["default"] = {
        "BACKEND": "portal.s3.KeepNameS3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL"),
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "region_name": env_str("S3_REGION"),
            "custom_domain": env_str("S3_CUSTOM_DOMAIN"),
            "url_protocol": env_str("S3_URL_PROTOCOL", "https:"),
            "querystring_expire": int(env_str("S3_SIGNED_URL_SECONDS", "300")),
            "file_overwrite": False,
            "default_acl": None,
            # Renditions get a public-read ACL; S3_PUBLIC_ACL=0 for a bucket that
            # refuses ACLs (then a bucket policy makes images/* public, see the docs).
            "public_acl": env_bool("S3_PUBLIC_ACL", True),
            # Timeouts and retries: portal.s3 adds S3_CONNECT_TIMEOUT, S3_READ_TIMEOUT
            # and a single attempt to this configuration.
            "client_config": S3ClientConfig(
                signature_version="s3v4",
                s3={"addressing_style": env_str("S3_ADDRESSING_STYLE", "auto")},
            ),
        },
    }
    WAGTAILDOCS_SERVE_METHOD = "redirect"
# --- end of S3 media ----------------------------------------------------------------


# --- Deployment: Content-Security-Policy (django-csp, portal.middleware) -------------
# The public site runs no inline script and loads nothing from elsewhere but media
# (CSP_MEDIA_HOSTS: the S3 custom domain or endpoint) and video embeds (CSP_FRAME_HOSTS).
# Inline styles stay allowed: the accent colour of each site is an inline <style>, and
# Wagtail's admin sets style attributes. The admin also has inline scripts (date choosers,
# inline panels), so /admin/ alone adds 'unsafe-inline' to script-src (CSP_ADMIN_EXTRA below).
def _media_origin():
    from urllib.parse import urlsplit

    if not S3_BUCKET:
        return []
    options = STORAGES["default"]["OPTIONS"]
    if options["custom_domain"]:
        return [f"{options['url_protocol']}//{options['custom_domain']}"]
    if options["endpoint_url"]:
        parts = urlsplit(options["endpoint_url"])
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://*.{parts.netloc}"]
    return ["https://*.amazonaws.com"]


CSP_MEDIA_HOSTS = env_list("CSP_MEDIA_HOSTS", _media_origin())
CSP_FRAME_HOSTS = env_list(
    "CSP_FRAME_HOSTS",
    [
        "https://www.youtube-nocookie.com",
        "https://www.youtube.com",
        "https://player.vimeo.com",
        "https://www.dailymotion.com",
        "https://peertube.fr",
    ],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *CSP_MEDIA_HOSTS],
        "media-src": ["'self'", *CSP_MEDIA_HOSTS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *CSP_FRAME_HOSTS],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
CSP_ADMIN_PREFIX = "/admin/"
CSP_ADMIN_EXTRA = {"script-src": ["'unsafe-inline'"]}
# No request to a third party from the admin either (Gravatar would learn who edits).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# --- end of Content-Security-Policy -----------------------------------------------

# Deployment: robots.txt (portal.seo) says "Disallow: /" on a staging installation.
ROBOTS_DISALLOW_ALL = env_bool("ROBOTS_DISALLOW_ALL", False)

WAGTAIL_SITE_NAME = "Réseau national des CRPV"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# Translations (docs/i18n.md): French pages are the source; the national site (and a
# centre that enables English in its identity settings) is translated to English with
# wagtail-localize. Adding a language: LANGUAGES, WAGTAIL_CONTENT_LANGUAGES, a Locale.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The admin is French for every user, whatever their browser asks for.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
# Wagtail's sign-in form with its password field labelled in French (portal/login.py).
WAGTAILADMIN_USER_LOGIN_FORM = "portal.login.LoginForm"
# Dates and times in the admin: shown as below, read in every format of
# portal/formats/fr/formats.py (16/03/2027, 2027-03-16, 14:30, 14h30, 14 h 30...), and
# never replaced by the date picker when it cannot read them (portal/widgets.py).
FORMAT_MODULE_PATH = ["portal.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.documents.DocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "odt",
    "ods",
    "odp",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "csv",
    "txt",
    "zip",
    "epub",
]
# Centre editors must not see each other's work: no shared "all pages" workflow view.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False

LOGIN_URL = "wagtailadmin_login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Deployment: one parseable line per record (portal.logfmt). The web server logs to
    # stdout (portal/gunicorn.conf.py sets LOG_STREAM); management commands to stderr,
    # so that `manage.py dumpdata > backup.json` never gets a log line in its data.
    "formatters": {
        "kv": {"()": "portal.logfmt.KeyValueFormatter"},
        "json": {"()": "portal.logfmt.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": f"ext://sys.{env_str('LOG_STREAM', 'stderr')}",
            "formatter": "json" if env_str("LOG_FORMAT") == "json" else "kv",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail logs every page action and background task at INFO: too chatty for stdout.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # Its start-up banner in every process; lockouts are still logged (WARNING).
        "axes": {"level": "WARNING"},
    },
}

PORTAL_NAME = _("Réseau national des centres de ressources politique de la ville")
