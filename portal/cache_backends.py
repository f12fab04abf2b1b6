"""Django's Redis cache, made to fail safe: while Redis is down or slow, reads answer
"not cached" and writes are dropped, so pages are built afresh instead of failing.

Every connection has a connect and a read timeout (REDIS_CONNECT_TIMEOUT, REDIS_TIMEOUT:
a tenth of a second by default, whatever OPTIONS forget), and after a failure Redis is
left alone for RETRY_SECONDS by every thread of the process (portal.circuit, shared with
the statistics queue on the same server), so that a page needing a dozen cache reads
waits one timeout at most, not a dozen."""

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from redis.exceptions import ConnectionError, TimeoutError

from . import circuit

RETRY_SECONDS = 5
REDIS_DOWN = (ConnectionError, TimeoutError, OSError)


def redis_timeouts() -> dict:
    """The socket timeouts every Redis client of the portal uses (seconds)."""
    return {
        "socket_connect_timeout": float(getattr(settings, "REDIS_CONNECT_TIMEOUT", 0.1)),
        "socket_timeout": float(getattr(settings, "REDIS_TIMEOUT", 0.1)),
    }


class ReusedClient(RedisCacheClient):
    """Django's client builds a `redis.Redis` object on every call (a page-cache hit paid
    for it twice); one per server is kept instead. It is thread-safe (the pool hands each
    command a connection) and Django keeps a cache object per thread anyway."""

    # UPGRADE CHECKPOINT Django==5.2.19: `RedisCacheClient.get_client()` / `_get_connection_pool()` (tests/test_cache_pages.py::test_the_redis_client_is_built_once)
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        # redis-py waits forever by default: never leave a connection without timeouts.
        params = {**params, "OPTIONS": {**redis_timeouts(), **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = ReusedClient
        self._circuit = circuit.for_url("redis", self._servers[0], RETRY_SECONDS)

    def _attempt(self, operation, fallback, *args, **kwargs):
        if self._circuit.is_open():
            return fallback
        try:
            return operation(*args, **kwargs)
        except REDIS_DOWN as error:
            self._circuit.trip(error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._attempt(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._attempt(super().get_many, {}, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().set, None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().add, False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().set_many, list(data), data, timeout, version)

    def delete(self, key, version=None):
        return self._attempt(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._attempt(super().delete_many, None, keys, version)

    def has_key(self, key, version=None):
        return self._attempt(super().has_key, False, key, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().touch, False, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        # Nothing to count from while Redis is down: callers see a missing key.
        result = self._attempt(super().incr, None, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return result

    def clear(self):
        return self._attempt(super().clear, None)
