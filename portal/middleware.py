"""Middleware for running the portal for real: the Content-Security-Policy, the page
cache for anonymous visitors, and a clear message when the file storage fails."""

import errno
import logging
from hashlib import sha1

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.cookie import parse_cookie
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _

from csp.middleware import CSPMiddleware

from .storage import StorageUnavailable

logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY) everywhere; Wagtail's admin
    adds CSP_ADMIN_EXTRA, since its date choosers and inline panels are inline scripts."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.CSP_ADMIN_PREFIX):
            update = dict(parts.update or {})
            for directive, values in settings.CSP_ADMIN_EXTRA.items():
                update[directive] = [*update.get(directive, []), *values]
            parts.update = update
        return parts


# Headers a cached page keeps; the rest (Set-Cookie above all) is never stored. The page
# cache comes first in MIDDLEWARE, so the headers of the middleware after it (security,
# CSP, ETag) are on the stored response and a hit needs none of them again.
CACHED_HEADERS = {
    "content-type",
    "content-language",
    "vary",
    "x-frame-options",
    "link",
    "x-robots-tag",
    "referrer-policy",
    "cross-origin-opener-policy",
    "content-security-policy",
    "content-security-policy-report-only",
    "strict-transport-security",
    "x-content-type-options",
    "etag",
    "last-modified",
}
# A response that varies on anything else is not one page for every visitor.
CACHEABLE_VARY = {"cookie", "accept-encoding"}


class PageCacheMiddleware:
    """Whole pages for anonymous visitors, from Django's cache (Redis or local memory),
    answered before the rest of the middleware (first in MIDDLEWARE).

    Each entry carries the version it was built under: its site's (a site's pages) or
    the content version (network-wide answers: search, API, OAI, and answers of no
    site). The versions are one cache entry (portal.cache) read with the page in one
    round trip (MGET on Redis): a hit costs no SQL query. A publication bumps the
    versions of the sites that show the page (its own, the national portal's, the
    centres it names: portal.cache.sites_showing), so the other centres' cached pages
    stay in use; anything else (a theme, a site, a move, a deletion) bumps every site.
    Entries also expire after PAGE_CACHE_SECONDS, for what changes with time alone
    (upcoming events).

    Only GET requests without a session or CSRF cookie: a signed-in editor always sees
    the live page (and the userbar). Only 200 answers that set no cookie, carry no
    Cache-Control of their own and vary on nothing but cookies: a password-protected
    page's form (with its CSRF cookie) or a `never_cache` view is never served to
    someone else. A hit answers `If-None-Match` with 304 (the entry keeps its ETag)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not self.cacheable_request(request):
            return self.get_response(request)
        from .cache import VERSIONS_KEY, versions

        key = self.key_of(request.META, request.path_info)
        found = cache.get_many([VERSIONS_KEY, key])
        current = versions(request, found.get(VERSIONS_KEY))
        entry = found.get(key)
        if entry is not None and self.stamp(request, entry[0], current) == entry[1]:
            return self.hit(request, entry)
        # The stamp is read before the page is built: a publication meanwhile makes the
        # stored page stale at once rather than labelled with the newer version.
        response = self.get_response(request)
        if self.cacheable_response(response):
            patch_cache_control(
                response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS, s_maxage=seconds
            )
            site_id = self.site_of(request)
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() in CACHED_HEADERS or name.lower() == "cache-control"
            ]
            stamp = self.stamp(request, site_id, current)
            cache.set(
                key, (site_id, stamp, response.status_code, response.content, headers), seconds
            )
            response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def hit(request, entry):
        _site_id, _stamp, status, content, headers = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        etag = response.get("ETag")
        if etag:
            not_modified = get_conditional_response(request, etag=etag, response=response)
            if not_modified is not response:
                not_modified["X-Cache"] = "HIT"
                return not_modified
        response["X-Cache"] = "HIT"
        return response

    @staticmethod
    def site_of(request):
        """The site whose version the stored page goes by; None for the content version
        (answers that show the whole network whatever the host)."""
        # UPGRADE CHECKPOINT wagtail==8.0.1: `request._wagtail_site`, the site `Site.find_for_request` cached on the request (tests/test_upgrade_internals.py::test_each_site_caches_its_own_event_links)
        site = getattr(request, "_wagtail_site", None)
        if site is None or request.path_info.startswith(
            tuple(settings.PAGE_CACHE_NETWORK_PREFIXES)
        ):
            return None
        return site.pk

    @staticmethod
    def stamp(request, site_id, current):
        if site_id is None:
            return ("content", current["content"])
        return ("site", current["sites"].get(site_id, 0))

    @classmethod
    def cacheable_request(cls, request):
        return cls.cacheable_meta(request.META, request.path_info)

    @staticmethod
    def cacheable_meta(meta, path_info):
        """The request's rules read from its WSGI environ alone (`request.META`), so that
        the lean path (portal.page_hits) applies them before Django builds a request."""
        # Plain HTTP under SECURE_SSL_REDIRECT is SecurityMiddleware's to redirect (it
        # comes after this one): never looked up, never stored.
        if settings.SECURE_SSL_REDIRECT and scheme_of(meta) != "https":
            return False
        if meta.get("REQUEST_METHOD") != "GET" or "HTTP_AUTHORIZATION" in meta:
            return False
        cookie_header = meta.get("HTTP_COOKIE")
        if cookie_header:
            cookies = parse_cookie(cookie_header)
            if settings.SESSION_COOKIE_NAME in cookies or settings.CSRF_COOKIE_NAME in cookies:
                return False
        return not path_info.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PREFIXES))

    @staticmethod
    def cacheable_response(response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if response.has_header("Cache-Control"):
            return False
        vary = {
            part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()
        }
        return vary <= CACHEABLE_VARY

    @staticmethod
    def key_of(meta, path_info):
        """The entry's key, from the environ's raw address (as sent: host, script name,
        path, query string), the same before and inside Django."""
        from .i18n import language_of_path

        # The address says the language already (/en/...); it is in the key anyway, so
        # that no change to how languages are chosen can mix French and English pages.
        language = language_of_path(path_info)
        host = meta.get("HTTP_HOST") or f"{meta.get('SERVER_NAME')}:{meta.get('SERVER_PORT')}"
        address = (
            f"{scheme_of(meta)}://{host}{meta.get('SCRIPT_NAME', '')}"
            f"{meta.get('PATH_INFO', '')}?{meta.get('QUERY_STRING', '')}"
        )
        return f"page:{language}:{sha1(address.encode()).hexdigest()}"


def scheme_of(meta):
    """`request.scheme` read from the environ: SECURE_PROXY_SSL_HEADER as Django reads it
    (behind a proxy that says https), else the WSGI server's scheme."""
    # UPGRADE CHECKPOINT Django==5.2.19: `HttpRequest.scheme`'s reading of SECURE_PROXY_SSL_HEADER (tests/test_page_hits.py::test_the_lean_path_and_django_agree_on_the_scheme)
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = meta.get(header)
        if value is not None:
            value, *_ = value.split(",", 1)
            return "https" if value.strip() == secure_value else "http"
    return meta.get("wsgi.url_scheme", "http")


# Failures of the place files are written to, not of the request: S3 unreachable or
# refusing (portal.s3.StorageUnavailable), a full disk or quota, a read-only volume.
STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def is_storage_failure(exception):
    if isinstance(exception, StorageUnavailable):
        return True
    return isinstance(exception, OSError) and exception.errno in STORAGE_ERRNOS


class StorageErrorMiddleware:
    """An upload the storage cannot take gives the editor a message saying so (and, for
    Wagtail's multiple upload, the JSON error its uploader shows beside the file), not a
    server error page. Nothing is saved: the file is written before the database row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "POST" or not request.path_info.startswith(settings.CSP_ADMIN_PREFIX):
            return None
        if not is_storage_failure(exception):
            return None
        logger.error("storage failure on upload path=%s error=%s", request.path_info, exception)
        message = _(
            "Le fichier n’a pas pu être enregistré : le stockage des fichiers est "
            "injoignable ou plein. Rien n’a été enregistré ; réessayez plus tard ou "
            "prévenez l’administrateur du portail."
        )
        if "/multiple/" in request.path_info:
            return JsonResponse({"success": False, "error_message": message})
        messages.error(request, message)
        return HttpResponseRedirect(request.get_full_path())
