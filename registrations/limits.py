"""Rate limits of the public form, per client address and per e-mail address, in
Django's cache (shared by every process in production): a flood costs a 429, no mail.
No CAPTCHA (a third party would see every registrant): a honeypot field and these."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from portal.client import client_address

WINDOW_SECONDS = 3600


def _hit(key: str, limit: int) -> bool:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit


def allow_client(request) -> bool:
    limit = getattr(settings, "REGISTRATIONS_LIMIT_PER_CLIENT", 30)
    return _hit(f"registrations:client:{client_address(request)}", limit)


def allow_address(email: str) -> bool:
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    limit = getattr(settings, "REGISTRATIONS_LIMIT_PER_ADDRESS", 5)
    return _hit(f"registrations:address:{digest}", limit)
