"""Rate limits of the public forms: per client address and per e-mail address, in
Django's cache (Redis in production: shared by every process). A flood costs the
attacker a 429, the portal a cache increment, and nobody a mail."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from portal.client import client_address

WINDOW_SECONDS = 3600


def _hit(key: str, limit: int) -> bool:
    """Counts one attempt; False once `limit` is passed within the window."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit


def allow_client(request, action: str) -> bool:
    limit = getattr(settings, "NEWSLETTER_LIMIT_PER_CLIENT", 20)
    return _hit(f"newsletter:{action}:client:{client_address(request)}", limit)


def allow_address(site_id: int, email: str) -> bool:
    """A few confirmation mails per address and hour, whoever asks: nobody is flooded
    with mails by a form they did not fill."""
    digest = hashlib.sha256(f"{site_id}:{email}".encode()).hexdigest()[:32]
    limit = getattr(settings, "NEWSLETTER_LIMIT_PER_ADDRESS", 3)
    return _hit(f"newsletter:address:{digest}", limit)
