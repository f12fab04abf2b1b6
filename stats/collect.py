"""Recording one event: the checks every event passes (bots, Do Not Track, opted-out
users, floods). Used by the beacon endpoint (which queues its events, stats.queue) and
the download hook (one INSERT)."""

import hashlib
import threading
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from crawlerdetect import CrawlerDetect

from portal.client import client_address

from . import maps
from .models import Event, ExcludedUser
from .privacy import agents_key, local_day, visitor_key, wants_no_tracking

_crawlers = CrawlerDetect()
# Events per visitor key and minute beyond which the visitor is refused (429).
RATE_LIMIT = getattr(settings, "STATS_RATE_LIMIT_PER_MINUTE", 120)


_crawlers_lock = threading.Lock()


@lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """crawlerdetect runs a long regular expression: its verdict is kept per user agent
    (a few thousand browsers' agents cover nearly every beacon). One thread at a time
    asks it: its first call compiles that expression (0.7 s of CPU), which every thread
    of a new worker would otherwise do at once, and it keeps its last match on the
    shared instance."""
    if not user_agent:
        return True
    with _crawlers_lock:
        return bool(_crawlers.is_crawler(user_agent))


def user_opted_out(request) -> bool:
    """Only a request carrying a session can belong to a signed-in user: anonymous
    beacons never touch the session store."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(
        user and user.is_authenticated and ExcludedUser.objects.filter(user_id=user.pk).exists()
    )


def ignored(request) -> bool:
    """Requests counted by nobody, silently: bots, DNT/GPC, opted-out users."""
    return (
        is_bot(request.META.get("HTTP_USER_AGENT", ""))
        or wants_no_tracking(request)
        or user_opted_out(request)
    )


def referrer_host(referrer, own_host: str) -> str:
    """Only the host of another site: internal navigation is not a referrer."""
    if not isinstance(referrer, str) or not referrer or not referrer.isprintable():
        return ""
    try:
        host = (urlsplit(referrer[:2000]).hostname or "")[:255]
    except ValueError:
        return ""
    return "" if host == own_host else host


def over_rate_limit(key: str, now) -> bool:
    cache_key = f"stats:rate:{key}:{now:%H%M}"
    if cache.add(cache_key, 1, 90):
        return False
    try:
        return cache.incr(cache_key) > RATE_LIMIT
    except ValueError:  # expired between add and incr
        return False


AGENTS_SECONDS = 26 * 3600  # the counter outlives its day (the key names the day's salt)


def within_agent_cap(now, address: str, user_agent: str) -> bool:
    """True for the first STATS_AGENTS_PER_ADDRESS user agents seen from one address on
    one day; beyond them a client cycling through made-up agents would count as that
    many visitors. Counted in the shared cache (Redis in production), keyed by hashes
    that the day's salt makes unlinkable once deleted."""
    cap = getattr(settings, "STATS_AGENTS_PER_ADDRESS", 0)
    if cap <= 0:
        return True
    address_key = agents_key(now, address)
    agent = hashlib.sha256(f"{address_key}\n{user_agent}".encode()).hexdigest()[:32]

    def rank():
        known = cache.get(f"stats:agent:{agent}")
        if known is not None:
            return known
        counter = f"stats:agents:{address_key}"
        cache.add(counter, 0, AGENTS_SECONDS)
        try:
            value = cache.incr(counter)
        except ValueError:  # expired (or the cache is down): counted as a first agent
            value = 1
        cache.set(f"stats:agent:{agent}", value, AGENTS_SECONDS)
        return value

    return maps.agent_ranks.get(agent, rank) <= cap


def current_time():
    """The clock events are stamped with (tests replay a day's traffic through it)."""
    return timezone.now()


def new_fields(request, site_id: int, **fields) -> dict:
    """The event of this request as a dict of Event fields (stats.queue.FIELDS), stamped
    now with the visitor's key; the flood limit is the caller's (stats.queue.store
    checks it in the same Redis round trip as queuing the event)."""
    now = current_time()
    address = client_address(request)
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if not within_agent_cap(now, address, user_agent):
        # Still a page view, but every agent beyond the cap is one and the same visitor
        # (the empty agent: a beacon without one is a bot's, never counted), never new.
        user_agent = ""
        fields["first_visit"] = False
        fields["first_of_year"] = False
    visitor = visitor_key(now, site_id, address, user_agent)
    return {
        "site_id": site_id,
        "occurred_at": now,
        "day": local_day(now),
        "visitor": visitor,
        **fields,
    }


def new_event(request, site_id: int, **fields) -> Event | None:
    """An unsaved event for this request (a download), or None when it comes in too
    fast."""
    values = new_fields(request, site_id, **fields)
    if over_rate_limit(values["visitor"], values["occurred_at"]):
        return None
    return Event(**values)
