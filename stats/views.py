"""Public views: the beacon endpoint and the privacy page ("Mesure d'audience")."""

import json
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from . import maps
from .collect import ignored, new_event, referrer_host
from .models import Event
from .queue import store

MAX_BODY = 4096
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
CONTENT_TYPES = {"application/json", "text/plain"}  # sendBeacon sends a string as text/plain


def answer(status: int, reason: str = "") -> HttpResponse:
    response = HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")
    # What never_cache sets, written out (one beacon per page view: patching headers
    # costs more than the rest of a 204), whichever path answered: Django's stack or
    # stats.wsgi's lean one.
    response["Expires"] = http_date()
    response["Cache-Control"] = NEVER_CACHE
    response["X-Content-Type-Options"] = "nosniff"
    return response


def has_control_characters(text: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def same_origin(origin, own_host: str) -> bool:
    """No Origin header (sendBeacon from an old browser) or one of this host."""
    if not origin:
        return True
    try:
        return urlsplit(origin).hostname == own_host
    except ValueError:  # e.g. "http://[": not a host at all
        return False


def parse(request):
    """(payload, None) for a well-formed event, else (None, refusal response)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None, answer(400, "Content-Length invalide.")
    if length > MAX_BODY:
        return None, answer(413, "Corps trop volumineux.")
    if request.content_type not in CONTENT_TYPES:
        return None, answer(415, "JSON attendu.")
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return None, answer(413, "Corps trop volumineux.")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None, answer(400, "JSON invalide.")
    if not isinstance(payload, dict) or not isinstance(payload.get("url"), str):
        return None, answer(400, "Champ « url » manquant.")
    if has_control_characters(payload["url"]):
        return None, answer(400, "URL invalide.")
    page_id = payload.get("page")
    if page_id is not None and (not isinstance(page_id, int) or isinstance(page_id, bool)
                                or not 0 < page_id < 2**31):
        return None, answer(400, "Champ « page » invalide.")
    return payload, None


@csrf_exempt  # a same-origin JSON beacon without session: no CSRF cookie to require
def event(request):
    """Through Django's whole stack: requests that carry a session cookie (the admin
    opt-out needs the user) and those stats.wsgi leaves to Django."""
    return record(request)


def record(request) -> HttpResponse:
    """Check one beacon and queue (or store) its page view; used by both paths."""
    if request.method != "POST":
        response = answer(405, "POST seulement.")
        response["Allow"] = "POST"
        return response
    payload, refusal = parse(request)
    if refusal:
        return refusal
    try:
        url = urlsplit(payload["url"][:2000])
    except ValueError:
        return answer(400, "URL invalide.")
    own_host = split_domain_port(request.get_host())[0]
    if url.scheme not in ("http", "https") or not url.hostname:
        return answer(400, "URL invalide.")
    if url.hostname != own_host or not same_origin(request.META.get("HTTP_ORIGIN"), own_host):
        return answer(403, "Adresse d'un autre site.")
    site = maps.site_for(request)
    if site is None:
        return answer(404, "Site inconnu.")
    if ignored(request):
        return answer(204)
    path = url.path or "/"
    page_id = maps.live_page_id(site, path, payload.get("page"))
    if page_id is None:
        return answer(404, "Page inconnue ou non publiée.")
    event = new_event(
        request, site.pk, kind=Event.VIEW, page_id=page_id, path=path[:255],
        referrer_host=referrer_host(payload.get("referrer"), own_host),
        first_visit=payload.get("first_visit") is True, rate_limited=False,
    )
    if not store(event):
        return answer(429, "Trop d'événements.")
    return answer(204)


def privacy(request):
    """What is measured, how, and the opt-out: on every site, beside its pages."""
    return render(request, "stats/privacy.html", {})
