"""Cached pages answered before Django's handler (portal.wsgi), the lean path of the
page cache.

A page already in the page cache (portal.middleware.PageCacheMiddleware) needs nothing
Django builds per request: no request object, no signals, no middleware, no response
object. Here the WSGI environ is checked with the middleware's own rules
(`cacheable_meta`: GET, no session or CSRF cookie, no Authorization, not an excluded
path, not plain HTTP under SECURE_SSL_REDIRECT), the entry and the versions are read in
one round trip (`get_many`, one MGET on Redis) under the middleware's own key, and a
current entry is written out as stored, with its length. Anything else goes to Django,
where the middleware answers or builds the page as before:

- no entry, or an entry of an older version, or no versions entry in the cache (the
  middleware reads them from the database and puts them back);
- a conditional request (`If-None-Match`, `If-Modified-Since`): Django answers the 304;
- an address whose host Django has never accepted: there is no entry for it, since
  only a 200 answer that went through Django (ALLOWED_HOSTS included) is stored.

Django's request_started/request_finished signals are not sent for a hit: they open and
recycle database connections, which a hit does not use (the next request that reaches
Django recycles them as usual).
"""

from http.client import responses

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import get_path_info
from django.utils.module_loading import import_string

from .cache import VERSIONS_KEY
from .middleware import PageCacheMiddleware


def page_cache_class():
    """The page cache middleware of MIDDLEWARE (a subclass under the bench settings),
    or None when there is none."""
    for name in settings.MIDDLEWARE:
        middleware = import_string(name)
        if isinstance(middleware, type) and issubclass(middleware, PageCacheMiddleware):
            return middleware
    return None


def cached_answer(middleware, environ):
    """(status line, headers, body) of the current cached page for this environ, or None
    when Django must answer."""
    if not settings.PAGE_CACHE_SECONDS:
        return None
    if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
        return None
    # UPGRADE CHECKPOINT Django==5.2.19: `get_path_info`, how WSGIRequest decodes PATH_INFO (tests/test_page_hits.py::test_a_hit_is_answered_before_django_with_the_stored_page)
    path_info = get_path_info(environ) or "/"
    if not middleware.cacheable_meta(environ, path_info):
        return None
    key = middleware.key_of(environ, path_info)
    found = cache.get_many([VERSIONS_KEY, key])
    current, entry = found.get(VERSIONS_KEY), found.get(key)
    if current is None or entry is None:
        return None
    site_id, stamp, status, content, headers = entry
    if middleware.stamp(None, site_id, current) != stamp:
        return None
    headers = [
        *headers,
        ("Content-Length", str(len(content))),
        ("X-Cache", "HIT"),
    ]
    return f"{status} {responses.get(status, 'OK')}", headers, content


def with_cached_pages(application):
    """`application`, with current cached pages answered before it."""
    middleware = page_cache_class()
    if middleware is None:
        return application

    def serve(environ, start_response):
        answer = cached_answer(middleware, environ)
        if answer is None:
            return application(environ, start_response)
        status, headers, content = answer
        start_response(status, headers)
        return [content]

    return serve
