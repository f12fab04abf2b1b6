from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from wagtail.models import Site

NATIONAL_URL_KEY = "portal:national-root-url"


def network(request):
    """The national portal's address, for the "part of the network" link on every site.
    Cached: it changes only when the sites are reconfigured."""
    url = cache.get(NATIONAL_URL_KEY)
    if url is None:
        site = Site.objects.filter(is_default_site=True).first()
        url = site.root_url + "/" if site else "/"
        cache.set(NATIONAL_URL_KEY, url, 300)
    from .cache import content_version

    # Lazy: read only by templates that cache fragments (one small query).
    return {
        "national_root_url": url,
        "layout_version": SimpleLazyObject(lambda: content_version(request)),
    }
