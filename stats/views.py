"""Public views: the beacon endpoint and the privacy page ("Mesure d'audience")."""

import json
import re
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from . import maps
from .collect import ignored, new_fields, referrer_host
from .models import Event
from .queue import store

MAX_BODY = 4096
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
CONTENT_TYPES = {"application/json", "text/plain"}  # sendBeacon sends a string as text/plain


def answer(status: int, reason: str = "") -> HttpResponse:
    response = HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")
    # What never_cache sets, written out (one beacon per page view: patching headers
    # costs more than the rest of a 204). stats.wsgi's lean path writes the same headers
    # without an HttpResponse (lean_headers; tests compare both).
    response["Expires"] = http_date()
    response["Cache-Control"] = NEVER_CACHE
    response["X-Content-Type-Options"] = "nosniff"
    if status == 405:
        response["Allow"] = "POST"
    return response


# Control characters, and lone surrogates (a JSON "\\ud800" decodes to one): no URL has
# them, and a surrogate cannot even be encoded for the database (it was a 503).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    return _CONTROL_CHARACTERS.search(text) is not None


def same_origin(origin, own_host: str) -> bool:
    """No Origin header (sendBeacon from an old browser) or one of this host."""
    if not origin:
        return True
    try:
        return urlsplit(origin).hostname == own_host
    except ValueError:  # e.g. "http://[": not a host at all
        return False


def parse(request):
    """(payload, None) for a well-formed event, else (None, (status, reason))."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None, (400, "Content-Length invalide.")
    if length > MAX_BODY:
        return None, (413, "Corps trop volumineux.")
    if request.content_type not in CONTENT_TYPES:
        return None, (415, "JSON attendu.")
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return None, (413, "Corps trop volumineux.")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None, (400, "JSON invalide.")
    if not isinstance(payload, dict) or not isinstance(payload.get("url"), str):
        return None, (400, "Champ « url » manquant.")
    if has_control_characters(payload["url"]):
        return None, (400, "URL invalide.")
    page_id = payload.get("page")
    if page_id is not None and (
        not isinstance(page_id, int) or isinstance(page_id, bool) or not 0 < page_id < 2**31
    ):
        return None, (400, "Champ « page » invalide.")
    return payload, None


@csrf_exempt  # a same-origin JSON beacon without session: no CSRF cookie to require
def event(request):
    """Through Django's whole stack: requests that carry a session cookie (the admin
    opt-out needs the user) and those stats.wsgi leaves to Django."""
    return record(request)


def record(request) -> HttpResponse:
    """One beacon through Django's stack: check() answered as an HttpResponse."""
    return answer(*check(request))


def check(request) -> tuple[int, str]:
    """Check one beacon and queue (or store) its page view; used by both paths.
    (204, "") when it is counted or silently dropped, else (status, reason)."""
    if request.method != "POST":
        return 405, "POST seulement."
    payload, refusal = parse(request)
    if refusal:
        return refusal
    try:
        url = urlsplit(payload["url"][:2000])
    except ValueError:
        return 400, "URL invalide."
    # UPGRADE CHECKPOINT Django==5.2.19: `django.http.request.split_domain_port` (undocumented) (tests/test_upgrade_internals.py::test_a_beacon_on_the_development_port_counts_for_its_site)
    own_host = split_domain_port(request.get_host())[0]
    if url.scheme not in ("http", "https") or not url.hostname:
        return 400, "URL invalide."
    if url.hostname != own_host or not same_origin(request.META.get("HTTP_ORIGIN"), own_host):
        return 403, "Adresse d'un autre site."
    site = maps.site_for(request)
    if site is None:
        return 404, "Site inconnu."
    if ignored(request):
        return 204, ""
    path = url.path or "/"
    page_id = maps.live_page_id(site, path, payload.get("page"))
    if page_id is None:
        return 404, "Page inconnue ou non publiée."
    # The event as a dict of stats.queue.FIELDS: no Event instance (and its signals) in
    # the request when it is queued.
    fields = new_fields(
        request,
        site.pk,
        kind=Event.VIEW,
        page_id=page_id,
        document_id=None,
        path=path[:255],
        referrer_host=referrer_host(payload.get("referrer"), own_host),
        first_visit=payload.get("first_visit") is True,
        first_of_year=payload.get("first_of_year") is True,
    )
    if not store(fields):
        return 429, "Trop d'événements."
    return 204, ""


def privacy(request):
    """What is measured, how, and the opt-out: on every site, beside its pages."""
    return render(request, "stats/privacy.html", {})
