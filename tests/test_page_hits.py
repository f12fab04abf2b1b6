"""The page cache's lean path (portal.page_hits): a cached page answered before Django's
handler, driven here through the WSGI application itself (not Django's test client, which
calls the handler directly), on the real Redis server and on the per-process cache. A
hit builds no request (no request_started signal), runs no SQL query, and answers the
bytes and headers the middleware stored; everything the middleware must decide still
goes to Django."""

import io
import sys

from django.core import signals
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

import pytest

from portal.middleware import PageCacheMiddleware, scheme_of
from portal.page_hits import with_cached_pages

from .conftest import host_of
from .test_agenda_helpers import make_event
from .test_cache_pages import PAGE_CACHE, agenda_of
from .test_cache_pages import on_redis as on_redis  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def per_process(settings):
    for name, value in PAGE_CACHE.items():
        setattr(settings, name, value)


@pytest.fixture(params=["on_redis", "per_process"])
def page_cache(request):
    return request.getfixturevalue(request.param)


def environ(path, host="localhost", query="", **headers):
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **headers,
    }


class Answer:
    def __init__(self, app, env):
        self.started = 0

        def count(**kwargs):
            self.started += 1

        signals.request_started.connect(count, dispatch_uid="test-page-hits")
        try:
            with CaptureQueriesContext(connection) as queries:
                body = app(env, self.start_response)
                self.content = b"".join(body)
                if hasattr(body, "close"):
                    body.close()
        finally:
            signals.request_started.disconnect(dispatch_uid="test-page-hits")
        self.queries = len(queries)

    def start_response(self, status, headers, exc_info=None):
        self.status = status
        self.headers = dict(headers)


@pytest.fixture
def app():
    # As Django's test client does: the handler's signals must not close the test's
    # database connection (it holds the test's transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield with_cached_pages(WSGIHandler())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_a_hit_is_answered_before_django_with_the_stored_page(network, page_cache, app):
    for host, path in (("localhost", "/le-reseau/"), ("irev.localhost", "/")):
        miss = Answer(app, environ(path, host))
        assert miss.status == "200 OK" and miss.headers["X-Cache"] == "MISS"
        assert miss.started == 1
        hit = Answer(app, environ(path, host))
        assert hit.status == "200 OK" and hit.headers["X-Cache"] == "HIT"
        assert hit.started == 0 and hit.queries == 0, (host, path)
        assert hit.content == miss.content
        assert hit.headers["Content-Length"] == str(len(miss.content))
        for name in ("Content-Type", "ETag", "Content-Security-Policy", "Cache-Control"):
            assert hit.headers[name] == miss.headers[name], name


def test_what_the_middleware_must_decide_goes_to_django(network, page_cache, app):
    Answer(app, environ("/le-reseau/"))
    assert Answer(app, environ("/le-reseau/")).started == 0
    for label, env in {
        "session cookie": environ("/le-reseau/", HTTP_COOKIE="sessionid=abc"),
        "csrf cookie": environ("/le-reseau/", HTTP_COOKIE="csrftoken=abc"),
        "authorization": environ("/le-reseau/", HTTP_AUTHORIZATION="Basic eDp5"),
        "post": {**environ("/le-reseau/"), "REQUEST_METHOD": "POST"},
        "other query": environ("/le-reseau/", query="x=1"),
    }.items():
        answer = Answer(app, env)
        assert answer.started == 1, label
        assert answer.headers.get("X-Cache") != "HIT", label
    # A conditional request goes to Django too, whose middleware answers it (here from
    # the same entry: the ETag sent is not the page's).
    other_etag = Answer(app, environ("/le-reseau/", HTTP_IF_NONE_MATCH='"x"'))
    assert other_etag.started == 1 and other_etag.status == "200 OK"


def test_a_conditional_request_still_gets_its_304(network, page_cache, app):
    miss = Answer(app, environ("/le-reseau/"))
    again = Answer(app, environ("/le-reseau/", HTTP_IF_NONE_MATCH=miss.headers["ETag"]))
    assert again.status.startswith("304")


def test_a_publication_is_served_fresh_at_the_next_request(network, page_cache, app):
    irev = network.centres["irev"]
    host, agenda = host_of(irev), agenda_of(irev)
    Answer(app, environ("/agenda/", host))
    assert Answer(app, environ("/agenda/", host)).headers["X-Cache"] == "HIT"
    make_event(agenda, "Rencontre publiée à l’instant", organisers=[irev])
    fresh = Answer(app, environ("/agenda/", host))
    assert fresh.started == 1 and fresh.headers["X-Cache"] == "MISS"
    assert "Rencontre publiée à l’instant" in fresh.content.decode()


def test_the_lean_path_and_django_agree_on_the_scheme(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    behind_proxy = environ("/", HTTP_X_FORWARDED_PROTO="https")
    plain = environ("/")
    for env in (behind_proxy, plain, environ("/", HTTP_X_FORWARDED_PROTO="http")):
        assert scheme_of(env) == WSGIRequest(env).scheme
    assert PageCacheMiddleware.key_of(behind_proxy, "/") != PageCacheMiddleware.key_of(plain, "/")
    settings.SECURE_SSL_REDIRECT = True
    assert PageCacheMiddleware.cacheable_meta(behind_proxy, "/")
    assert not PageCacheMiddleware.cacheable_meta(plain, "/")
