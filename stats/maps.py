"""In-process answers to the beacon's two lookups: which Wagtail site a host is, and which
live page of that site a beacon's path (and page id) is. A beacon costs no query when
both are known; the maps are emptied when the content version changes (publishing,
unpublishing, moving or deleting a page, changing a site: portal/cache.py), which each
process checks at most every STATS_MAP_REFRESH_SECONDS (1 s): a page unpublished in
another process may still be counted for up to that long."""

import threading
import time
from collections import OrderedDict

from django.conf import settings

from wagtail.models import Site

from portal.cache import content_version

from .resolve import live_page

# Enough for every page of the network at a few addresses each; unknown paths sent by a
# flood push out the oldest entries, never grow the memory.
MAX_ENTRIES = 50_000
_MISSING = object()


class LRUMap:
    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, build):
        with self._lock:
            value = self._items.get(key, _MISSING)
            if value is not _MISSING:
                self._items.move_to_end(key)
                return value
        value = build()
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return value

    def clear(self):
        with self._lock:
            self._items.clear()

    def __len__(self):
        return len(self._items)


sites = LRUMap(1000)  # (host, port) -> Site or None
pages = LRUMap()  # (site id, path, page id) -> live page id or None
# An agent's rank among its address's user agents of the day (stats.collect), which never
# changes once given: a beacon of a known agent costs no cache round trip.
agent_ranks = LRUMap(20_000)

_checked = {"at": float("-inf"), "version": None}
_check_lock = threading.Lock()


def refresh(now: float | None = None):
    """Empty the maps if the content version moved since the last look."""
    interval = getattr(settings, "STATS_MAP_REFRESH_SECONDS", 1.0)
    now = time.monotonic() if now is None else now
    if now - _checked["at"] < interval:
        return
    with _check_lock:
        if now - _checked["at"] < interval:
            return
        version = content_version()
        if version != _checked["version"]:
            sites.clear()
            pages.clear()
            _checked["version"] = version
        _checked["at"] = now


def forget():
    """Empty the maps and forget the version (tests roll back the version with the data)."""
    with _check_lock:
        sites.clear()
        pages.clear()
        agent_ranks.clear()
        _checked.update({"at": float("-inf"), "version": None})


def site_for(request):
    refresh()
    # The same key Wagtail matches on (Site._find_for_request): hostname and port.
    # UPGRADE CHECKPOINT Django==5.2.19: `HttpRequest._get_raw_host()`, the host before the ALLOWED_HOSTS check (tests/test_upgrade_internals.py::test_a_beacon_on_the_development_port_counts_for_its_site)
    # UPGRADE CHECKPOINT wagtail==8.0.1: `Site._find_for_request` (uncached) matches a site on (hostname, port) (tests/test_upgrade_internals.py::test_a_beacon_on_the_development_port_counts_for_its_site)
    key = (request._get_raw_host(), request.get_port())
    return sites.get(key, lambda: Site._find_for_request(request))


def live_page_id(site, path: str, page_id=None) -> int | None:
    """The live page of `site` the beacon counts for (see resolve.live_page), by id."""
    refresh()

    def build():
        page = live_page(site, path, page_id)
        return page.pk if page is not None else None

    return pages.get((site.pk, path, page_id), build)
