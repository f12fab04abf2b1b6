"""Batched storage of page views: the beacon appends its event to a Redis list (one round
trip in the request, which also counts the flood limit) and a flusher moves the list
into the database in batches (one COPY each on PostgreSQL).

Why Redis rather than a buffer in each process: an event answered 204 is already out of
the worker, so a worker that is killed (OOM, timeout, crash, deployment) loses nothing;
only Redis losing its data could (see docs/statistics.md, "Batched storage").

The flusher is a thread of each web process (started by the first queued event), waking
every STATS_FLUSH_SECONDS; a Redis lock lets one process at a time move the list. A
batch is read (LRANGE), inserted in one transaction, then removed (LTRIM): a process that
dies between the commit and the LTRIM would store that batch twice at the next flush
(at least once, never lost). Reports flush first, so today's figures hold every event
answered so far. Without STATS_QUEUE_URL (the default without Redis: development,
tests) events are inserted one by one in the request, as before."""

import atexit
import functools
import hashlib
import json
import logging
import os
import threading
import time
from datetime import date, datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from .models import Event

logger = logging.getLogger(__name__)

PREFIX = getattr(settings, "REDIS_KEY_PREFIX", "rncrpv")
QUEUE_KEY = f"{PREFIX}:stats:events"
LOCK_KEY = f"{PREFIX}:stats:flush-lock"
RATE_KEY = f"{PREFIX}:stats:rate"
BATCH = 1000
# A flush holding the lock longer than this (a database stuck) lets another one start.
LOCK_SECONDS = 30
FIELDS = (
    "site_id",
    "kind",
    "occurred_at",
    "day",
    "visitor",
    "page_id",
    "document_id",
    "path",
    "referrer_host",
    "first_visit",
    "first_of_year",
)

_clients: dict = {}
_flusher = {"thread": None, "pid": None}
_flusher_lock = threading.Lock()


def url() -> str:
    return getattr(settings, "STATS_QUEUE_URL", "") or ""


def client():
    """The Redis client of STATS_QUEUE_URL, or None when events are stored directly."""
    address = url()
    if not address:
        return None
    redis_client = _clients.get(address)
    if redis_client is None:
        import redis

        from portal.cache_backends import redis_timeouts

        redis_client = redis.Redis.from_url(address, **redis_timeouts())
        _clients[address] = redis_client
    return redis_client


def queue_circuit():
    """The back-off of the queue's Redis, shared with the page cache on the same server:
    after a failure beacons are stored directly for a few seconds, without asking Redis."""
    return _circuit_of(url())


@functools.lru_cache(maxsize=8)
def _circuit_of(address):
    # Cached: the beacon's path asks for it every time, and parsing the URL is not free.
    from portal.cache_backends import RETRY_SECONDS
    from portal.circuit import for_url

    return for_url("redis", address, RETRY_SECONDS)


def encode(fields: dict) -> bytes:
    """One queued event: the values of FIELDS, in that order, as a JSON list."""
    return json.dumps(
        [
            fields["site_id"],
            fields["kind"],
            fields["occurred_at"].isoformat(),
            fields["day"].isoformat(),
            fields["visitor"],
            fields["page_id"],
            fields["document_id"],
            fields["path"],
            fields["referrer_host"],
            fields["first_visit"],
            fields.get("first_of_year", False),
        ],
        separators=(",", ":"),
    ).encode()


def decode(item: bytes) -> dict:
    """The fields of one queued event; ValueError or TypeError when it is not one."""
    items = json.loads(item)
    if isinstance(items, list) and len(items) == len(FIELDS) - 1:
        items.append(False)  # queued by a process started before `first_of_year`
    values = dict(zip(FIELDS, items, strict=True))
    values["occurred_at"] = datetime.fromisoformat(values["occurred_at"])
    values["day"] = date.fromisoformat(values["day"])
    return values


# One round trip per beacon: count the visitor's events of the minute (the flood limit)
# and, under the limit, queue the event. 1: queued; 0: over the limit.
PUSH_WITHIN_LIMIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], 90) end
if count > tonumber(ARGV[1]) then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
"""
PUSH_SHA = hashlib.sha1(PUSH_WITHIN_LIMIT.encode()).hexdigest().encode()
_threads = threading.local()


def pack(*args: bytes) -> bytes:
    """One Redis command in the protocol's own form (RESP)."""
    return b"".join([b"*%d\r\n" % len(args), *(b"$%d\r\n%s\r\n" % (len(arg), arg) for arg in args)])


def thread_connection(redis_client):
    """This thread's own connection of the client's pool, kept between its beacons.
    redis-py's full call (pool checkout and release, command packing, its telemetry
    hooks) costs about 0.1 ms of CPU per beacon, three times the round trip itself."""
    connections = getattr(_threads, "connections", None)
    if connections is None:
        connections = _threads.connections = {}
    conn = connections.get(id(redis_client))
    if conn is None or conn.pid != os.getpid():  # none yet, or inherited through a fork
        # UPGRADE CHECKPOINT redis==8.1.0: `ConnectionPool.get_connection()` kept per thread, `Connection.pid`, `disconnect()` (tests/test_stats_fastpath.py::test_a_broken_redis_connection_is_replaced_and_the_beacon_queued)
        conn = connections[id(redis_client)] = redis_client.connection_pool.get_connection()
    return conn


def run_push(redis_client, keys_and_args: list[bytes]) -> int:
    """EVALSHA of PUSH_WITHIN_LIMIT on this thread's connection; EVAL when Redis does not
    know the script (restarted, SCRIPT FLUSH). A connection found broken (Redis restarted
    or closed it since this thread's last beacon) is replaced and the command sent once
    more, as redis-py retries; should the script have run before the connection broke,
    the event is queued twice (at least once, as everywhere in this module)."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import NoScriptError

    for attempt in (1, 2):
        conn = thread_connection(redis_client)
        try:
            try:
                # UPGRADE CHECKPOINT redis==8.1.0: `Connection.send_packed_command` of a hand-packed EVALSHA, then `read_response()` (tests/test_stats_fastpath.py::test_a_flood_is_refused_with_the_queue_in_the_same_round_trip)
                conn.send_packed_command(
                    [pack(b"EVALSHA", PUSH_SHA, *keys_and_args)], check_health=False
                )
                return conn.read_response()
            except NoScriptError:
                # UPGRADE CHECKPOINT redis==8.1.0: `read_response()` raises `NoScriptError`; the script then sent whole by `send_packed_command` (tests/test_stats_fastpath.py::test_a_script_unknown_to_redis_is_sent_whole)
                conn.send_packed_command(
                    [pack(b"EVAL", PUSH_WITHIN_LIMIT.encode(), *keys_and_args)], check_health=False
                )
                return conn.read_response()
        except RedisConnectionError:
            conn.disconnect()
            if attempt == 2:
                raise
        except BaseException:
            # A timeout or an interrupted read leaves an unread reply behind: never reuse.
            conn.disconnect()
            raise
    raise AssertionError("unreachable")


def push_within_limit(fields: dict, limit: int) -> bool | None:
    """Queue the event unless its visitor is over `limit` events this minute: True
    (queued), False (over the limit), None (no queue, or Redis down: store it yourself)."""
    redis_client = client()
    if redis_client is None:
        return None
    import redis

    breaker = queue_circuit()
    if breaker.is_open():
        return None
    rate_key = f"{RATE_KEY}:{fields['visitor']}:{fields['occurred_at']:%H%M}"
    try:
        queued = run_push(
            redis_client,
            [b"2", rate_key.encode(), QUEUE_KEY.encode(), str(limit).encode(), encode(fields)],
        )
    except redis.RedisError as error:
        breaker.trip(error)
        logger.warning("stats queue unavailable: event stored directly", exc_info=True)
        return None
    start_flusher()
    return bool(queued)


def store(fields: dict) -> bool:
    """Queue the event (a dict of FIELDS), or insert it now when there is no queue;
    False when the visitor is over the flood limit (STATS_RATE_LIMIT_PER_MINUTE),
    nothing stored."""
    from . import collect

    queued = push_within_limit(fields, collect.RATE_LIMIT)
    if queued is not None:
        return queued
    if collect.over_rate_limit(fields["visitor"], fields["occurred_at"]):
        return False
    Event(**fields).save()
    return True


def insert(rows: list[dict]):
    """Insert a batch of events: one COPY on PostgreSQL (no model instance per row, no
    SQL to compile: a tenth of bulk_create's CPU), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        Event.objects.bulk_create([Event(**row) for row in rows])
        return
    columns = [Event._meta.get_field(name).column for name in FIELDS]
    statement = (
        f"COPY {connection.ops.quote_name(Event._meta.db_table)} "
        f"({', '.join(map(connection.ops.quote_name, columns))}) FROM STDIN"
    )
    # UPGRADE CHECKPOINT Django==5.2.19: `connection.ops.quote_name`, `connection.wrap_database_errors` and `CursorWrapper.cursor` for COPY (tests/test_stats_fastpath.py::test_queued_beacons_are_stored_by_the_flush_all_of_them)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # Django's cursor wraps execute(), not psycopg's copy(): errors wrapped above.
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[name] for name in FIELDS])


def flush(batch: int = BATCH, wait: float = 5.0) -> int:
    """Move every queued event into the database; returns how many were stored. Waits up
    to `wait` seconds for a flush of another process to end (its events then count)."""
    redis_client = client()
    if redis_client is None:
        return 0
    import redis
    from redis.exceptions import LockError

    breaker = queue_circuit()
    if breaker.is_open():
        return 0  # postponed: the events wait in Redis
    stored = 0
    try:
        lock = redis_client.lock(LOCK_KEY, timeout=LOCK_SECONDS, blocking_timeout=wait)
        if not lock.acquire():
            return 0
        try:
            while True:
                items = redis_client.lrange(QUEUE_KEY, 0, batch - 1)
                if not items:
                    break
                events = []
                for item in items:
                    try:
                        events.append(decode(item))
                    except (ValueError, TypeError):  # not ours: dropped, never blocks the list
                        logger.error("stats queue: unreadable item dropped: %r", item[:200])
                if events:
                    with transaction.atomic():
                        insert(events)
                redis_client.ltrim(QUEUE_KEY, len(items), -1)
                stored += len(events)
                if len(items) < batch:
                    break
                lock.reacquire()  # a long backlog: keep the lock for the next batch
        finally:
            try:
                lock.release()
            except LockError:
                pass
    except redis.RedisError as error:
        breaker.trip(error)
        logger.warning("stats queue unavailable: flush postponed", exc_info=True)
    return stored


def pending() -> int:
    redis_client = client()
    return redis_client.llen(QUEUE_KEY) if redis_client is not None else 0


def flush_interval() -> float:
    """Seconds between two flushes of a process's thread; 0: no thread (the tests, or an
    installation that runs `manage.py stats_flush` itself)."""
    return float(getattr(settings, "STATS_FLUSH_SECONDS", 0.5))


def _run_flusher():
    interval = flush_interval()
    while True:
        try:
            # Inside the try: anything raised here (the sleep too: an interrupted or
            # patched clock) must never end the thread, or events pile up unseen.
            time.sleep(interval)
            flush()
        except DatabaseError:
            # The database went away: the events stay queued; reconnect next time.
            logger.warning("stats flush failed: retried", exc_info=True)
            connection.close()
        except Exception:  # never let the thread die: events would pile up unseen
            logger.exception("stats flush failed")


def start_flusher():
    """One flushing thread per process (a forked worker starts its own)."""
    pid = os.getpid()
    if _flusher["pid"] == pid or flush_interval() <= 0:
        return
    with _flusher_lock:
        if _flusher["pid"] == pid:
            return
        thread = threading.Thread(target=_run_flusher, name="stats-flusher", daemon=True)
        thread.start()
        _flusher.update(thread=thread, pid=pid)
        atexit.register(_flush_at_exit)


def _flush_at_exit():
    """A worker that stops cleanly leaves nothing behind it (what it leaves would still be
    in Redis, for the next flush of any process)."""
    try:
        flush(wait=1.0)
    except Exception:
        logger.warning("stats flush at exit failed: events left queued", exc_info=True)
