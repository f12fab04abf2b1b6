"""What only the benchmark installs (portal.settings.bench): the Django ceiling, and the
page cache on request, so that one run measures the same pages cached and uncached.

- `/bench-ceiling/` answers a constant response through the whole middleware stack:
  the most requests per second Django itself can answer on this machine, the ceiling
  that cached pages are compared to.
- `?cache` in a target's address puts that request through the page cache; every
  other request is served uncached, as the existing targets always were."""

from django.http import HttpResponse, QueryDict
from django.urls import path

from .middleware import PageCacheMiddleware
from .urls import urlpatterns as portal_urlpatterns

CEILING_BODY = b"<!DOCTYPE html><title>ceiling</title><p>ok</p>"


def ceiling(request):
    return HttpResponse(CEILING_BODY)


class BenchPageCacheMiddleware(PageCacheMiddleware):
    @staticmethod
    def cacheable_meta(meta, path_info):
        return "cache" in QueryDict(meta.get("QUERY_STRING", "")) and (
            PageCacheMiddleware.cacheable_meta(meta, path_info)
        )


# The portal's own patterns spliced in, not included: Django allows i18n_patterns (the
# /en/ addresses, docs/i18n.md) only in the root URLconf.
urlpatterns = [
    path("bench-ceiling/", ceiling),
    *portal_urlpatterns,
]
