"""The beacon's lean path: `POST /stats/event` answered before Django's middleware stack.

A beacon needs none of what that stack does (sessions, CSRF, messages, redirects, the
page cache, CSP, axes, WhiteNoise): it is answered by the same checks as through Django
(stats.views.record), only without paying for the stack at every page view. Requests
that need the stack still go through it:

- a request with a session cookie, since the admin opt-out ("Ne plus compter mes
  visites") needs the signed-in user;
- a plain-HTTP request where SECURE_SSL_REDIRECT is on (Django redirects it).

Django's request_started/request_finished signals are sent as its handler sends them,
so database connections are opened and closed the same way."""

import logging

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.urls import set_script_prefix

from .views import answer, record

logger = logging.getLogger(__name__)

BEACON_PATH = "/stats/event"


def needs_full_stack(request) -> bool:
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    return bool(settings.SECURE_SSL_REDIRECT and not request.is_secure())


def respond(response, start_response):
    status = f"{response.status_code} {response.reason_phrase}"
    headers = [*response.items(),
               *(("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values())]
    start_response(status, headers)
    return response  # the server closes it: request_finished, as in Django's handler


def with_beacon_path(django_application):
    """Wrap Django's WSGI application: beacons take the lean path, the rest goes on."""

    def application(environ, start_response):
        if environ.get("PATH_INFO") != BEACON_PATH:
            return django_application(environ, start_response)
        set_script_prefix(get_script_name(environ))
        signals.request_started.send(sender=with_beacon_path, environ=environ)
        try:
            request = WSGIRequest(environ)
            if needs_full_stack(request):
                signals.request_finished.send(sender=with_beacon_path)
                return django_application(environ, start_response)
            response = record(request)
        except DisallowedHost:
            response = answer(400, "Hôte non autorisé.")
        except Exception:
            # A server fault (database or Redis down), never a visitor's: no trace sent.
            logger.exception("beacon failed")
            response = answer(503, "Statistiques indisponibles.")
        return respond(response, start_response)

    return application
