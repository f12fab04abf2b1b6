"""What visitors searched for, counted without a database write per search: each search
adds one to a Redis hash (one round trip; SEARCH_FIGURES_URL, by default the statistics
queue's Redis) or, without Redis, to a counter in the process's memory; `flush()` moves
the counts into `QueryDay` rows in one transaction.

Who flushes: the `flush_search_figures` job (every five minutes, portal.jobs), the admin's
search terms report before it reads, and, for the in-memory counts, the first search
after SEARCH_FIGURES_FLUSH_SECONDS (0: every search, as the tests read the rows at once).
The Redis hash is renamed before it is read, so searches counted meanwhile go to a new
hash and nothing is counted twice; a process that dies between the commit and the
deletion of the renamed hash would count that batch again at the next flush."""

import json
import logging
import threading
import time
import uuid
from collections import Counter

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import QueryDay, normalise

logger = logging.getLogger(__name__)

KEY = f"{getattr(settings, 'REDIS_KEY_PREFIX', 'rncrpv')}:search:figures"
_lock = threading.Lock()
_memory: Counter = Counter()
_flushed = {"at": time.monotonic()}
_clients: dict = {}


def url() -> str:
    return getattr(settings, "SEARCH_FIGURES_URL", "") or ""


def client():
    address = url()
    if not address:
        return None
    redis_client = _clients.get(address)
    if redis_client is None:
        import redis

        from portal.cache_backends import redis_timeouts

        redis_client = _clients[address] = redis.Redis.from_url(address, **redis_timeouts())
    return redis_client


def record(site, query: str, found: int) -> None:
    """One search of `query` on `site` that found `found` results."""
    query = normalise(query)
    if not query or site is None:
        return
    field = (site.pk, timezone.localdate().isoformat(), query, int(found == 0))
    redis_client = client()
    if redis_client is not None:
        try:
            redis_client.hincrby(KEY, json.dumps(field, ensure_ascii=False), 1)
            return
        except Exception as error:  # Redis down or slow: counted in memory instead
            logger.warning("search figures: Redis unavailable (%s), counted in memory", error)
    with _lock:
        _memory[field] += 1
    if time.monotonic() - _flushed["at"] >= getattr(settings, "SEARCH_FIGURES_FLUSH_SECONDS", 60):
        flush_memory()


def flush() -> int:
    """Move every count (this process's memory, the Redis hash) into QueryDay; returns
    the number of searches stored."""
    return flush_memory() + flush_redis()


def flush_memory() -> int:
    with _lock:
        counts = dict(_memory)
        _memory.clear()
        _flushed["at"] = time.monotonic()
    return store(counts)


def flush_redis() -> int:
    redis_client = client()
    if redis_client is None:
        return 0
    taken = f"{KEY}:flushing:{uuid.uuid4().hex}"
    try:
        redis_client.rename(KEY, taken)
    except Exception:  # no hash yet (ResponseError), or Redis down: nothing to move
        return 0
    raw = redis_client.hgetall(taken)
    counts = {tuple(json.loads(field)): int(value) for field, value in raw.items()}
    stored = store(counts)
    redis_client.delete(taken)
    return stored


def store(counts: dict) -> int:
    """{(site id, ISO day, query, empty 0/1): searches} added to the QueryDay rows."""
    rows: dict = {}
    for (site_id, day, query, empty), number in counts.items():
        hits, empty_hits = rows.get((site_id, day, query), (0, 0))
        rows[(site_id, day, query)] = (hits + number, empty_hits + number * empty)
    with transaction.atomic():
        for (site_id, day, query), (hits, empty_hits) in rows.items():
            add(site_id, day, query, hits, empty_hits)
    return sum(hits for hits, _ in rows.values())


def add(site_id, day, query, hits, empty_hits):
    existing = QueryDay.objects.filter(site_id=site_id, date=day, query=query)
    if existing.update(hits=F("hits") + hits, empty_hits=F("empty_hits") + empty_hits):
        return
    try:
        with transaction.atomic():
            QueryDay.objects.create(
                site_id=site_id, date=day, query=query, hits=hits, empty_hits=empty_hits
            )
    except IntegrityError:  # another flush created the row meanwhile
        existing.update(hits=F("hits") + hits, empty_hits=F("empty_hits") + empty_hits)


WARMED_QUERIES = 5  # a site's most searched queries warmed after each publication
WARMED_DAYS = 7


def most_searched_paths(site) -> list[str]:
    """The search addresses of `site`'s most searched queries of the last days (stored
    counts): the warm-up requests them after a publication, so that their next visitor
    gets the results at the warm speed (portal.warmup)."""
    from urllib.parse import urlencode

    from django.db.models import Sum

    since = timezone.localdate() - timezone.timedelta(days=WARMED_DAYS)
    queries = (
        QueryDay.objects.filter(site=site, date__gte=since)
        .values("query")
        .annotate(total=Sum("hits"))
        .order_by("-total", "query")
        .values_list("query", flat=True)[:WARMED_QUERIES]
    )
    return [f"/recherche/?{urlencode({'q': query})}" for query in queries]
