"""Django's Redis cache, made to fail safe: while Redis is down or slow, reads answer
"not cached" and writes are dropped, so pages are built afresh instead of failing.
After a failure Redis is left alone for RETRY_SECONDS, so that a page needing a
dozen cache reads does not wait a dozen timeouts."""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5
REDIS_DOWN = (ConnectionError, TimeoutError, OSError)


class RedisCache(DjangoRedisCache):
    _down_until = 0.0

    def _attempt(self, operation, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return operation(*args, **kwargs)
        except REDIS_DOWN as error:
            self._down_until = time.monotonic() + RETRY_SECONDS
            logger.warning(
                "cache unavailable, serving uncached for %ss error=%s", RETRY_SECONDS, error
            )
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
