"""The beacon's lean path: `POST /stats/event` answered before Django's middleware stack.

A beacon needs none of what that stack does (sessions, CSRF, messages, redirects, the
page cache, CSP, axes, WhiteNoise): it is answered by the same checks as through Django
(stats.views.check), only without paying for the stack at every page view. Requests
that need the stack still go through it:

- a request with a session cookie, since the admin opt-out ("Ne plus compter mes
  visites") needs the signed-in user;
- a plain-HTTP request where SECURE_SSL_REDIRECT is on (Django redirects it).

Django's request_started/request_finished signals are sent as its handler sends them,
so database connections are opened and closed the same way.

One beacon per page view makes every object count: the request is a WSGIRequest built
with less work (BeaconRequest), and the answer is written as a status line and a list of
headers (the same as stats.views.answer's HttpResponse: tests compare them) instead of
an HttpResponse."""

import logging
import time
from functools import lru_cache
from http.client import responses

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import LimitedStream, WSGIRequest, get_script_name
from django.http.request import parse_header_parameters
from django.urls import set_script_prefix
from django.utils.http import http_date

from .views import NEVER_CACHE, check

logger = logging.getLogger(__name__)

BEACON_PATH = "/stats/event"
# Status lines as HttpResponse writes them (its reason phrases are http.client's).
STATUS_LINES = {
    status: f"{status} {responses[status]}"
    for status in (204, 400, 403, 404, 405, 413, 415, 429, 503)
}
CONTENT_TYPE = ("Content-Type", "text/plain; charset=utf-8")


@lru_cache(maxsize=64)
def content_type_params(header: str) -> tuple[str, tuple]:
    """Django's parse of a Content-Type header, once per distinct header (browsers send
    a handful; made-up ones only push out old entries)."""
    # UPGRADE CHECKPOINT Django==5.2.19: `parse_header_parameters` as imported by `django.http.request` (tests/test_stats_fastpath.py::test_refusals_on_the_lean_path_are_those_of_django)
    content_type, params = parse_header_parameters(header)
    return content_type, tuple(params.items())


# UPGRADE CHECKPOINT Django==5.2.19: a `WSGIRequest` built without its `__init__`: `LimitedStream` as `_stream`, `_read_started`, `META`, `path_info` (tests/test_stats_fastpath.py::test_refusals_on_the_lean_path_are_those_of_django)
class BeaconRequest(WSGIRequest):
    """A WSGIRequest for the beacon's path, built with what stats.views.check reads: the
    same META, method, content type, body stream (limited to Content-Length), host and
    cookie methods as WSGIRequest's, without computing what a beacon never reads."""

    def __init__(self, environ, script_name: str):
        self.environ = self.META = environ
        self.path_info = BEACON_PATH
        self.path = script_name.rstrip("/") + BEACON_PATH
        self.method = environ["REQUEST_METHOD"].upper()
        self.content_type, params = content_type_params(environ.get("CONTENT_TYPE", ""))
        self.content_params = dict(params)
        try:
            content_length = int(environ.get("CONTENT_LENGTH"))
        except (ValueError, TypeError):
            content_length = 0
        self._stream = LimitedStream(environ["wsgi.input"], content_length)
        self._read_started = False
        self.resolver_match = None


def needs_full_stack(request) -> bool:
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    return bool(settings.SECURE_SSL_REDIRECT and not request.is_secure())


_expires = {"second": None, "value": ""}


def expires() -> str:
    """http_date() of now, formatted once a second."""
    second = int(time.time())
    if _expires["second"] != second:
        _expires.update(second=second, value=http_date(second))
    return _expires["value"]


def lean_headers(status: int) -> list[tuple[str, str]]:
    """The headers of stats.views.answer(status), in its order."""
    headers = [
        CONTENT_TYPE,
        ("Expires", expires()),
        ("Cache-Control", NEVER_CACHE),
        ("X-Content-Type-Options", "nosniff"),
    ]
    if status == 405:
        headers.append(("Allow", "POST"))
    return headers


class Body(list):
    """The answer's body; its close() (called by the server once it is sent) sends
    request_finished, as an HttpResponse's does in Django's handler."""

    def close(self):
        signals.request_finished.send(sender=with_beacon_path)


def with_beacon_path(django_application):
    """Wrap Django's WSGI application: beacons take the lean path, the rest goes on."""

    def application(environ, start_response):
        if environ.get("PATH_INFO") != BEACON_PATH:
            return django_application(environ, start_response)
        # UPGRADE CHECKPOINT Django==5.2.19: `django.core.handlers.wsgi.get_script_name` (undocumented) (tests/test_stats_fastpath.py::test_a_beacon_takes_the_lean_path_and_is_stored)
        script_name = get_script_name(environ)
        set_script_prefix(script_name)
        signals.request_started.send(sender=with_beacon_path, environ=environ)
        try:
            request = BeaconRequest(environ, script_name)
            if needs_full_stack(request):
                signals.request_finished.send(sender=with_beacon_path)
                return django_application(environ, start_response)
            status, reason = check(request)
        except DisallowedHost:
            status, reason = 400, "Hôte non autorisé."
        except Exception:
            # A server fault (database or Redis down), never a visitor's: no trace sent.
            logger.exception("beacon failed")
            status, reason = 503, "Statistiques indisponibles."
        start_response(STATUS_LINES[status], lean_headers(status))
        return Body([reason.encode()])

    return application
