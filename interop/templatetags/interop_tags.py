"""`{% external_feeds %}`: the outside feeds shown on every site (interop.ExternalFeed),
from what the scheduled job stored; rendered once per content version (no query when
warm), never fetching anything."""

from django import template
from django.template.loader import render_to_string

from portal.cache import cached_fragment, fragment_key

register = template.Library()


@register.simple_tag(takes_context=True)
def external_feeds(context):
    from ..models import ExternalFeed

    request = context.get("request")

    def render():
        feeds = list(ExternalFeed.objects.filter(on_every_site=True))
        if not feeds:
            return ""
        return render_to_string("interop/external_feeds.html", {"feeds": feeds}, request)

    return cached_fragment(fragment_key(request, "external-feeds"), render, request)
